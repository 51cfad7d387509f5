package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.seg4j.data.SyntheticShapes;

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
    CliRun.ok(TinyData.trainArgs(data, runs, "src", "--epochs", "1"));
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
