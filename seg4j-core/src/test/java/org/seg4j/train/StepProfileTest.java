package org.seg4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.data.SyntheticShapes;
import org.seg4j.run.TrainConfig;

/**
 * {@code train.profile}: a run prints where its steps' time went and libtorch's ops, writes
 * profile.json and the trace, and trains exactly as it would unprofiled.
 */
class StepProfileTest {
  @TempDir static Path data;
  @TempDir Path runs;

  @BeforeAll
  static void makeData() throws Exception {
    new SyntheticShapes(32, false, 7).write(data, 24);
  }

  /** 20 training images in batches of 4: 5 steps an epoch, so 3 epochs pass the warm-up. */
  private static TrainConfig tiny() {
    return TinyRuns.config(data, "0..19", "20..23", 3)
        .set("train.batch", "4")
        .set("augment", "[{type: hflip, p: 0.5}]");
  }

  @Test
  void aProfiledRunSplitsItsStepsAndTrainsAsAnUnprofiledOne() throws Exception {
    Path plain = runs.resolve("plain");
    TinyRuns.train(tiny(), plain);
    Path profiled = runs.resolve("profiled");
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        Trainer t = Trainer.start(tiny().set("train.profile", "true"), profiled, out)) {
      t.fit();
    }
    String printed = console.toString(StandardCharsets.UTF_8);
    // 15 steps: 8 warm-up, 7 counted; the batches are 4 grey images of 32x32
    assertThat(printed)
        .contains("step profile: 7 steps of 4x1x32x32 after 8 warm-up steps")
        .contains("forward")
        .contains("backward")
        .contains("native ops (libtorch's profiler, 3 steps");
    JsonNode json = new ObjectMapper().readTree(profiled.resolve("profile.json").toFile());
    assertThat(json.path("steps").asInt()).isEqualTo(7);
    JsonNode ms = json.path("ms_per_step");
    for (String part : List.of("forward", "loss", "backward", "optimizer", "assemble")) {
      assertThat(ms.path(part).asDouble()).as(part).isGreaterThan(0);
    }
    List<String> ops = new ArrayList<>();
    json.path("native_ops").forEach(o -> ops.add(o.path("op").asText()));
    // a U-Net step runs convolutions forward and backward, and batch norms
    assertThat(ops)
        .anyMatch(o -> o.contains("convolution"))
        .anyMatch(o -> o.contains("batch_norm"));
    assertThat(profiled.resolve("libtorch-trace.json")).isNotEmptyFile();
    for (String column : List.of("train_loss", "val_loss", "val_miou")) {
      assertThat(TinyRuns.logColumn(profiled, column))
          .as(column)
          .isEqualTo(TinyRuns.logColumn(plain, column));
    }
  }
}
