package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.io.ImageIo;
import org.seg4j.testutil.ChildJvm;

/**
 * Issue 9 item 4 for real: {@code seg4j predict} and {@code seg4j eval} run as child JVMs under a
 * file-size limit ({@code ulimit -f}), so the kernel refuses a write half-way the way a full disk
 * does. Each fails with one line naming the file and the reason, leaves nothing truncated under a
 * final name and no temp file, and eval has printed its scores before the report failed. Where the
 * test may mount a small tmpfs (root), the same runs meet a real full disk as well.
 */
class OutputWriteFailureTest {
  /** Above what the JVM itself writes at start (jline's native part, 14 KB), below the outputs. */
  static final long LIMIT = 16 * 1024;

  @TempDir static Path dir;
  static Path data;
  static Path run;

  @BeforeAll
  static void train() throws Exception {
    assumeTrue(ChildJvm.ulimitAvailable(), "needs Linux and /bin/bash for ulimit");
    data = TinyData.synthetic(dir.resolve("data"), 16);
    run = TinyData.train(data, dir.resolve("runs"), "r");
  }

  @Test
  void predictThatHitsTheLimitNamesTheFileAndLeavesNothingTruncated(@TempDir Path t)
      throws Exception {
    // a 160x160 noise image: its overlay (75 KB of RGB noise) cannot be written under the limit
    Path in = Files.createDirectories(t.resolve("in"));
    int side = 160;
    int[] noise = new Random(1).ints(side * side, 0, 256).toArray();
    ImageIo.writeGrey8(in.resolve("big.png"), side, side, noise);
    Files.copy(data.resolve("images/synth_0000.png"), in.resolve("small.png"));
    Path out = t.resolve("out");
    // an overlay from an earlier run stays whole: the failed write never touches it
    ImageIo.writeGrey8(out.resolve("big_overlay.png"), 2, 2, new int[] {1, 2, 3, 4});

    ChildJvm.Result r = ChildJvm.seg4j(t, LIMIT, TinyData.predictArgs(run, in, out));

    CliRun seen = new CliRun(r.code(), r.out(), r.err());
    Hostile.oneLineError(
        seen,
        "could not write " + out.resolve("big_overlay.png"),
        "the file size limit was hit (File too large)");
    assertThat(r.err()).doesNotContain("I/O error writing PNG file!");
    Hostile.nothingTruncated(out);
    assertThat(ImageIo.read(out.resolve("big_overlay.png")).data()).containsExactly(1, 2, 3, 4);
    assertThat(RunFiles.names(out))
        .containsExactly("big_mask.png", "big_overlay.png", "big_view.png");
  }

  @Test
  void evalThatHitsTheLimitHasPrintedItsScoresAndLeavesNothingTruncated(@TempDir Path t)
      throws Exception {
    Path out = t.resolve("report");
    ChildJvm.Result r = ChildJvm.seg4j(t, LIMIT, TinyData.evalArgs(run, out));

    CliRun seen = new CliRun(r.code(), r.out(), r.err());
    Hostile.oneLineError(seen, "could not write " + out, "the file size limit was hit");
    assertThat(r.out()).contains("mean per-image IoU").contains("pixel accuracy");
    assertThat(r.out()).doesNotContain("report: ");
    Hostile.nothingTruncated(out);
    assertThat(RunFiles.names(out)).contains("metrics.txt", "metrics.json", "per_image_iou.csv");
  }

  /**
   * A real full disk where the test may mount one (root on Linux): a 100 KB tmpfs filled up to its
   * last two pages. Predict and eval in this JVM stop with "no space left on device" and the file.
   */
  @Test
  void aFullDiskIsNamedAndLeavesNothingTruncated(@TempDir Path t) throws Exception {
    Path disk = Files.createDirectories(t.resolve("disk"));
    assumeTrue(sh("mount -t tmpfs -o size=100k seg4j-test-disk " + disk), "cannot mount a tmpfs");
    try {
      Files.write(disk.resolve("fill"), new byte[92 * 1024]);
      Path out = disk.resolve("out");
      CliRun p = CliRun.of(TinyData.predictArgs(run, data.resolve("images"), out));
      Hostile.oneLineError(p, "could not write " + out, "no space left on device");
      Hostile.nothingTruncated(out);

      sh("rm -rf " + out);
      Path report = disk.resolve("report");
      CliRun e = CliRun.of(TinyData.evalArgs(run, report));
      Hostile.oneLineError(e, "could not write " + report, "no space left on device");
      assertThat(e.out()).contains("mean per-image IoU");
      Hostile.nothingTruncated(report);
    } finally {
      sh("umount " + disk);
    }
  }

  private static boolean sh(String command) throws Exception {
    Process p = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true).start();
    p.getInputStream().transferTo(OutputStream.nullOutputStream());
    return p.waitFor() == 0;
  }
}
