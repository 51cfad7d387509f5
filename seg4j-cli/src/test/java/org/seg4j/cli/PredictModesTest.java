package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.io.ImageIo;
import org.seg4j.io.RawImage;

/**
 * {@code seg4j predict}'s modes as a user runs them, each output checked by content: --save and
 * --suffix names, cut-outs, pixel counts.
 */
class PredictModesTest {
  @TempDir static Path dir;
  static Path data;
  static Path run;

  /**
   * A run that has learnt something visible in a few seconds: on {@link TinyData#paired} images a
   * pixel is foreground exactly where it is bright, so predictions hold both classes.
   */
  @BeforeAll
  static void train() throws Exception {
    run = trainRun(dir);
    data = dir.resolve("data");
  }

  /**
   * Trains a run in {@code dir}/runs/r on {@code dir}/data that has learnt something visible in a
   * few seconds: on {@link TinyData#paired} images a pixel is foreground exactly where it is
   * bright, so predictions hold both classes.
   */
  static Path trainRun(Path dir) throws Exception {
    Path data = TinyData.paired(dir.resolve("data"), 8, 32, 32, 1);
    Files.write(data.resolve("classes.txt"), List.of("background", "disc"));
    CliRun.ok(
        "train",
        "--data",
        data.toString(),
        "--runs",
        dir.resolve("runs").toString(),
        "--name",
        "r",
        "--base",
        "4",
        "--epochs",
        "3",
        "--batch",
        "4",
        "--lr",
        "0.01",
        "--no-progress",
        "--set",
        "model.options={depth: 2}",
        "--set",
        "data.samples_per_epoch=64");
    return dir.resolve("runs/r");
  }

  static CliRun predict(String... extra) {
    List<String> a = new ArrayList<>(List.of("predict", "--run", run.toString()));
    a.addAll(List.of(extra));
    return CliRun.of(a.toArray(String[]::new));
  }

  static List<String> names(Path folder) throws Exception {
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** A colour image: a bright disc on a dark textured background, RGB differing per channel. */
  static Path colourImage(Path file, int w, int h) throws Exception {
    int[] rgb = new int[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = y * w + x;
        boolean disc = (x - w / 2) * (x - w / 2) + (y - h / 2) * (y - h / 2) < (h / 3) * (h / 3);
        rgb[3 * p] = disc ? 230 : 60 + (x * 7) % 40;
        rgb[3 * p + 1] = disc ? 200 : 90;
        rgb[3 * p + 2] = disc ? 40 : 120 + y;
      }
    }
    ImageIo.write(RawImage.rgb8(w, h, rgb), file);
    return file;
  }

  @Test
  void saveViewWithSuffixWritesExactlyTheSeedsSegFileEqualToTheMask() throws Exception {
    Path img = data.resolve("images/p6.png");
    Path out = dir.resolve("seg");
    CliRun r =
        predict(
            "--input",
            img.toString(),
            "--output",
            out.toString(),
            "--save",
            "view",
            "--suffix",
            "_seg");
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(names(out)).containsExactly("p6_seg.png");
    Path masks = dir.resolve("seg-mask");
    assertThat(
            predict("--input", img.toString(), "--output", masks.toString(), "--save", "mask")
                .code())
        .isZero();
    assertThat(names(masks)).containsExactly("p6_mask.png");
    RawImage seg = ImageIo.read(out.resolve("p6_seg.png"));
    RawImage mask = ImageIo.read(masks.resolve("p6_mask.png"));
    assertThat(seg.channels()).isEqualTo(1);
    assertThat(seg.bitDepth()).isEqualTo(8);
    assertThat(seg.width()).isEqualTo(32);
    int fg = 0;
    for (int i = 0; i < seg.data().length; i++) {
      assertThat(seg.data()[i]).isEqualTo(mask.data()[i] == 0 ? 0 : 255);
      fg += mask.data()[i];
    }
    assertThat(fg).as("the tiny model finds some foreground").isPositive();
    ApiPredictions.sameMask(masks.resolve("p6_mask.png"), ApiPredictions.ofRun(run, img));
  }

