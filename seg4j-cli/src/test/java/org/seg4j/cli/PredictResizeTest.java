package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  /** {@code seg4j predict} of one image of run r into folder {@code out}, plus {@code extra}. */
  private CliRun predict(String out, String... extra) {
    List<String> a = new ArrayList<>(List.of("predict", "--run", tmp.resolve("runs/r").toString()));
    a.addAll(List.of("--input", tmp.resolve("data/images/synth_0001.png").toString()));
    a.addAll(List.of("--output", tmp.resolve(out).toString()));
    a.addAll(List.of(extra));
    return CliRun.of(a.toArray(String[]::new));
  }

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

    CliRun p = predict("a");
    assertThat(p.code()).as(p.all()).isZero();
    assertThat(p.out()).contains("Input resize: resize 8x8").contains("as the run's augment");
    RawImage m = ImageIo.read(tmp.resolve("a/synth_0001_mask.png"));
    assertThat(m.width()).isEqualTo(16);
    assertThat(m.height()).isEqualTo(16);

    CliRun none = predict("b", "--resize", "none");
    assertThat(none.code()).as(none.all()).isZero();
    assertThat(none.out()).doesNotContain("Input resize");

    CliRun bad = predict("c", "--resize", "none", "--letterbox");
    assertThat(bad.code()).isNotZero();
    assertThat(bad.err()).contains("--letterbox with --resize none");
  }
}
