package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.seg4j.io.TestPause;
import org.seg4j.testutil.ChildJvm;

/**
 * Issue 9 item 2 and the kill tests: a real {@code seg4j train --resume RUN --epochs 3} runs in a
 * child JVM, stops at a chosen point of epoch 2 through the test hook {@link TestPause} and is
 * killed there with SIGKILL ({@link Process#destroyForcibly}). The run is then resumed and must
 * equal an uninterrupted 3-epoch run of the same seed: the same log.csv rows (every column but
 * {@code seconds}), one per epoch, and bit-identical weights and optimiser state.
 */
class KillResumeTest {
  @TempDir static Path dir;
  static Path data;
  static Path runs;
  static Path whole;

  static String[] args(String name, String epochs) {
    return TinyData.trainArgs(data, runs, name, "--epochs", epochs, "--threads", "1");
  }

  @BeforeAll
  static void uninterrupted() throws Exception {
    data = TinyData.synthetic(dir.resolve("data"), 16);
    runs = dir.resolve("runs");
    CliRun.ok(args("whole", "3"));
    whole = runs.resolve("whole");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // after epoch 2's first step, nothing of epoch 2 written yet
    "mid-epoch, 1",
    // half-way through epoch 2's last.safetensors: log and resume file still at epoch 1
    "checkpoint-write:last.safetensors, 1",
    // half-way through log.csv's temp file: the old log stays
    "log-append, 1",
    // half-way through epoch 2's resume file: the log already has epoch 2's row, which resume drops
    "checkpoint-write:last.train.safetensors, 2",
  })
  void aRunKilledAtAnyPointResumesToTheUninterruptedResult(String point, int rowsAtKill)
      throws Exception {
    String name = "killed-" + point.replaceAll("[^a-z]", "");
    CliRun.ok(args(name, "1"));
    Path run = runs.resolve(name);

    String marker = killChildAt(point, run);
    assertThat(marker).startsWith(TestPause.MARKER + " " + point.replaceFirst(":.*", ""));
    int left = temps(run).size();
    if (point.equals("mid-epoch")) {
      assertThat(left).as("a kill between steps leaves no temp file").isZero();
    } else {
      assertThat(left).as("the kill left a half-written temp file").isPositive();
    }
    assertThat(Files.readAllLines(run.resolve("log.csv"))).hasSize(1 + rowsAtKill);

    CliRun r = CliRun.ok("train", "--resume", run.toString(), "--no-progress");
    assertThat(r.out())
        .contains(left == 0 ? "3 epochs from epoch 2" : "removed " + left + " temp file(s)")
        .contains("3 epochs from epoch 2")
        .doesNotContain("warning");
    assertThat(temps(run)).isEmpty();
    assertSameRun(whole, run);
  }

  @Test
  void aLogThatLostARowInAnOlderSeg4jIsReportedOnResume() throws Exception {
    CliRun.ok(args("old", "2"));
    Path run = runs.resolve("old");
    Path log = run.resolve("log.csv");
    List<String> lines = new ArrayList<>(Files.readAllLines(log));
    lines.remove(2); // epoch 2's row, as a kill between the resume file and the log left it
    Files.write(log, lines);
    CliRun r = CliRun.ok("train", "--resume", run.toString(), "--epochs", "3", "--no-progress");
    assertThat(r.out())
        .contains("warning: " + log + " has no row for epoch 2 of the 2 finished")
        .contains("the checkpoints hold every epoch");
    assertThat(RunFiles.logColumn(run, "epoch")).containsExactly("1", "3");
    RunFiles.assertSameTensors(
        whole.resolve("checkpoints/last.safetensors"),
        run.resolve("checkpoints/last.safetensors"),
        k -> true);
  }

  /** Runs {@code train --resume run --epochs 3} in a child JVM and kills it at {@code point}. */
  static String killChildAt(String point, Path run) throws Exception {
    return ChildJvm.killAtPause(
        point, "train", "--resume", run.toString(), "--epochs", "3", "--no-progress");
  }

  /** The temp files of a run (the checkpoints folder and the run folder). */
  static List<Path> temps(Path run) throws Exception {
    List<Path> t = new ArrayList<>();
    for (Path d : List.of(run, run.resolve("checkpoints"))) {
      try (Stream<Path> s = Files.list(d)) {
        s.filter(f -> f.getFileName().toString().endsWith(".tmp")).forEach(t::add);
      }
    }
    return t;
  }

  /** Same log rows (all but seconds), one per epoch, and bit-identical checkpoints. */
  static void assertSameRun(Path expected, Path actual) throws Exception {
    List<String> header =
        List.of(Files.readAllLines(expected.resolve("log.csv")).get(0).split(","));
    assertThat(Files.readAllLines(actual.resolve("log.csv")).get(0))
        .isEqualTo(String.join(",", header));
    assertThat(RunFiles.logColumn(actual, "epoch")).containsExactly("1", "2", "3");
    for (String column : header) {
      if (!column.equals("seconds")) {
        assertThat(RunFiles.logColumn(actual, column))
            .as(column)
            .isEqualTo(RunFiles.logColumn(expected, column));
      }
    }
    for (String f : List.of("last.safetensors", "best.safetensors", "last.train.safetensors")) {
      RunFiles.assertSameTensors(
          expected.resolve("checkpoints").resolve(f),
          actual.resolve("checkpoints").resolve(f),
          k -> true);
    }
  }
}
