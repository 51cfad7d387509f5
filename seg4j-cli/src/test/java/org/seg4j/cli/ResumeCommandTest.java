package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.data.SyntheticShapes;
import org.seg4j.run.TrainConfig;

/**
 * {@code seg4j train --resume RUN --epochs N} extends a run to N epochs in total, bit for bit like
 * an uninterrupted run, and records the change in config.yml; everything that would make the
 * resumed run another run is refused by name before anything is written.
 */
class ResumeCommandTest {
  @TempDir static Path dir;
  static Path data;
  static Path runs;

  @BeforeAll
  static void makeData() throws Exception {
    data = dir.resolve("data");
    runs = dir.resolve("runs");
    new SyntheticShapes(32, false, 3).write(data, 16);
  }

  static Path train(String name, String... extra) {
    CliRun.ok(TinyData.trainArgs(data, runs, name, extra));
    return runs.resolve(name);
  }

  static Path file(Path run, String name) {
    return run.resolve("checkpoints").resolve(name);
  }

  /** Bytes of the files a refused command must leave alone. */
  static List<byte[]> files(Path run) throws Exception {
    return List.of(
        Files.readAllBytes(run.resolve("config.yml")),
        Files.readAllBytes(run.resolve("log.csv")),
        Files.readAllBytes(file(run, "last.train.safetensors")));
  }

