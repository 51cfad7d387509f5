package org.seg4j.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.seg4j.train.TinyRuns.config;
import static org.seg4j.train.TinyRuns.quiet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.data.SyntheticShapes;
import org.seg4j.train.TinyRuns;
import org.seg4j.train.Trainer;

/** A run folder is written by one training at a time; a second one fails at once, naming it. */
class RunLockTest {
  @TempDir static Path data;
  @TempDir Path runs;

  @BeforeAll
  static void makeData() throws Exception {
    new SyntheticShapes(32, false, 3).write(data, 8);
  }

  @Test
  void aSecondTrainingIntoABusyRunIsRefusedAndTheFirstKeepsItsFiles() throws Exception {
    Path dir = runs.resolve("busy");
    TrainConfig first = config(data, "0..5", "6..7", 1);
    try (Trainer t = Trainer.start(first, dir, quiet())) {
      String config = Files.readString(dir.resolve("config.yml"));
      String pid = Long.toString(ProcessHandle.current().pid());
      TrainConfig second = config(data, "0..5", "6..7", 3).set("optimizer.lr", "0.5");
      assertThatThrownBy(() -> Trainer.start(second, dir, quiet()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(dir.toString())
          .hasMessageContaining("in use by another training (pid " + pid);
      assertThatThrownBy(() -> Trainer.resume(dir, quiet()))
          .hasMessageContaining("in use by another training");
      assertThat(Files.readString(dir.resolve("config.yml"))).isEqualTo(config);
      t.fit();
    }
    // released on close: the run resumes (nothing left to train, but it opens)
    try (Trainer t = Trainer.resume(dir, quiet())) {
      assertThat(t.runFolder().dir()).isEqualTo(dir);
    }
  }

  @Test
  void aRunThatFailsToStartLeavesNoLockBehind() {
    Path dir = runs.resolve("bad");
    assertThatThrownBy(
            () ->
                Trainer.start(
                    config(data, "0..5", "6..7", 1).set("data.val", "40..41"), dir, quiet()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(dir).doesNotExist();
  }

  @Test
  void resumeRemovesTempFilesThatKilledWritesLeft() throws Exception {
    Path dir = runs.resolve("temps");
    TinyRuns.train(config(data, "0..5", "6..7", 1), dir);
    Files.write(dir.resolve("checkpoints/.last.safetensors.81.tmp"), new byte[3000]);
    Files.write(dir.resolve(".log.csv.7.tmp"), new byte[10]);
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    try (Trainer t = Trainer.resume(dir, new PrintStream(said, true, StandardCharsets.UTF_8))) {
      assertThat(t.runFolder().dir()).isEqualTo(dir);
    }
    assertThat(said.toString(StandardCharsets.UTF_8)).contains("removed 2 temp file(s)");
    assertThat(dir.resolve("checkpoints/.last.safetensors.81.tmp")).doesNotExist();
    assertThat(dir.resolve(".log.csv.7.tmp")).doesNotExist();
    assertThat(dir.resolve("checkpoints/last.safetensors")).exists();
  }
}
