package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.data.SyntheticShapes;
import org.seg4j.io.SafeTensors;

/**
 * Freeze-then-release as bubbliiiing trains a VGG16 U-Net: the encoder stays as it was for {@code
 * train.freeze_epochs} with {@code freeze_batch} and {@code freeze_lr}, then trains with {@code
 * train.batch} and {@code optimizer.lr}; a run resumed at the release equals one that was not
 * interrupted. (Base 8: at base 4 this VGG16 U-Net's ReLUs are all dead on these images and only
 * the head's bias learns.)
 */
class FreezeCommandTest {
  @TempDir static Path dir;
  static Path data;
  static Path runs;
  static Path start;
  static Path frozen;
  static CliRun frozenRun;

  static final Predicate<String> ENCODER = k -> k.startsWith("vgg.");
  static final Predicate<String> DECODER = ENCODER.negate();

  /** A vgg16-unet run from the weights of {@code start}, encoder frozen for 2 of 3 epochs. */
  static String[] args(String name, String epochs, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "--arch",
                "vgg16-unet",
                "--set",
                "model.options={}",
                "--epochs",
                epochs,
                "--base",
                "8",
                "--lr",
                "0.001",
                "--init-from",
                start.resolve("checkpoints/last.safetensors").toString(),
                "--set",
                "train.freeze_epochs=2",
                "--set",
                "train.freeze_batch=2",
                "--set",
                "train.freeze_lr=0.0001",
                "--set",
                "train.save_every=1"));
    a.addAll(List.of(extra));
    return TinyData.trainArgs(data, runs, name, a.toArray(String[]::new));
  }

  @BeforeAll
  static void trainFrozenThenReleased() throws Exception {
    data = dir.resolve("data");
    runs = dir.resolve("runs");
    new SyntheticShapes(32, false, 3).write(data, 16);
    CliRun.ok(
        TinyData.trainArgs(
            data,
            runs,
            "start",
            "--arch",
            "vgg16-unet",
            "--base",
            "8",
            "--set",
            "model.options={}"));
    start = runs.resolve("start");
    frozenRun = CliRun.of(args("frozen", "3"));
    frozen = runs.resolve("frozen");
  }

  static Path ckpt(Path run, String tag) {
    return run.resolve("checkpoints").resolve(tag + ".safetensors");
  }

  @Test
  void theEncoderKeepsItsWeightsWhileFrozenAndTrainsAfter() throws Exception {
    assertThat(frozenRun.code()).as(frozenRun.all()).isZero();
    Path init = ckpt(start, "last");
    for (String e : List.of("epoch_001", "epoch_002")) {
      RunFiles.assertSameTensors(init, ckpt(frozen, e), ENCODER);
      assertThat(RunFiles.anyDiffers(init, ckpt(frozen, e), DECODER)).as(e).isTrue();
    }
    assertThat(RunFiles.anyDiffers(ckpt(frozen, "epoch_002"), ckpt(frozen, "epoch_003"), ENCODER))
        .as("encoder trains after the release")
        .isTrue();
  }

  @Test
  void eachPhaseHasItsBatchAndLearningRate() throws Exception {
    assertThat(frozenRun.out())
        .contains("epochs 1-2: encoder frozen (batch 2, lr 0.0001)")
        .contains("epoch 3: encoder released after 2 frozen epochs (batch 4, lr 0.001)");
    assertThat(RunFiles.logColumn(frozen, "lr").stream().map(Double::parseDouble).toList())
        .containsExactly(0.0001, 0.0001, 0.001);
    // 12 training images: 2 epochs of 6 batches of 2, then 3 batches of 4
    SafeTensors.Contents state = SafeTensors.read(ckpt(frozen, "last.train"));
    assertThat(state.tensors().get("optim/step").toLongs()).containsExactly(15L);
    assertThat(state.tensors().get("optim/skipped/vgg.features.0.weight").toLongs())
        .containsExactly(12L);
  }

  @Test
  void resumingAtTheReleaseEqualsTheUninterruptedRun() throws Exception {
    CliRun cut = CliRun.ok(args("cut", "2"));
    Path run = runs.resolve("cut");
    CliRun r = CliRun.ok("train", "--resume", run.toString(), "--epochs", "3", "--no-progress");
    assertThat(r.out()).contains("epoch 3: encoder released");
    RunFiles.assertSameTensors(ckpt(frozen, "last"), ckpt(run, "last"), k -> true);
    RunFiles.assertSameTensors(ckpt(frozen, "last.train"), ckpt(run, "last.train"), k -> true);
    assertThat(RunFiles.logColumn(run, "train_loss"))
        .isEqualTo(RunFiles.logColumn(frozen, "train_loss"));
  }

  @Test
  void freezingAModelWithoutAnEncoderIsRefusedByKey() throws Exception {
    CliRun r =
        CliRun.of(TinyData.trainArgs(data, runs, "unet-frozen", "--set", "train.freeze_epochs=2"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("config key 'train.freeze_epochs' = 2")
        .contains("model.arch 'unet' has no separate encoder")
        .contains("train.freeze_epochs: 0");
    assertThat(runs.resolve("unet-frozen")).doesNotExist();
    CliRun b =
        CliRun.of(TinyData.trainArgs(data, runs, "batch-only", "--set", "train.freeze_batch=2"));
    assertThat(b.code()).isEqualTo(2);
    assertThat(b.err())
        .contains("config key 'train.freeze_batch' = 2")
        .contains("train.freeze_epochs is 0");
    assertThat(runs.resolve("batch-only")).doesNotExist();
    assertThat(Files.exists(runs.resolve("frozen/config.yml"))).isTrue();
  }
}