  @Test
  void extendingAFinishedRunEqualsAnUninterruptedOne() throws Exception {
    Path whole = train("whole", "--epochs", "2");
    Path one = train("one", "--epochs", "1");
    CliRun r = CliRun.ok("train", "--resume", one.toString(), "--epochs", "2", "--no-progress");
    assertThat(r.out())
        .contains("train.epochs 1 -> 2 (seg4j train --resume --epochs 2, after epoch 1)")
        .contains("2 epochs from epoch 2")
        .contains("epoch 2:");
    assertThat(Files.readAllLines(one.resolve("log.csv"))).hasSize(3);
    TrainConfig cfg = TrainConfig.load(one.resolve("config.yml"));
    assertThat(cfg.integer("train.epochs")).isEqualTo(2);
    assertThat(cfg.at("history").size()).isEqualTo(1);
    assertThat(cfg.at("history").get(0).asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ: train\\.epochs 1 -> 2 .*");
    // model and optimiser state bit for bit as the run that went to 2 epochs at once
    RunFiles.assertSameTensors(
        file(whole, "last.safetensors"), file(one, "last.safetensors"), k -> true);
    RunFiles.assertSameTensors(
        file(whole, "last.train.safetensors"), file(one, "last.train.safetensors"), k -> true);
    assertThat(RunFiles.logColumn(one, "train_loss"))
        .isEqualTo(RunFiles.logColumn(whole, "train_loss"));
  }

  @Test
  void fewerEpochsThanDoneAreRefusedAndNothingIsWritten() throws Exception {
    Path two = train("two", "--epochs", "2");
    List<byte[]> before = files(two);
    CliRun r = CliRun.of("train", "--resume", two.toString(), "--epochs", "1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("--epochs 1 is below the 2 epochs")
        .contains("the total to reach, not the number to add")
        .contains("give at least 2");
    assertThat(files(two)).containsExactlyElementsOf(before);
  }

  @Test
  void aCosineRunIsNotStretched() throws Exception {
    Path cos = train("cos", "--schedule", "cosine");
    List<byte[]> before = files(cos);
    CliRun r = CliRun.of("train", "--resume", cos.toString(), "--epochs", "3");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("--epochs 3")
        .contains("schedule.name 'cosine'")
        .contains("over train.epochs (1)")
        .contains("--init-from " + cos);
    assertThat(files(cos)).containsExactlyElementsOf(before);
  }

  @Test
  void flagsThatWouldChangeTheRunAreRefusedByName() throws Exception {
    Path run = train("flags");
    List<byte[]> before = files(run);
    String[][] cases = {
      {"--batch", "2"},
      {"--loss", "dice"},
      {"--threads", "1"},
      {"--set", "optimizer.name=sgd"},
      {"--arch", "nested-unet"},
      {"--data", data.toString()},
    };
    for (String[] c : cases) {
      CliRun r = CliRun.of("train", "--resume", run.toString(), "--epochs", "2", c[0], c[1]);
      assertThat(r.code()).as(r.all()).isEqualTo(2);
      String shown = c[0].equals("--set") ? "--set " + c[1] : c[0] + " " + c[1];
      assertThat(r.err())
          .as(c[0])
          .contains("cannot be used with --resume")
          .contains(shown + ": ")
          .contains("--init-from " + run);
      assertThat(files(run)).as(c[0]).containsExactlyElementsOf(before);
    }
    CliRun loss = CliRun.of("train", "--resume", run.toString(), "--loss", "dice");
    assertThat(loss.err()).contains("--loss dice: it would change the loss");
    CliRun skip = CliRun.of("train", "--resume", run.toString(), "--skip-bad", "--overwrite");
    assertThat(skip.err())
        .contains("--skip-bad: it would change the training data")
        .contains("--overwrite: it starts a new run");
  }

  static List<Double> lrs(Path run) throws Exception {
    return RunFiles.logColumn(run, "lr").stream().map(Double::valueOf).toList();
  }

  @Test
  void lrEarlyStopAndSavePolicyApplyToTheRestAndAreRecorded() throws Exception {
    Path run = train("lr", "--epochs", "1");
    CliRun r =
        CliRun.ok(
            "train",
            "--resume",
            run.toString(),
            "--epochs",
            "3",
            "--lr",
            "0.0005",
            "--set",
            "train.early_stop=4",
            "--set",
            "train.save_every=1",
            "--no-progress");
    assertThat(r.out())
        .contains("train.epochs 1 -> 3, optimizer.lr 0.001 -> 0.0005, train.early_stop 0 -> 4")
        .contains("(seg4j train --resume --epochs 3 --set optimizer.lr=0.0005")
        .contains("after epoch 1)");
    TrainConfig cfg = TrainConfig.load(run.resolve("config.yml"));
    assertThat(cfg.number("optimizer.lr")).isEqualTo(0.0005);
    assertThat(cfg.integer("train.early_stop")).isEqualTo(4);
    assertThat(cfg.at("history").get(0).asText()).contains("train.save_every 0 -> 1");
    assertThat(lrs(run)).containsExactly(0.001, 0.0005, 0.0005);
    assertThat(file(run, "epoch_003.safetensors")).exists();
    // a second resume keeps the new values without repeating them
    CliRun again = CliRun.ok("train", "--resume", run.toString(), "--epochs", "4", "--no-progress");
    assertThat(lrs(run)).hasSize(4).last().isEqualTo(0.0005);
    assertThat(again.out()).contains("train.epochs 3 -> 4 (seg4j train --resume --epochs 4,");
  }

  @Test
  void aPlateauRateIsRescaledNotReset() throws Exception {
    Path run = train("plateau", "--schedule", "plateau", "--lr", "0.002");
    CliRun.ok(
        "train", "--resume", run.toString(), "--epochs", "2", "--lr", "0.004", "--no-progress");
    assertThat(lrs(run)).containsExactly(0.002, 0.004);
  }

  @Test
  void badResumeValuesAreRefusedAndNothingIsWritten() throws Exception {
    Path run = train("badvalues");
    List<byte[]> before = files(run);
    CliRun lr = CliRun.of("train", "--resume", run.toString(), "--lr", "0");
    Hostile.oneLineError(lr, "optimizer.lr", "out of range");
    CliRun stop = CliRun.of("train", "--resume", run.toString(), "--set", "train.early_stop=-2");
    Hostile.oneLineError(stop, "train.early_stop", "-2");
    assertThat(files(run)).containsExactlyElementsOf(before);
  }

  @Test
  void overwriteRestartsOnlyARunThatNeverFinishedAnEpoch() throws Exception {
    // a run that diverges in its first epoch leaves config.yml and no checkpoint
    CliRun bad = CliRun.of(TinyData.trainArgs(data, runs, "diverged", "--lr", "1e30"));
    assertThat(bad.code()).as(bad.all()).isEqualTo(2);
    assertThat(bad.err()).contains("No epoch was saved yet").contains("--overwrite");
    Path run = runs.resolve("diverged");
    assertThat(run.resolve("config.yml")).exists();
    CliRun again = CliRun.of(TinyData.trainArgs(data, runs, "diverged"));
    Hostile.oneLineError(again, run.toString(), "--overwrite");
    CliRun over = CliRun.ok(TinyData.trainArgs(data, runs, "diverged", "--overwrite"));
    assertThat(over.out()).contains("--overwrite: " + run + " never finished an epoch");
    assertThat(TrainConfig.load(run.resolve("config.yml")).number("optimizer.lr")).isEqualTo(0.001);
    assertThat(Files.readAllLines(run.resolve("log.csv"))).hasSize(2);
    List<byte[]> before = files(run);
    CliRun finished = CliRun.of(TinyData.trainArgs(data, runs, "diverged", "--overwrite"));
    Hostile.oneLineError(finished, "1 finished epoch", "--overwrite only replaces");
    assertThat(files(run)).containsExactlyElementsOf(before);
  }

  @Test
  void initFromWithResumeIsRefused() throws Exception {
    Path run = train("init");
    List<byte[]> before = files(run);
    CliRun r = CliRun.of("train", "--resume", run.toString(), "--init-from", run.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("--init-from " + run + " cannot be used with --resume")
        .contains("use one of them");
    assertThat(files(run)).containsExactlyElementsOf(before);
  }
}