  @Test
  void suffixesAreNamedPerKindAndAmbiguityOrClashesAreRefused() throws Exception {
    Path img = data.resolve("images/p7.png");
    Path out = dir.resolve("suffixes");
    CliRun r =
        predict(
            "--input",
            img.toString(),
            "--output",
            out.toString(),
            "--save",
            "mask,view,prob",
            "--suffix",
            "view=_seg",
            "--suffix",
            "mask=");
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(names(out))
        .containsExactly("p7.png", "p7_prob_background.png", "p7_prob_disc.png", "p7_seg.png");
    CliRun bare = predict("--input", img.toString(), "--output", out.toString(), "--suffix", "_x");
    assertThat(bare.code()).isEqualTo(2);
    assertThat(bare.err())
        .contains("--suffix _x is ambiguous")
        .contains("mask, view, overlay")
        .contains("--suffix view=_x");
    CliRun clash =
        predict(
            "--input",
            img.toString(),
            "--output",
            out.toString(),
            "--suffix",
            "mask=_a",
            "--suffix",
            "view=_a");
    assertThat(clash.err()).contains("mask and view would both write <id>_a.png");
    CliRun unknown = predict("--input", img.toString(), "--output", out.toString(), "--save", "x");
    assertThat(unknown.err()).contains("--save x is not an output: use mask, view, overlay");
    CliRun over =
        predict(
            "--input",
            data.resolve("images").toString(),
            "--output",
            data.resolve("images").toString(),
            "--save",
            "view",
            "--suffix",
            "");
    assertThat(over.code()).isEqualTo(2);
    assertThat(over.err()).contains("would replace the input").contains("p0.png");
  }

  @Test
  void cutoutIsTransparentExactlyWhereTheMaskIsBackgroundAndKeepsTheImagesColours()
      throws Exception {
    Path img = colourImage(dir.resolve("colour/photo.png"), 40, 30);
    Path out = dir.resolve("cutout");
    CliRun r =
        predict("--input", img.toString(), "--output", out.toString(), "--save", "mask,cutout");
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(names(out)).containsExactly("photo_cutout.png", "photo_mask.png");
    RawImage cut = ImageIo.read(out.resolve("photo_cutout.png"));
    RawImage mask = ImageIo.read(out.resolve("photo_mask.png"));
    RawImage src = ImageIo.read(img);
    assertThat(cut.channels()).isEqualTo(4);
    assertThat(cut.alpha()).isTrue();
    assertThat(cut.width()).isEqualTo(40);
    assertThat(cut.height()).isEqualTo(30);
    int opaque = 0;
    for (int p = 0; p < 40 * 30; p++) {
      assertThat(cut.sample(p, 3)).isEqualTo(mask.data()[p] == 0 ? 0 : 255);
      for (int c = 0; c < 3; c++) {
        assertThat(cut.sample(p, c)).isEqualTo(src.sample(p, c));
      }
      opaque += mask.data()[p] == 0 ? 0 : 1;
    }
    assertThat(opaque).as("some pixels are kept").isPositive().isLessThan(40 * 30);
    ApiPredictions.sameMask(out.resolve("photo_mask.png"), ApiPredictions.ofRun(run, img));
  }

  @Test
  void countsSumToTheImageSizeAndFractionsToOnePerImageWithATotalLine() throws Exception {
    Path in = Files.createDirectories(dir.resolve("count-in"));
    Files.copy(data.resolve("images/p1.png"), in.resolve("a.png"));
    colourImage(in.resolve("b.png"), 37, 29);
    Path out = dir.resolve("counts");
    CliRun r =
        predict("--input", in.toString(), "--output", out.toString(), "--save", "counts,mask");
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(names(out)).containsExactly("a_mask.png", "b_mask.png", "counts.csv");
    List<String> lines = Files.readAllLines(out.resolve("counts.csv"));
    assertThat(lines)
        .hasSize(4)
        .first()
        .isEqualTo("id,background_pixels,background_fraction,disc_pixels,disc_fraction");
    long[] total = new long[2];
    for (int i = 1; i <= 2; i++) {
      String[] f = lines.get(i).split(",");
      String id = f[0];
      RawImage mask = ImageIo.read(out.resolve(id + "_mask.png"));
      long[] expected = new long[2];
      for (int v : mask.data()) {
        expected[v]++;
      }
      long bg = Long.parseLong(f[1]);
      long disc = Long.parseLong(f[3]);
      assertThat(new long[] {bg, disc}).containsExactly(expected);
      assertThat(bg + disc).isEqualTo((long) mask.width() * mask.height());
      assertThat(Double.parseDouble(f[2]) + Double.parseDouble(f[4])).isCloseTo(1.0, within(2e-6));
      assertThat(Double.parseDouble(f[4])).isCloseTo((double) disc / (bg + disc), within(1e-6));
      total[0] += bg;
      total[1] += disc;
    }
    assertThat(lines.get(1)).startsWith("a,");
    String[] t = lines.get(3).split(",");
    assertThat(t[0]).isEqualTo("TOTAL");
    assertThat(Long.parseLong(t[1])).isEqualTo(total[0]);
    assertThat(Long.parseLong(t[3])).isEqualTo(total[1]);
    assertThat(total[0] + total[1]).isEqualTo(32 * 32 + 37 * 29);
    assertThat(r.out()).contains("pixels per class over 2 image(s)").contains("disc");
  }

