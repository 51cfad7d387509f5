package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.seg4j.data.ImageFiles;
import org.seg4j.infer.LoadedModel;
import org.seg4j.infer.Outputs;
import org.seg4j.infer.PredictionMaps;
import org.seg4j.infer.TileOptions;
import org.seg4j.io.ImageIo;
import org.seg4j.io.Palettes;
import org.seg4j.io.RawImage;
import org.seg4j.testutil.Golden;

/**
 * Big images in bounded memory (issue 9 item 12) and out-of-memory errors in one line (item 11). A
 * tiled {@code seg4j predict} streams: its files hold exactly the pixels of the whole-image
 * prediction, it shows a bar over the tiles, and a child JVM with a 48 MB heap predicts a 2000x1500
 * image that the whole-image path needed over 96 MB for. A forward pass too big for the heap ends
 * in one line naming the image, its size, the memory needed, the heap and the options that fix it.
 */
class BigImagePredictTest {
  @TempDir static Path dir;
  static Path run;

  @BeforeAll
  static void train() throws Exception {
    Path data = TinyData.synthetic(dir.resolve("data"), 16);
    CliRun.ok(
        TinyData.trainArgs(
            data, dir.resolve("runs"), "r", "--set", "normalize={mean: [0.4], std: [0.3]}"));
    run = dir.resolve("runs/r");
  }

