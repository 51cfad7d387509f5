package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.seg4j.data.SyntheticShapes;
import org.seg4j.io.SafeTensors.Tensor;
import org.seg4j.run.TrainConfig;

/**
 * Issue 13 item 4, training: each training option a user sets is run once through {@code seg4j
 * train} on 16x16 synthetic data ({@link TinyData#trainArgs}) and its effect is checked in the run
 * folder (log.csv columns, checkpoint tensors, files), not only the exit code. {@code
 * freeze_epochs} is {@link FreezeCommandTest}, {@code max_minutes} {@link SeedWorkflowsTest}.
 */
class TrainOptionsTest {
  @TempDir static Path dir;
  static Path data;
  static Path runs;

  /** The first train_loss of each loss tested so far, ce first. */
  static final Map<String, Double> LOSSES = new ConcurrentHashMap<>();

  /** The reference run: ce, adam at lr 0.01, 1 epoch. */
  static Path plain;

  /** The same model before any step: lr 1e-30 leaves a model without batch norm as it started. */
  static Path untrained;

  @BeforeAll
  static void reference() throws Exception {
    data = TinyData.synthetic(dir.resolve("data"), 16);
    runs = dir.resolve("runs");
    plain = train("plain");
    untrained = train("untrained", "--set", "optimizer.lr=1e-30");
    LOSSES.put("ce", firstLoss(plain));
  }

  /** A quick run at lr 0.01 with {@code extra} flags; returns its folder. */
  static Path train(String name, String... extra) {
    List<String> a = new ArrayList<>(List.of("--set", "optimizer.lr=0.01"));
    a.addAll(List.of(extra));
    return TinyData.train(data, runs, name, a.toArray(String[]::new));
  }

  static double firstLoss(Path run) throws Exception {
    return Double.parseDouble(RunFiles.logColumn(run, "train_loss").get(0));
  }

  static Path last(Path run) {
    return run.resolve("checkpoints/last.safetensors");
  }

  @ParameterizedTest(name = "{0} with {1} class(es)")
  @CsvSource({
    "bce, 1",
    "focal, 2",
    "dice, 2",
    "ce+dice, 2",
    "bce+dice, 1",
    "lovasz, 1",
    "lovasz-softmax, 2",
  })
  void eachLossTrainsItsHeadAndGivesItsOwnLoss(String loss, int classes) throws Exception {
    Path run =
        train(
            "loss-" + loss.replace('+', '_'),
            "--set",
            "loss.name=" + loss,
            "--set",
            "model.classes=" + classes);
    double l = firstLoss(run);
    assertThat(l).as("%s train_loss", loss).isFinite().isNotEqualTo(firstLoss(plain));
    assertThat(LOSSES).as("%s train_loss %s vs the other losses'", loss, l).doesNotContainValue(l);
    LOSSES.put(loss, l);
    Map<String, Tensor> w = RunFiles.tensors(last(run));
    String head =
        w.keySet().stream()
            .filter(k -> k.endsWith(".weight") && w.get(k).shape().length == 4)
            .filter(k -> w.get(k).shape()[2] == 1 && w.get(k).shape()[3] == 1)
            .findFirst()
            .orElseThrow();
    assertThat(w.get(head).shape()[0]).as("%s: out channels of %s", loss, head).isEqualTo(classes);
    List<String> header = List.of(Files.readAllLines(run.resolve("log.csv")).get(0).split(","));
    if (classes == 1) {
      // a sigmoid head is judged on its foreground
      assertThat(header).contains("fg_dice", "fg_precision", "fg_recall");
    } else {
      assertThat(header).doesNotContain("fg_dice");
    }
    assertThat(Double.parseDouble(RunFiles.logColumn(run, "val_miou").get(0))).isBetween(0.0, 1.0);
  }

