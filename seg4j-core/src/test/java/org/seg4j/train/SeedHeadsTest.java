package org.seg4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.seg4j.train.TinyRuns.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.data.Sample;
import org.seg4j.data.SyntheticShapes;
import org.seg4j.infer.LoadedModel;
import org.seg4j.infer.PredictionMaps;
import org.seg4j.run.TrainConfig;

/**
 * The heads the seed write-ups train: a single sigmoid logit with BCE+Dice (pytorch-nested-unet,
 * the U-Net summary) and the paper's valid-convolution U-Net on mirrored-context tiles.
 */
class SeedHeadsTest {
  @TempDir static Path data;
  @TempDir Path runs;

  /** All-background mIoU of validation ids 20..23: bg IoU = bg fraction, fg IoU 0. */
  static double allBackground;

  @BeforeAll
  static void makeData() throws Exception {
    SyntheticShapes shapes = new SyntheticShapes(48, false, 7);
    shapes.write(data, 24);
    allBackground = TinyRuns.allBackgroundMiou(shapes, 20, 23);
  }

  @Test
  void aSigmoidHeadTrainsWithBceDiceAndPredictsBinaryMasks() throws Exception {
    TrainConfig cfg =
        config(data, "0..19", "20..23", 6).set("model.classes", "1").set("loss.name", "bce+dice");
    Path dir = runs.resolve("sigmoid");
    Trainer.Result r = TinyRuns.train(cfg, dir);
    // all-background scores 0.467 on these ids; a sigmoid head learnt 0.8+ in 6 epochs
    assertThat(r.bestMiou())
        .as("best %s vs all-background %s", r.bestMiou(), allBackground)
        .isGreaterThan(allBackground + 0.15);
    List<String> log = Files.readAllLines(dir.resolve("log.csv"));
    assertThat(log.get(0))
        .contains("iou_background", "iou_disc", "fg_dice", "fg_precision", "fg_recall");
    assertThat(log).hasSize(7);
    try (LoadedModel s = LoadedModel.fromRun(dir)) {
      Sample img = new SyntheticShapes(48, false, 7).sample(21);
      PredictionMaps p = s.predict(img);
      assertThat(p.classes()).isEqualTo(2);
      assertThat(s.classNames()).containsExactly("background", "disc");
      for (int i = 0; i < p.mask().length; i++) {
        int want = p.probabilities()[p.mask().length + i] > 0.5f ? 1 : 0;
        assertThat(p.mask()[i]).isEqualTo(want);
      }
    }
  }

  @Test
  void aBinaryLossOnASoftmaxHeadIsRefusedBeforeAnythingIsWritten() {
    Path dir = runs.resolve("bce2");
    assertThatThrownBy(
            () -> TinyRuns.train(config(data, "0..19", "20..23", 1).set("loss.name", "bce"), dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loss.name")
        .hasMessageContaining("model.classes=1");
    assertThat(dir).doesNotExist();
    assertThatThrownBy(
            () ->
                TinyRuns.train(
                    config(data, "0..19", "20..23", 1).set("model.classes", "1"),
                    runs.resolve("ce1")))
        .hasMessageContaining("'ce', a softmax loss")
        .hasMessageContaining("bce+dice");
    assertThat(runs.resolve("ce1")).doesNotExist();
    assertThatThrownBy(
            () ->
                TinyRuns.train(
                    config(data, "0..19", "20..23", 1).set("loss.pos_weight", "3"),
                    runs.resolve("pw")))
        .hasMessageContaining("loss.pos_weight");
  }

  /** The paper's setup at toy size: valid convs, crops naming the output window, SGD 0.99. */
  static TrainConfig validUNet(String crop) {
    return config(data, "0..19", "20..23", 3)
        .set("model.arch", "unet-valid")
        .set("model.options", "{depth: 2}")
        .set("augment", "[{type: random_crop, size: " + crop + "}, {type: hflip, p: 0.5}]")
        .set("loss.border_weights", "true")
        .set("optimizer.name", "sgd")
        .set("optimizer.momentum", "0.99")
        .set("train.batch", "1");
  }

  @Test
  void thePapersValidUNetTrainsOnTilesWithMirroredContext() throws Exception {
    Path dir = runs.resolve("valid");
    Trainer.Result r = TinyRuns.train(validUNet("20"), dir);
    assertThat(r.epochs()).isEqualTo(3);
    assertThat(r.bestMiou()).isBetween(0.0, 1.0);
    try (LoadedModel s = LoadedModel.fromRun(dir)) {
      PredictionMaps p = s.predict(new SyntheticShapes(48, false, 7).sample(22));
      assertThat(p.height()).isEqualTo(48);
      assertThat(p.width()).isEqualTo(48);
    }
  }

  @Test
  void aCropTheValidUNetCannotTileNamesTheNearestSize() {
    assertThatThrownBy(() -> TinyRuns.train(validUNet("21"), runs.resolve("v21")))
        .hasMessageContaining("random_crop size 21")
        .hasMessageContaining("use size 20 (input 60)");
    assertThatThrownBy(
            () -> TinyRuns.train(validUNet("20").set("augment", "[]"), runs.resolve("nocrop")))
        .hasMessageContaining("trains on tiles");
  }
}
