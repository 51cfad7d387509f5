package org.seg4j.loss;

import static org.seg4j.nn.Ops.scalar;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Soft Dice loss as in segmentation_models_pytorch's {@code DiceLoss(from_logits=True)}.
 *
 * <p>Probabilities are {@code softmax} over K channels (or {@code sigmoid} for one channel);
 * ignored pixels are zeroed in both probabilities and one-hot truth. Per class, summed over batch
 * and pixels: {@code dice_c = (2·Σ p·t + s) / max(Σ p + Σ t + s, 1e−7)}, {@code loss_c = 1 −
 * dice_c}, and {@code loss_c = 0} for classes with no true pixel in the batch. {@link
 * Averaging#ALL} then divides by all K classes (smp); {@link Averaging#PRESENT} divides by the
 * number of classes with true pixels.
 */
final class DiceLoss implements SegLoss {
  private static final float EPS = 1e-7f;

  /** How per-class losses are averaged. */
  public enum Averaging {
    /** Mean over all K classes; absent classes contribute 0 (smp's behaviour). */
    ALL,
    /** Mean over the classes that have true pixels in the batch. */
    PRESENT
  }

  private final float smooth;
  private final Averaging averaging;
  private final int ignoreIndex;

  /**
   * @param smooth additive smoothing s in numerator and denominator
   * @param averaging how to average over classes
   * @param ignoreIndex target value whose pixels are skipped
   */
  public DiceLoss(double smooth, Averaging averaging, int ignoreIndex) {
    this.smooth = (float) smooth;
    this.averaging = averaging;
    this.ignoreIndex = ignoreIndex;
  }

  @Override
  public NDArray compute(NDArray logits, NDArray target) {
    NDArray probs;
    NDArray truth;
    NDArray valid;
    if (logits.getShape().get(1) == 1) {
      Targets.Prepared t = Targets.binary(logits, target, ignoreIndex);
      valid = t.valid().expandDims(1);
      probs = logits.getNDArrayInternal().sigmoid();
      truth = t.labels().expandDims(1);
    } else {
      Targets.Prepared t = Targets.classes(logits, target, ignoreIndex);
      int k = (int) logits.getShape().get(1);
      valid = t.valid().expandDims(1);
      probs = logits.softmax(1);
      truth = t.labels().oneHot(k, DataType.FLOAT32).transpose(0, 3, 1, 2);
    }
    probs = probs.mul(valid);
    truth = truth.mul(valid);
    int[] dims = {0, 2, 3};
    NDArray inter = probs.mul(truth).sum(dims);
    NDArray card = probs.add(truth).sum(dims);
    NDArray score =
        inter.mul(scalar(inter, 2f)).add(smooth).div(card.add(smooth).maximum(scalar(card, EPS)));
    NDArray present = truth.sum(dims).gt(0).toType(DataType.FLOAT32, false);
    NDArray loss = score.neg().add(1f).mul(present).sum();
    NDArray denominator =
        averaging == Averaging.ALL ? present.onesLike().sum() : present.sum().maximum(1f);
    return loss.div(denominator);
  }

  @Override
  public String name() {
    return "dice";
  }
}