  @Test
  void eachOptimiserMovesTheWeightsItsOwnWay() throws Exception {
    // adam and adamw differ only with a weight decay (L2 in the gradient vs decoupled)
    Path adam = train("adam", "--set", "optimizer.weight_decay=0.01");
    Path adamw =
        train("adamw", "--set", "optimizer.name=adamw", "--set", "optimizer.weight_decay=0.01");
    Path sgd = train("sgd", "--set", "optimizer.name=sgd");
    List<Path> all = List.of(plain, adam, adamw, sgd);
    for (int i = 0; i < all.size(); i++) {
      assertThat(RunFiles.anyDiffers(last(untrained), last(all.get(i)), k -> true))
          .as("%s trained", all.get(i))
          .isTrue();
      for (int j = i + 1; j < all.size(); j++) {
        assertThat(RunFiles.anyDiffers(last(all.get(i)), last(all.get(j)), k -> true))
            .as("%s vs %s", all.get(i), all.get(j))
            .isTrue();
      }
    }
    assertThat(TrainConfig.load(adamw.resolve("config.yml")).str("optimizer.name"))
        .isEqualTo("adamw");
  }

  /**
   * Each schedule with 2 epochs of warm-up from 0.1 x lr over 3 epochs: the lr column is the
   * formula's rate at each epoch's start, recomputed here (plateau from the logged val_miou).
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"constant", "step", "multistep", "cosine", "poly", "plateau"})
  void eachScheduleWithWarmupLogsTheRateOfItsFormula(String schedule) throws Exception {
    Path run =
        train(
            "schedule-" + schedule,
            "--epochs",
            "3",
            "--set",
            "schedule.name=" + schedule,
            "--set",
            "schedule.warmup_epochs=2",
            "--set",
            "schedule.warmup_start=0.1",
            "--set",
            "schedule.step_size=1",
            "--set",
            "schedule.milestones=[1, 2]",
            "--set",
            "schedule.gamma=0.5",
            "--set",
            "schedule.patience=0",
            "--set",
            "schedule.factor=0.5");
    List<String> lr = RunFiles.logColumn(run, "lr");
    List<String> miou = RunFiles.logColumn(run, "val_miou");
    assertThat(lr).hasSize(3);
    double base = 0.01;
    double plateau = base;
    double best = Double.NEGATIVE_INFINITY;
    for (int e = 0; e < 3; e++) {
      double inner =
          switch (schedule) {
            case "constant" -> base;
            case "step" -> base * Math.pow(0.5, e);
            case "multistep" -> base * Math.pow(0.5, e >= 2 ? 2 : e >= 1 ? 1 : 0);
            case "cosine" -> base * (1 + Math.cos(Math.PI * e / 3)) / 2;
            case "poly" -> base * Math.pow(1 - e / 3.0, 0.9);
            default -> plateau;
          };
      double warm = e < 2 ? 0.1 + 0.9 * e / 2 : 1;
      double want = inner * warm;
      assertThat(Double.parseDouble(lr.get(e)))
          .as("%s lr at epoch %d", schedule, e + 1)
          .isCloseTo(want, org.assertj.core.data.Offset.offset(want * 1e-5));
      // ReduceLROnPlateau(max, patience 0, threshold 1e-4 rel): halve after a non-improvement
      double m = Double.parseDouble(miou.get(e));
      if (m > best * (1 + 1e-4) || best == Double.NEGATIVE_INFINITY) {
        best = m;
      } else {
        plateau *= 0.5;
      }
    }
  }

  @Test
  void autoClassWeightsAreTheMedianFrequencyWeightsOfTheTrainingMasks() throws Exception {
    // freq(c) = pixels of c / pixels of the training images (0..11) that hold c;
    // weight(c) = median(freq) / freq(c)
    SyntheticShapes shapes = new SyntheticShapes(16, false, 0);
    long[] pixels = new long[2];
    long[] holding = new long[2];
    for (int i = 0; i <= 11; i++) {
      int[] mask = shapes.sample(i).mask();
      long[] here = new long[2];
      for (int v : mask) {
        here[v]++;
      }
      for (int c = 0; c < 2; c++) {
        pixels[c] += here[c];
        holding[c] += here[c] > 0 ? mask.length : 0;
      }
    }
    double f0 = (double) pixels[0] / holding[0];
    double f1 = (double) pixels[1] / holding[1];
    double median = (f0 + f1) / 2;
    String weights = "[" + median / f0 + ", " + median / f1 + "]";

    Path auto = train("auto-weights", "--set", "loss.class_weights=auto");
    Path given = train("given-weights", "--set", "loss.class_weights=" + weights);
    assertThat(RunFiles.logColumn(auto, "train_loss"))
        .as("auto vs %s", weights)
        .isEqualTo(RunFiles.logColumn(given, "train_loss"));
    RunFiles.assertSameTensors(last(auto), last(given), k -> true);
    assertThat(firstLoss(auto)).as("weighted vs unweighted").isNotEqualTo(firstLoss(plain));
  }

  @Test
  void earlyStopEndsAfterTheGivenNumberOfValidationsWithoutProgress() throws Exception {
    // at lr 1e-30 nothing moves: epoch 1 sets the best, epochs 2 and 3 do not beat it
    Path run = runs.resolve("early");
    CliRun r =
        CliRun.ok(
            TinyData.trainArgs(
                data,
                runs,
                "early",
                "--epochs",
                "6",
                "--set",
                "optimizer.lr=1e-30",
                "--set",
                "train.early_stop=2"));
    assertThat(r.out()).contains("early stop: no better validation mIoU for 2 validations");
    assertThat(RunFiles.logColumn(run, "epoch")).containsExactly("1", "2", "3");
    assertThat(RunFiles.logColumn(run, "val_miou"))
        .containsOnly(RunFiles.logColumn(run, "val_miou").get(0));
  }

  @Test
  void clipGradBoundsEachStepByTheGivenNorm() throws Exception {
    // sgd (momentum 0.9, lr 0.01), 3 steps whose gradients are clipped to a global norm c: the
    // total move is lr * (2.71 g1 + 1.9 g2 + g3), so its norm is at most lr * 5.61 * c
    double c = 1e-4;
    Path unclipped = train("sgd-unclipped", "--set", "optimizer.name=sgd");
    Path clipped =
        train("sgd-clipped", "--set", "optimizer.name=sgd", "--set", "train.clip_grad=" + c);
    double bound = 0.01 * 5.61 * c;
    assertThat(moved(clipped)).as("clipped move").isPositive().isLessThanOrEqualTo(bound * 1.001);
    assertThat(moved(unclipped)).as("unclipped move").isGreaterThan(bound * 10);
  }

  /** The global L2 norm of a run's last weights minus the untrained ones. */
  static double moved(Path run) throws Exception {
    Map<String, Tensor> a = RunFiles.tensors(last(untrained));
    Map<String, Tensor> b = RunFiles.tensors(last(run));
    double sum = 0;
    for (String k : a.keySet()) {
      if (!a.get(k).dtype().equals("F32")) {
        continue;
      }
      float[] x = a.get(k).toFloats();
      float[] y = b.get(k).toFloats();
      for (int i = 0; i < x.length; i++) {
        double d = (double) y[i] - x[i];
        sum += d * d;
      }
    }
    return Math.sqrt(sum);
  }

  @Test
  void saveEveryKeepsExactlyTheEpochsItNames() throws Exception {
    Path run = train("every2", "--epochs", "5", "--set", "train.save_every=2");
    assertThat(RunFiles.names(run.resolve("checkpoints")))
        .containsExactly(
            "best.safetensors",
            "epoch_002.safetensors",
            "epoch_004.safetensors",
            "last.safetensors",
            "last.train.safetensors");
    assertThat(
            RunFiles.anyDiffers(
                run.resolve("checkpoints/epoch_002.safetensors"),
                run.resolve("checkpoints/epoch_004.safetensors"),
                k -> true))
        .isTrue();
  }
}