  @Test
  void skipBadSkipsAndListsUnreadableFilesAndExitsOneWithoutItTheFirstStops() throws Exception {
    Path in = Files.createDirectories(dir.resolve("bad-in"));
    Files.copy(data.resolve("images/p1.png"), in.resolve("a.png"));
    Files.writeString(in.resolve("b.png"), "not a png");
    Files.copy(data.resolve("images/p2.png"), in.resolve("c.png"));
    Files.writeString(in.resolve("notes.txt"), "ignored, not an image");
    Path out = dir.resolve("bad-out");
    CliRun stop = predict("--input", in.toString(), "--output", out.toString());
    assertThat(stop.code()).isEqualTo(2);
    assertThat(stop.err())
        .contains("b.png")
        .contains("cannot be read")
        .contains("or pass --skip-bad to skip it");
    assertThat(stop.err().lines().filter(l -> l.startsWith("seg4j: error:")).count()).isEqualTo(1);
    assertThat(stop.err()).doesNotContain("\tat ").doesNotContain("Exception");
    CliRun skip =
        predict(
            "--input", in.toString(), "--output", out.toString(), "--skip-bad", "--save", "mask");
    assertThat(skip.code()).as(skip.all()).isEqualTo(1);
    assertThat(skip.out())
        .contains("predicted 2 image(s)")
        .contains("skipped 1 file(s) (--skip-bad):")
        .contains("b.png cannot be read")
        .contains("ignored 1 file(s) that are not images: notes.txt");
    assertThat(names(out)).contains("a_mask.png", "c_mask.png").doesNotContain("b_mask.png");
  }

  @Test
  void splitPredictsExactlyTheListedIds() throws Exception {
    Path sets = Files.createDirectories(data.resolve("ImageSets/Segmentation"));
    Files.write(sets.resolve("val.txt"), List.of("p5", "p2", "# a comment", "p7"));
    Path out = dir.resolve("split-out");
    CliRun r =
        predict(
            "--data",
            data.toString(),
            "--split",
            "val",
            "--output",
            out.toString(),
            "--save",
            "mask");
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(names(out)).containsExactly("p2_mask.png", "p5_mask.png", "p7_mask.png");
    assertThat(r.out()).contains("predicted 3 image(s)");
    for (String id : List.of("p2", "p5", "p7")) {
      ApiPredictions.sameMask(
          out.resolve(id + "_mask.png"),
          ApiPredictions.ofRun(run, data.resolve("images/" + id + ".png")));
    }

    Path ids = Files.write(dir.resolve("ids.txt"), List.of("p3", "p9", "p4"));
    Path out2 = dir.resolve("list-out");
    CliRun missing =
        predict("--data", data.toString(), "--list", ids.toString(), "--output", out2.toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("id 'p9'").contains("pass --skip-bad");
    CliRun skipped =
        predict(
            "--input",
            data.resolve("images").toString(),
            "--list",
            ids.toString(),
            "--output",
            out2.toString(),
            "--save",
            "mask",
            "--skip-bad");
    assertThat(skipped.code()).isEqualTo(1);
    assertThat(names(out2)).containsExactly("p3_mask.png", "p4_mask.png");
    assertThat(skipped.out()).contains("skipped 1 file(s)").contains("id 'p9'");

    CliRun noList = predict("--data", data.toString(), "--split", "test", "--output", "x");
    assertThat(noList.code()).isEqualTo(2);
    assertThat(noList.err())
        .contains("--split test")
        .contains("no test.txt in ImageSets/Segmentation/, splits/ or the folder itself");
    CliRun noData = predict("--input", data.toString(), "--split", "val", "--output", "x");
    assertThat(noData.err()).contains("give the dataset with --data DIR");
  }

  @Test
  void fpsTimesTheNetworkAndThePipelineAndWritesNothing() throws Exception {
    Path out = dir.resolve("fps-out");
    CliRun r =
        predict(
            "--input",
            data.resolve("images").toString(),
            "--output",
            out.toString(),
            "--fps",
            "5",
            "--warmup",
            "1",
            "--save",
            "overlay,counts");
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out())
        .containsPattern("fps: 5 runs of p0.png \\(32x32\\) after 1 warm-up run\\(s\\)")
        .containsPattern("network +[0-9.]+ img/s +p50 +[0-9.]+ ms +p95 +[0-9.]+ ms")
        .containsPattern("pipeline +[0-9.]+ img/s +p50 +[0-9.]+ ms +p95 +[0-9.]+ ms")
        .contains("overlay, counts in memory; nothing written");
    assertThat(out).doesNotExist();
    assertThat(PredictCommand.percentile(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 50))
        .isEqualTo(5);
    assertThat(PredictCommand.percentile(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 95))
        .isEqualTo(10);
  }
}
