package org.seg4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.seg4j.train.TinyRuns.config;
import static org.seg4j.train.TinyRuns.quiet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.data.SyntheticShapes;

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
}
