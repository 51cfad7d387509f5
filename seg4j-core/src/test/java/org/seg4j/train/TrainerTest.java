package org.seg4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.data.SyntheticShapes;
import org.seg4j.io.SafeTensors;
import org.seg4j.run.RunFolder;
import org.seg4j.run.TrainConfig;

/** End-to-end training on the built-in synthetic set: it learns, logs, checkpoints and resumes. */
class TrainerTest {
  @TempDir static Path data;
  @TempDir Path runs;

  /** All-background mIoU of the validation ids 20..23 (0.467). */
  static double allBackground;

  @BeforeAll
  static void makeData() throws Exception {
    SyntheticShapes shapes = new SyntheticShapes(48, false, 7);
    shapes.write(data, 24);
    allBackground = TinyRuns.allBackgroundMiou(shapes, 20, 23);
  }

  static TrainConfig tiny(int epochs) {
    return TinyRuns.config(data, "0..19", "20..23", epochs)
        .set("train.batch", "4")
        .set("augment", "[{type: hflip, p: 0.5}, {type: rot90, p: 1.0}]");
  }

  private static PrintStream quiet() {
    return TinyRuns.quiet();
  }

  @Test
  void learnsWellAboveChanceAndWritesTheRunFolder() throws Exception {
    Path dir = runs.resolve("learn");
    Trainer.Result r = TinyRuns.train(tiny(12), dir);
    // all-background scores 0.467 on these ids; this run reaches 0.786 (threshold 0.667)
    assertThat(r.bestMiou())
        .as("best %s vs all-background %s", r.bestMiou(), allBackground)
        .isGreaterThan(allBackground + 0.2);
    assertThat(dir.resolve("config.yml")).exists();
    assertThat(dir.resolve("checkpoints/last.safetensors")).exists();
    assertThat(dir.resolve("checkpoints/best.safetensors")).exists();
    List<String> log = Files.readAllLines(dir.resolve("log.csv"));
    assertThat(log.get(0))
        .startsWith("epoch,lr,train_loss,val_loss,val_miou,iou_background,iou_disc,seconds");
    assertThat(log).hasSize(13);
    TrainConfig reread = TrainConfig.load(dir.resolve("config.yml"));
    assertThat(reread.integer("model.base")).isEqualTo(4);
  }

  @Test
  void resumeAfterAKillGivesBitIdenticalWeights() throws Exception {
    Path full = runs.resolve("full");
    TinyRuns.train(tiny(3), full);
    Path cut = runs.resolve("cut");
    TinyRuns.train(tiny(3).set("train.epochs", "1"), cut);
    // simulate the rest of the run after a kill: same config, resumed from the state file
    TrainConfig cfg = TrainConfig.load(cut.resolve("config.yml")).set("train.epochs", "3");
    RunFolder.writeText(cut.resolve("config.yml"), cfg.toYaml());
    try (Trainer t = Trainer.resume(cut, quiet())) {
      t.fit();
    }
    Map<String, SafeTensors.Tensor> a =
        SafeTensors.read(full.resolve("checkpoints/last.safetensors")).tensors();
    Map<String, SafeTensors.Tensor> b =
        SafeTensors.read(cut.resolve("checkpoints/last.safetensors")).tensors();
    assertThat(b.keySet()).isEqualTo(a.keySet());
    for (String k : a.keySet()) {
      assertThat(b.get(k).data()).as(k).isEqualTo(a.get(k).data());
    }
    assertThat(Files.readAllLines(cut.resolve("log.csv"))).hasSize(4);
  }

