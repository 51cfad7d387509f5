package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.seg4j.data.SyntheticShapes;
import org.seg4j.io.ImageIo;

/**
 * {@code seg4j export}: a trained run becomes an ONNX file; an option the exporter cannot honour
 * fails with one line naming it and what to do, and writes nothing.
 */
class ExportCommandTest {
  @TempDir static Path dir;
  static Path run;

  @BeforeAll
  static void train() throws Exception {
    Path data = dir.resolve("data");
    Path runs = dir.resolve("runs");
    new SyntheticShapes(32, false, 3).write(data, 16);
    CliRun.ok(
        TinyData.trainArgs(
            data,
            runs,
            "src",
            "--epochs",
            "10",
            "--lr",
            "0.05",
            "--set",
            "normalize={mean: [0.3], std: [0.6]}"));
    run = runs.resolve("src");
  }

  @Test
  void aRunExportsToAnOnnxFile() throws Exception {
    Path out = dir.resolve("model.onnx");
    CliRun r =
        CliRun.ok("export", "--run", run.toString(), "--out", out.toString(), "--size", "32x48");
    assertThat(r.out())
        .contains("exported " + run)
        .contains("(unet)")
        .contains("image (N, 1, 32, 48) -> logits (N, 2, 32, 48)");
    assertThat(Files.size(out)).isGreaterThan(1000);
    Hostile.nothingTruncated(dir);
  }

  @Test
  void predictWithTheOnnxFileGivesTheRunsMasks() throws Exception {
    Path onnx = dir.resolve("dynamic.onnx");
    CliRun e =
        CliRun.ok(
            "export",
            "--run",
            run.toString(),
            "--out",
            onnx.toString(),
            "--dynamic-size",
            "--fold-normalize");
    assertThat(e.out()).contains("(N, 1, H, W)").contains("normalisation in the graph");
    Path img = dir.resolve("data/images/synth_0013.png");
    for (String[] mode : new String[][] {{}, {"--flip-tta", "--tile", "16", "--overlap", "0.5"}}) {
      Path want = dir.resolve("pred-run" + mode.length);
      Path got = dir.resolve("pred-onnx" + mode.length);
      CliRun.ok(predict("--run", run, img, want, mode));
      CliRun.ok(predict("--onnx", onnx, img, got, mode));
      // the probability maps vary over the image, so equal maps are not a trivial match
      int[] wantProb = ImageIo.read(only(want, "_prob_")).data();
      int[] gotProb = ImageIo.read(only(got, "_prob_")).data();
      assertThat(Arrays.stream(wantProb).distinct().count()).isGreaterThan(10);
      for (int i = 0; i < wantProb.length; i++) {
        assertThat(gotProb[i]).as("probability at %d", i).isCloseTo(wantProb[i], within(1));
      }
      assertThat(Files.readAllBytes(got.resolve("synth_0013_mask.png")))
          .as(String.join(" ", mode))
          .isEqualTo(Files.readAllBytes(want.resolve("synth_0013_mask.png")));
    }
  }

  @Test
  void benchTimesTheOnnxFileBesideLibtorch() throws Exception {
    Path onnx = dir.resolve("bench.onnx");
    CliRun.ok("export", "--run", run.toString(), "--out", onnx.toString(), "--dynamic-size");
    CliRun r =
        CliRun.ok(
            "bench",
            "--arch",
            "unet",
            "--base",
            "4",
            "-O",
            "depth=2",
            "-O",
            "bn=false",
            "--in-channels",
            "1",
            "--classes",
            "2",
            "--size",
            "16",
            "--batch",
            "2",
            "--steps",
            "2",
            "--warmup",
            "1",
            "--threads",
            "2",
            "--device",
            "cpu",
            "--onnx",
            onnx.toString());
    assertThat(r.out())
        .containsPattern(
            "inference, 2 threads, batch 2 of 16x16: libtorch [0-9.]+ img/s, ONNX"
                + " Runtime [0-9.]+ img/s")
        .contains("\"onnx_infer_img_per_s\":");
  }

  @Test
  void predictWithAFileThatIsNotAnExportedModelIsOneLine() throws Exception {
    Path bad = dir.resolve("not-a-model.onnx");
    Files.writeString(bad, "not protobuf");
    Path out = dir.resolve("pred-bad");
    Path img = dir.resolve("data/images/synth_0013.png");
    Hostile.oneLineError(
        CliRun.of(predict("--onnx", bad, img, out, new String[0])), bad.toString(), "--onnx");
    Hostile.nothingTruncated(out);
  }

  private static Path only(Path folder, String part) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.filter(p -> p.getFileName().toString().contains(part))
          .sorted()
          .findFirst()
          .orElseThrow();
    }
  }

  private static String[] predict(String source, Path model, Path img, Path out, String[] mode) {
    return Stream.concat(
            Stream.of(
                "predict",
                source,
                model.toString(),
                "--input",
                img.toString(),
                "--output",
                out.toString(),
                "--save",
                "mask,prob"),
            Stream.of(mode))
        .toArray(String[]::new);
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of(new String[] {"--format", "tflite"}, new String[] {"--format tflite", "onnx"}),
        Arguments.of(
            new String[] {"--opset", "9"}, new String[] {"--opset 9", "MaxPool", "--opset 10"}),
        Arguments.of(new String[] {"--opset", "40"}, new String[] {"--opset 40", "21"}),
        Arguments.of(
            new String[] {"--prune-level", "2"}, new String[] {"prune_level", "nested-unet"}),
        Arguments.of(new String[] {"--size", "big"}, new String[] {"--size big", "HxW"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void anOptionTheExporterCannotHonourIsOneLineAndWritesNothing(String[] option, String[] named) {
    Path out = dir.resolve("refused").resolve("model.onnx");
    String[] args =
        Stream.concat(
                Stream.of("export", "--run", run.toString(), "--out", out.toString()),
                Stream.of(option))
            .toArray(String[]::new);
    Hostile.oneLineError(CliRun.of(args), named);
    assertThat(out).doesNotExist();
    Hostile.nothingTruncated(out.getParent());
  }
}
