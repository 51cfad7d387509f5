package org.seg4j.loss;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seg4j.engine.Offline;
import org.seg4j.testutil.Golden;
import org.seg4j.testutil.Npy;

/** Checks every loss's value and gradient against PyTorch (tools/gen_loss_fixtures.py). */
class LossParityTest {
  private static final String DIR = "/golden/loss/";
  private static final int IGNORE = 255;
  private static final double REL = 1e-4;
  private static final double ABS = 1e-6;
  private static final float[] CW = {0.5f, 1.0f, 2.0f};
  private static NDManager base;

  @BeforeAll
  static void setUp() {
    Offline.ensure();
    base = NDManager.newBaseManager();
  }

  @AfterAll
  static void tearDown() {
    base.close();
  }

  private static NDArray load(NDManager m, String name) {
    return Npy.resource(DIR + name + ".npy").toNDArray(m);
  }

  /**
   * Runs loss on the named logits/target, backpropagates, compares with {@code case_value/grad}.
   */
  private static void check(
      String fixture,
      String logitsName,
      String targetName,
      BiFunction<NDArray, NDArray, NDArray> loss) {
    try (NDManager m = base.newSubManager()) {
      NDArray logits = load(m, logitsName);
      NDArray target = load(m, targetName);
      logits.setRequiresGradient(true);
      double value;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray l = loss.apply(logits, target);
        assertThat(l.getShape().isScalar()).as(fixture + " returns a scalar").isTrue();
        value = l.getFloat();
        // a collection between forward and backward must not change the gradient (scalars that
        // autograd keeps must stay alive: Ops.scalar)
        System.gc();
        gc.backward(l);
      }
      double expected = Npy.resource(DIR + fixture + "_value.npy").scalar();
      Golden.assertClose(
          fixture + " value", new double[] {value}, new double[] {expected}, REL, ABS);
      Golden.assertClose(
          fixture + " grad",
          logits.getGradient().toFloatArray(),
          Npy.resource(DIR + fixture + "_grad.npy").doubles(),
          REL,
          ABS);
    }
  }

  private static void check(String fixture, String logits, String target, SegLoss loss) {
    check(fixture, logits, target, loss::compute);
  }

  @Test
  void crossEntropyIgnoresPixels() {
    check("ce", "logits", "target", new CrossEntropyLoss(null, IGNORE));
  }

  @Test
  void crossEntropyWithClassWeights() {
    check("ce_weighted", "logits", "target", new CrossEntropyLoss(CW, IGNORE));
  }

  @Test
  void crossEntropyWithWeightMap() {
    try (NDManager m = base.newSubManager()) {
      NDArray wm = load(m, "weightmap");
      check(
          "ce_weightmap",
          "logits",
          "target",
          (x, t) -> new CrossEntropyLoss(null, IGNORE).compute(x, t, wm));
    }
  }

  @Test
  void bceWithPosWeightOnFloatTarget() {
    check("bce_posweight", "blogits", "btarget_float", new BceWithLogitsLoss(3.0, IGNORE));
  }

  @Test
  void bceWithPosWeightAndIgnore() {
    check("bce_ignore", "blogits", "btarget", new BceWithLogitsLoss(3.0, IGNORE));
  }

  @Test
  void focalMultiClass() {
    check("focal", "logits", "target", new FocalLoss(2.0, null, IGNORE));
  }

  @Test
  void focalMultiClassWithAlpha() {
    check(
        "focal_alpha",
        "logits",
        "target",
        new FocalLoss(1.5, new float[] {0.25f, 0.5f, 1f}, IGNORE));
  }

  @Test
  void focalBinary() {
    check("focal_binary", "blogits", "btarget", new FocalLoss(2.0, new float[] {0.25f}, IGNORE));
  }

  @Test
  void diceMultiClass() {
    check("dice", "logits", "target", new DiceLoss(1.0, DiceLoss.Averaging.ALL, IGNORE));
  }

  @Test
  void diceAbsentClassAveragedOverAll() {
    check(
        "dice_absent_all",
        "logits",
        "target_absent",
        new DiceLoss(1.0, DiceLoss.Averaging.ALL, IGNORE));
  }

  @Test
  void diceAbsentClassAveragedOverPresent() {
    check(
        "dice_absent_present",
        "logits",
        "target_absent",
        new DiceLoss(1.0, DiceLoss.Averaging.PRESENT, IGNORE));
  }

  @Test
  void diceBinary() {
    check("dice_binary", "blogits", "btarget", new DiceLoss(1.0, DiceLoss.Averaging.ALL, IGNORE));
  }

  @Test
  void ceDiceFromFactory() {
    LossOptions o = LossOptions.defaults().withClassWeights(CW).withIgnoreIndex(IGNORE);
    check("ce_dice", "logits", "target", Losses.create("0.6*ce+0.4*dice", o));
  }

  @Test
  void bceDiceFromFactory() {
    LossOptions o = LossOptions.defaults().withPosWeight(3.0).withIgnoreIndex(IGNORE);
    check("bce_dice", "blogits", "btarget", Losses.create("0.5*bce+dice", o));
  }

  @Test
  void lovaszHingePerImage() {
    check("lovasz_hinge", "blogits", "btarget", new LovaszHingeLoss(true, IGNORE));
  }

  @Test
  void lovaszHingeOverBatch() {
    check("lovasz_hinge_batch", "blogits", "btarget", new LovaszHingeLoss(false, IGNORE));
  }

  @Test
  void lovaszSoftmax() {
    check("lovasz_softmax", "logits", "target", new LovaszSoftmaxLoss(true, false, IGNORE));
  }

  @Test
  void lovaszSoftmaxSkipsAbsentClass() {
    check(
        "lovasz_softmax_absent",
        "logits",
        "target_absent",
        new LovaszSoftmaxLoss(true, false, IGNORE));
  }

  @Test
  void lovaszSoftmaxAllClasses() {
    check(
        "lovasz_softmax_all",
        "logits",
        "target_absent",
        new LovaszSoftmaxLoss(false, false, IGNORE));
  }

  @Test
  void deepSupervisionWeightedMean() {
    DeepSupervision ds =
        new DeepSupervision(new CrossEntropyLoss(CW, IGNORE), new double[] {0.2, 0.3, 0.5});
    check(
        "deepsup",
        "heads",
        "target",
        (heads, t) -> {
          NDList list = new NDList();
          for (int i = 0; i < heads.getShape().get(0); i++) {
            list.add(heads.get(i));
          }
          return ds.compute(list, t);
        });
  }

  /**
   * The mutation checks of issue 13 for losses: each one-line bug a loss test exists for (class
   * weights dropped, focal's gamma lost, Dice averaged over the wrong classes, Lovasz per batch
   * instead of per image) fails the same comparison. They run after the real comparisons of a fresh
   * JVM would (the name sorts last), so they never warm libtorch up for them.
   */
  @Test
  void eachOneLineLossBugFailsItsComparison() {
    List<Runnable> mutants =
        List.of(
            () -> check("ce_weighted", "logits", "target", new CrossEntropyLoss(null, IGNORE)),
            () -> check("focal", "logits", "target", new FocalLoss(0.0, null, IGNORE)),
            () ->
                check(
                    "dice_absent_all",
                    "logits",
                    "target_absent",
                    new DiceLoss(1.0, DiceLoss.Averaging.PRESENT, IGNORE)),
            () -> check("lovasz_hinge", "blogits", "btarget", new LovaszHingeLoss(false, IGNORE)));
    for (int i = 0; i < mutants.size(); i++) {
      org.assertj.core.api.Assertions.assertThatThrownBy(mutants.get(i)::run)
          .as("mutant %d", i)
          .isInstanceOf(AssertionError.class);
    }
  }
}
