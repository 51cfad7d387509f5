package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.io.Provenance;

/**
 * Issue 9 items 4 and 11, in-process: every file predict, eval, split and augment write goes
 * through a temp file renamed over the final name (so a crash or a full disk leaves the old file or
 * the new one, never a part), and an output folder that cannot be written fails at once, before the
 * first image, with one line naming the folder and the fix.
 *
 * <p>The rename is proved with hard links: each output of a first run gets a second name before the
 * same command runs again. A writer that truncated and rewrote the file in place would change the
 * linked file too; a write through a temp file leaves the link holding the old bytes and puts a new
 * file under the final name.
 */
class AtomicOutputsTest {
  @TempDir static Path dir;
  static Path data;
  static Path run;

  @BeforeAll
  static void train() throws Exception {
    data = TinyData.synthetic(dir.resolve("data"), 16);
    run = TinyData.train(data, dir.resolve("runs"), "r");
  }

  @Test
  void predictReplacesEveryOutputThroughATempFile(@TempDir Path t) throws Exception {
    Path out = t.resolve("out");
    String[] args =
        TinyData.predictArgs(
            run, data.resolve("images"), out, "--save", "mask,view,overlay,cutout,prob,counts");
    CliRun.ok(args);
    Map<Path, Path> links = linkAll(out, t.resolve("links"));
    assertThat(links).hasSize(16 * 6 + 1);
    CliRun.ok(args);
    assertReplaced(links, out, "synth_0000_overlay.png", Provenance.PREDICTION);
  }

  @Test
  void evalReplacesEveryReportFileThroughATempFile(@TempDir Path t) throws Exception {
    Path out = t.resolve("report");
    String[] args = TinyData.evalArgs(run, out);
    CliRun first = CliRun.ok(args);
    // the numbers come before the report is written (a full disk still shows them)
    assertThat(first.out().indexOf("mean per-image IoU"))
        .isPositive()
        .isLessThan(first.out().indexOf("report: "));
    Map<Path, Path> links = linkAll(out, t.resolve("links"));
    assertThat(links.keySet().stream().map(p -> p.getFileName().toString()))
        .contains(
            "metrics.txt",
            "metrics.json",
            "per_image_iou.csv",
            "per_class.png",
            "confusion.png",
            "panels_best.png",
            "curves_loss.png",
            "report.html");
    CliRun.ok(args);
    assertReplaced(links, out, "per_class.png", Provenance.REPORT);
    assertThat(Provenance.of(out.resolve("panels_best.png"))).isEqualTo(Provenance.REPORT);
  }

  @Test
  void splitListsAndAugmentCopiesAreReplacedThroughTempFiles(@TempDir Path t) throws Exception {
    Path lists = t.resolve("lists");
    String[] split = {"split", "--data", data.toString(), "--out", lists.toString(), "--overwrite"};
    CliRun.ok(split);
    Map<Path, Path> listLinks = linkAll(lists, t.resolve("list-links"));
    assertThat(listLinks).hasSize(3);
    CliRun.ok(split);
    assertReplacedThroughTempFiles(listLinks);

    Path aug = t.resolve("aug");
    String[] augment = {
      "augment",
      "--data",
      data.toString(),
      "--classes",
      "2",
      "--copies",
      "1",
      "--out",
      aug.toString()
    };
    CliRun.ok(augment);
    Map<Path, Path> augLinks = linkAll(aug, t.resolve("aug-links"));
    assertThat(augLinks).hasSize(2 * 16 + 1);
    CliRun.ok(augment);
    augLinks.remove(aug.resolve("classes.txt")); // kept as it is when present
    assertReplaced(augLinks, aug, "images/synth_0000_aug0.png", Provenance.AUGMENT);
  }

  @Test
  void anOutputFolderThatIsAFileFailsBeforeTheFirstImage(@TempDir Path t) throws Exception {
    Path file = Files.writeString(t.resolve("taken"), "not a folder");
    CliRun r = predictInto(file);
    Hostile.oneLineError(
        r, "output folder " + file, "is a file, not a folder", "choose another --output");
    assertThat(r.out()).doesNotContain("predicted");
    assertThat(Files.readString(file)).isEqualTo("not a folder");

    Path below = file.resolve("masks");
    CliRun nested = predictInto(below);
    Hostile.oneLineError(nested, "output folder " + below, file + " is a file, not a folder");

    CliRun eval = CliRun.of("eval", "--run", run.toString(), "--out", file.toString());
    Hostile.oneLineError(eval, "report folder " + file, "choose another --out");
    assertThat(eval.out()).doesNotContain("mean per-image IoU");
  }

  @Test
  void aReadOnlyOutputFolderFailsBeforeTheFirstImage(@TempDir Path t) throws Exception {
    Path ro = Files.createDirectories(t.resolve("read-only"));
    ro.toFile().setWritable(false, false);
    try {
      assumeFalse(Files.isWritable(ro), "root writes into read-only folders");
      CliRun r = predictInto(ro);
      Hostile.oneLineError(
          r,
          "output folder " + ro,
          "is not writable (permission denied)",
          "choose another --output or fix the folder's permissions");
      assertThat(r.out()).doesNotContain("predicted");

      CliRun eval = CliRun.of("eval", "--run", run.toString(), "--out", ro.toString());
      Hostile.oneLineError(eval, "report folder " + ro, "not writable", "choose another --out");
    } finally {
      ro.toFile().setWritable(true, false);
    }
    assertThat(files(ro)).isEmpty();
  }

  private static CliRun predictInto(Path out) {
    return CliRun.of(TinyData.predictArgs(run, data.resolve("images"), out));
  }

  /** Gives every file below {@code dir} a second name (a hard link) in {@code side}. */
  private static Map<Path, Path> linkAll(Path dir, Path side) throws IOException {
    Map<Path, Path> links = new LinkedHashMap<>();
    int i = 0;
    for (Path f : files(dir)) {
      Path link = Files.createDirectories(side).resolve(i++ + "_" + f.getFileName());
      Files.createLink(link, f);
      links.put(f, link);
    }
    return links;
  }

  /**
   * Asserts the second run {@linkplain #assertReplacedThroughTempFiles replaced} every linked file,
   * left nothing truncated in {@code folder}, and marked {@code sample} with {@code provenance}.
   */
  private static void assertReplaced(
      Map<Path, Path> links, Path folder, String sample, String provenance) throws IOException {
    assertReplacedThroughTempFiles(links);
    Hostile.nothingTruncated(folder);
    assertThat(Provenance.of(folder.resolve(sample))).isEqualTo(provenance);
  }

  /**
   * Asserts each final name now holds a different file from its link, and the link still holds the
   * first run's bytes: the second run wrote a new file and renamed it over, never in place.
   */
  private static void assertReplacedThroughTempFiles(Map<Path, Path> links) throws IOException {
    for (Map.Entry<Path, Path> e : links.entrySet()) {
      Path f = e.getKey();
      assertThat(f).as("still there").exists();
      assertThat(Files.isSameFile(f, e.getValue())).as(f + " was rewritten in place").isFalse();
      assertThat(Files.getAttribute(e.getValue(), "unix:nlink")).as(f.toString()).isEqualTo(1);
    }
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