  /** A {@code w x h} RGB image with smooth colours and edges. */
  static Path rgb(Path file, int w, int h) throws Exception {
    int[] px = new int[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y * w + x) * 3;
        px[i] = (x * 7 + y * 3) % 256;
        px[i + 1] = ((x / 9 + y / 7) % 2) * 180 + 30;
        px[i + 2] = (x ^ y) % 256;
      }
    }
    ImageIo.write(RawImage.rgb8(w, h, px), file);
    return file;
  }

  /** Inputs of every kind the streamed rows must decode as the whole image is decoded. */
  static Stream<String> kinds() {
    return Stream.of("rgb", "palette", "grey16");
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void aTiledPredictionWritesThePixelsOfTheWholeImagePath(String kind) throws Exception {
    Path img = dir.resolve("in-" + kind + "/colour.png");
    switch (kind) {
      case "rgb" -> rgb(img, 70, 45);
      case "palette" -> palette(img, 70, 45);
      default -> grey16(img, 70, 45);
    }
    Path out = dir.resolve("out-tiled-" + kind);
    CliRun r =
        CliRun.ok(
            "predict",
            "--run",
            run.toString(),
            "--input",
            img.toString(),
            "--output",
            out.toString(),
            "--tile",
            "32",
            "--tile-batch",
            "3",
            "--save",
            "mask,view,overlay,cutout,prob,counts");
    assertThat(r.err()).as("a bar over the tiles").contains("colour.png").contains("tiles");

    TileOptions opts = new TileOptions(32, 0.25, TileOptions.Blend.GAUSSIAN, false, 3);
    try (LoadedModel seg = LoadedModel.fromRun(run, null, "cpu", opts)) {
      ImageFiles.Read read = ImageFiles.readBoth(img, seg.inChannels());
      PredictionMaps p = seg.predict(read.model());
      same(out.resolve("colour_mask.png"), Outputs.indexMask(p));
      same(out.resolve("colour_view.png"), Outputs.viewableMask(p));
      same(
          out.resolve("colour_overlay.png"),
          Outputs.overlay(read.display(), p.mask(), p.classes(), 0.5));
      same(out.resolve("colour_cutout.png"), Outputs.cutout(read.display(), p.mask()));
      for (int k = 0; k < p.classes(); k++) {
        same(
            out.resolve("colour_prob_" + Outputs.fileSafe(seg.classNames().get(k)) + ".png"),
            Outputs.probability(p, k));
      }
      long[] counts = Outputs.pixelCounts(p.mask(), p.classes());
      assertThat(Files.readString(out.resolve("counts.csv")))
          .contains("colour," + counts[0] + ",")
          .contains("," + counts[1] + ",");
    }
  }

  static void palette(Path file, int w, int h) throws Exception {
    int[] idx = new int[w * h];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = (i % w / 6 + i / w / 5) % 7;
    }
    ImageIo.writePalette(file, w, h, idx, Palettes.voc(256));
  }

  static void grey16(Path file, int w, int h) throws Exception {
    int[] v = new int[w * h];
    for (int i = 0; i < v.length; i++) {
      v[i] = (i * 977) % 65536;
    }
    ImageIo.write(new RawImage("raw", w, h, 1, 16, false, null, v), file);
  }

  private static void same(Path file, RawImage want) throws Exception {
    RawImage got = ImageIo.read(file);
    assertThat(got.width()).as(file.toString()).isEqualTo(want.width());
    assertThat(got.channels()).as(file.toString()).isEqualTo(want.channels());
    assertThat(got.isPalette()).as(file.toString()).isEqualTo(want.isPalette());
    assertThat(got.data()).as(file.toString()).isEqualTo(want.data());
  }

  /** A grey image of {@code w x h}. */
  static Path grey(Path file, int w, int h) throws Exception {
    int[] px = new int[w * h];
    for (int i = 0; i < px.length; i++) {
      px[i] = (i % w * 5 + i / w * 3) % 256;
    }
    ImageIo.writeGrey8(file, w, h, px);
    return file;
  }

  /** {@code seg4j predict} with a pointwise TorchScript model in a child JVM with {@code -Xmx}. */
  static Child predictInChild(String xmx, Path image, Path out, String... extra) throws Exception {
    Path model = Golden.path("golden/torchscript/pointwise_1x1.pt");
    List<String> args =
        new ArrayList<>(
            List.of(
                "predict",
                "--torchscript",
                model.toString(),
                "--classes",
                "2",
                "--in-channels",
                "1",
                "--side-multiple",
                "1",
                "--input",
                image.toString(),
                "--output",
                out.toString()));
    args.addAll(List.of(extra));
    return inChild(xmx, out.resolveSibling(out.getFileName() + ".log"), args);
  }

  /** {@code seg4j args...} in a child JVM with {@code -Xmx}, all output into {@code log}. */
  static Child inChild(String xmx, Path log, List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + xmx);
    cmd.add("-XX:-UsePerfData");
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-DOPT_OUT_TRACKING=true");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.seg4j.cli.Seg4j");
    cmd.addAll(args);
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("child finished").isTrue();
    return new Child(p.exitValue(), Files.readString(log));
  }

  record Child(int code, String log) {
    CliRun asRun() {
      return new CliRun(code, "", log);
    }
  }

  @Test
  void aBigImageIsPredictedInASmallHeap() throws Exception {
    Path img = grey(dir.resolve("in/big.png"), 2000, 1500);
    Path out = dir.resolve("out-small-heap");
    Child c = predictInChild("48m", img, out);
    assertThat(c.code()).as(c.log()).isZero();
    Hostile.noStackTrace(c.asRun());
    assertThat(c.log()).contains("predicted 1 image(s)").contains("big.png").contains("tiles");
    RawImage mask = ImageIo.read(out.resolve("big_mask.png"));
    assertThat(mask.width()).isEqualTo(2000);
    assertThat(mask.height()).isEqualTo(1500);
    // the pointwise model: class 1 where grey < 128 (logits 4v - 2 vs 2 - 4v)
    RawImage in = ImageIo.read(img);
    for (int i = 0; i < in.pixels(); i += 997) {
      int v = in.data()[i];
      if (Math.abs(v - 127.5) > 2) {
        assertThat(mask.data()[i]).as("pixel %d, grey %d", i, v).isEqualTo(v < 128 ? 1 : 0);
      }
    }
    Hostile.nothingTruncated(out);
  }

  @Test
  void aForwardPassTooBigForTheHeapSaysSoInOneLine() throws Exception {
    Path img = grey(dir.resolve("in/wide.png"), 2000, 1500);
    Path out = dir.resolve("out-oom");
    Child c = predictInChild("48m", img, out, "--tile", "512", "--tile-batch", "64");
    CliRun r = c.asRun();
    Hostile.oneLineError(
        r,
        "out of memory",
        "predicting " + img,
        "(2000x1500)",
        "needs about",
        "may use",
        "--tile-batch (now 64)",
        "--tile (now 512)",
        "-Xmx");
    assertThat(c.log()).doesNotContain("OutOfMemoryError:");
    Hostile.nothingTruncated(out);
  }

  @Test
  void anOutOfMemoryErrorElsewhereIsOneLineToo() throws Exception {
    Path data = dir.resolve("oom-set");
    rgb(data.resolve("images/a.png"), 3000, 3000);
    grey(data.resolve("masks/a.png"), 3000, 3000);
    Child c =
        inChild(
            "48m",
            dir.resolve("oom-check.log"),
            List.of("dataset", "check", "--data", data.toString()));
    Hostile.oneLineError(c.asRun(), "out of memory", "in seg4j dataset check", "-Xmx");
    assertThat(c.log()).doesNotContain("OutOfMemoryError:");
  }
}
