package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.io.ImageIo;
import org.seg4j.io.RawImage;

/**
 * predict uses the input size the run trained at (its augment resize step) and maps the mask back
 * to each image's own size; {@code --resize none} turns that off.
 */
class PredictResizeTest {
  @TempDir Path tmp;

  @Test
  void predictTakesTheRunsResizeAndMapsBack() throws Exception {
    Path data = TinyData.synthetic(tmp.resolve("data"), 8);
    CliRun.ok(
        "train",
        "--data",
        data.toString(),
        "--runs",
        tmp.resolve("runs").toString(),
        "--name",
        "r",
        "--base",
        "4",
        "--epochs",
        "1",
        "--no-progress",
        "--set",
        "model.options={depth: 2}",
        "--set",
        "augment=[{type: resize, size: 8}]");
    Path img = data.resolve("images/synth_0001.png");
    Path run = tmp.resolve("runs/r");

    CliRun p =
        CliRun.ok(
            "predict",
            "--run",
            run.toString(),
            "--input",
            img.toString(),
            "--output",
            tmp.resolve("a").toString());
    assertThat(p.out()).contains("Input resize: resize 8x8").contains("as the run's augment");
    RawImage m = ImageIo.read(tmp.resolve("a/synth_0001_mask.png"));
    assertThat(m.width()).isEqualTo(16);
    assertThat(m.height()).isEqualTo(16);

    CliRun none =
        CliRun.ok(
            "predict",
            "--run",
            run.toString(),
            "--input",
            img.toString(),
            "--output",
            tmp.resolve("b").toString(),
            "--resize",
            "none");
    assertThat(none.out()).doesNotContain("Input resize");

    CliRun bad =
        CliRun.of(
            "predict",
            "--run",
            run.toString(),
            "--input",
            img.toString(),
            "--output",
            tmp.resolve("c").toString(),
            "--resize",
            "none",
            "--letterbox");
    assertThat(bad.code()).isNotZero();
    assertThat(bad.err()).contains("--letterbox with --resize none");
  }
}