  @Test
  void aHandEditedConfigOutOfRangeIsRefusedOnResumeNamingTheKey() throws Exception {
    Path cut = runs.resolve("edited");
    TinyRuns.train(tiny(1), cut);
    TrainConfig cfg = TrainConfig.load(cut.resolve("config.yml")).set("train.batch", "0");
    RunFolder.writeText(cut.resolve("config.yml"), cfg.toYaml());
    assertThatThrownBy(() -> Trainer.resume(cut, quiet()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("train.batch")
        .hasMessageContaining("0");
  }

  @Test
  void aFixedSeedGivesTheSameLossCurve() throws Exception {
    List<List<String>> curves = new ArrayList<>();
    for (String name : List.of("seed-a", "seed-b")) {
      Path dir = runs.resolve(name);
      TinyRuns.train(tiny(3).set("seed", "11"), dir);
      for (String column : List.of("train_loss", "val_loss", "val_miou")) {
        curves.add(TinyRuns.logColumn(dir, column));
      }
    }
    assertThat(curves).hasSize(6);
    assertThat(curves.subList(3, 6)).isEqualTo(curves.subList(0, 3));
  }

  @Test
  void startingOverAnExistingRunIsRefused() throws Exception {
    Path dir = runs.resolve("twice");
    TinyRuns.train(tiny(1), dir);
    assertThatThrownBy(() -> Trainer.start(tiny(1), dir, quiet()))
        .hasMessageContaining("already holds a run")
        .hasMessageContaining("resume=");
  }

  @Test
  void divergingLossStopsWithEpochAndBatchNamed() throws Exception {
    Path dir = runs.resolve("nan");
    try (Trainer t = Trainer.start(tiny(2).set("optimizer.lr", "1e30"), dir, quiet())) {
      assertThatThrownBy(t::fit)
          .isInstanceOf(TrainingDivergedException.class)
          .hasMessageContaining("epoch")
          .hasMessageContaining("batch")
          // it diverged before any epoch was saved: no checkpoint may be named
          .hasMessageContaining("No epoch was saved yet")
          .hasMessageNotContaining("last.safetensors");
    }
    assertThat(dir.resolve("checkpoints/last.safetensors")).doesNotExist();
  }

  @Test
  void borderWeightsReachTheLossAndStillLearn() throws Exception {
    Path plain = runs.resolve("plain");
    TinyRuns.train(tiny(6), plain);
    Path border = runs.resolve("border");
    Trainer.Result r = TinyRuns.train(tiny(6).set("loss.border_weights", "true"), border);
    String plainEpoch1 = TinyRuns.logColumn(plain, "train_loss").get(0);
    String borderEpoch1 = TinyRuns.logColumn(border, "train_loss").get(0);
    assertThat(borderEpoch1).isNotEqualTo(plainEpoch1);
    // all-background scores 0.467 on these ids; this run reaches 0.724 (threshold 0.617)
    assertThat(r.bestMiou())
        .as("best %s vs all-background %s", r.bestMiou(), allBackground)
        .isGreaterThan(allBackground + 0.15);
    assertThat(TrainConfig.load(border.resolve("config.yml")).bool("loss.border_weights")).isTrue();
  }

  @Test
  void borderWeightsNeedALossWithAPerPixelForm() {
    assertThatThrownBy(
            () ->
                Trainer.start(
                    tiny(1).set("loss.border_weights", "true").set("loss.name", "dice"),
                    runs.resolve("dice"),
                    quiet()))
        .hasMessageContaining("loss.border_weights")
        .hasMessageContaining("'dice'")
        .hasMessageContaining("use ce");
    assertThat(runs.resolve("dice")).as("a run that never started leaves no folder").doesNotExist();
    assertThatThrownBy(
            () ->
                Trainer.start(
                    tiny(1).set("loss.border_weights", "true").set("loss.border_class", "2"),
                    runs.resolve("class"),
                    quiet()))
        .hasMessageContaining("loss.border_class")
        .hasMessageContaining("(0..1)");
  }

  @Test
  void dropLastSkipsTheShortBatchAndRefusesToDropThemAll() throws Exception {
    // 20 training images in batches of 8: 3 steps an epoch, 2 with data.drop_last
    for (boolean drop : new boolean[] {false, true}) {
      Path dir = runs.resolve("drop-" + drop);
      TinyRuns.train(tiny(2).set("train.batch", "8").set("data.drop_last", "" + drop), dir);
      long steps =
          SafeTensors.read(dir.resolve("checkpoints/last.train.safetensors"))
              .tensors()
              .get("optim/step")
              .toLongs()[0];
      assertThat(steps).as("optimizer steps with drop_last %s", drop).isEqualTo(drop ? 4 : 6);
    }
    assertThatThrownBy(
            () ->
                Trainer.start(
                    tiny(1).set("train.batch", "32").set("data.drop_last", "true"),
                    runs.resolve("drop-all"),
                    quiet()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "data.drop_last drops every batch: an epoch draws 20 training images, fewer than"
                + " train.batch 32; lower train.batch or set data.drop_last=false");
  }
}
