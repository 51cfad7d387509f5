package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.seg4j.io.TestPause;
import org.seg4j.testutil.ChildJvm;

/**
 * Issue 13 item 3, the schedule boundary: a 4-epoch cosine run with 2 epochs of warm-up (the rate
 * rises per step through epochs 1-2, then follows the cosine) is killed with SIGKILL in a child JVM
 * mid-way through epoch 2 (inside the warm-up) or epoch 3 (the first epoch past it), resumed with
 * {@code train --resume}, and must equal the uninterrupted run: every log.csv column but {@code
 * seconds} (the lr column included) and the weights, best and optimiser state bit for bit. The
 * earlier epochs are trained in sittings that a 0-minute budget ({@code train.max_minutes}) stops
 * after one epoch each, so {@code train.epochs}, and with it the cosine, stays 4 throughout.
 */
class ScheduleKillResumeTest {
  @TempDir static Path dir;
  static Path data;
  static Path runs;
  static Path whole;

  static String[] args(String name, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "--epochs",
                "4",
                "--threads",
                "1",
                "--set",
                "optimizer.lr=0.01",
                "--set",
                "schedule.name=cosine",
                "--set",
                "schedule.warmup_epochs=2",
                "--set",
                "schedule.warmup_start=0.1"));
    a.addAll(List.of(extra));
    return TinyData.trainArgs(data, runs, name, a.toArray(String[]::new));
  }

  @BeforeAll
  static void uninterrupted() throws Exception {
    data = TinyData.synthetic(dir.resolve("data"), 16);
    runs = dir.resolve("runs");
    CliRun.ok(args("whole"));
    whole = runs.resolve("whole");
  }

  @ParameterizedTest(name = "killed in epoch {0}")
  @ValueSource(ints = {2, 3})
  void aRunKilledAroundTheWarmupBoundaryResumesToTheUninterruptedRun(int killedIn)
      throws Exception {
    String name = "killed-" + killedIn;
    Path run = runs.resolve(name);
    CliRun first = CliRun.ok(args(name, "--set", "train.max_minutes=0.00001"));
    assertThat(first.out()).contains("time budget");
    for (int done = 1; done < killedIn - 1; done++) {
      CliRun.ok("train", "--resume", run.toString(), "--no-progress");
    }
    assertThat(RunFiles.logColumn(run, "epoch")).hasSize(killedIn - 1);

    String marker =
        ChildJvm.killAtPause(
            "mid-epoch",
            "train",
            "--resume",
            run.toString(),
            "--set",
            "train.max_minutes=0",
            "--no-progress");
    assertThat(marker).startsWith(TestPause.MARKER + " mid-epoch");
    assertThat(RunFiles.logColumn(run, "epoch"))
        .as("the kill came before epoch %d's end", killedIn)
        .hasSize(killedIn - 1);

    CliRun r =
        CliRun.ok(
            "train", "--resume", run.toString(), "--set", "train.max_minutes=0", "--no-progress");
    assertThat(r.out()).contains("4 epochs from epoch " + killedIn).doesNotContain("warning");
    assertThat(RunFiles.logColumn(run, "epoch")).containsExactly("1", "2", "3", "4");
    List<String> header = List.of(Files.readAllLines(whole.resolve("log.csv")).get(0).split(","));
    for (String column : header) {
      if (!column.equals("seconds")) {
        assertThat(RunFiles.logColumn(run, column))
            .as(column)
            .isEqualTo(RunFiles.logColumn(whole, column));
      }
    }
    // the rates themselves (log.csv keeps 6 digits): warm-up 0.1 -> 1 over epochs 1-2 on top of the
    // cosine over 4 epochs
    List<String> lr = RunFiles.logColumn(run, "lr");
    for (int e = 0; e < 4; e++) {
      double want = 0.01 * (1 + Math.cos(Math.PI * e / 4)) / 2 * (e < 2 ? 0.1 + 0.9 * e / 2 : 1);
      assertThat(Double.parseDouble(lr.get(e)))
          .as("lr of epoch %d", e + 1)
          .isCloseTo(want, org.assertj.core.data.Offset.offset(want * 1e-5));
    }
    for (String f : List.of("last.safetensors", "best.safetensors", "last.train.safetensors")) {
      RunFiles.assertSameTensors(
          whole.resolve("checkpoints").resolve(f),
          run.resolve("checkpoints").resolve(f),
          k -> true);
    }
  }
}
