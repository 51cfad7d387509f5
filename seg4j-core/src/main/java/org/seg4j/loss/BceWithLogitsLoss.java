package org.seg4j.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * Binary cross-entropy on a single-channel head, equal to PyTorch's {@code
 * BCEWithLogitsLoss(pos_weight=p)} with mean reduction: per pixel {@code (1−y)·x + (1+(p−1)·y)·
 * softplus(−x)}, averaged over the non-ignored pixels.
 */
final class BceWithLogitsLoss implements SegLoss {
  private final float posWeight;
  private final int ignoreIndex;

  /**
   * @param posWeight weight of the positive class (1 = none)
   * @param ignoreIndex target value whose pixels are skipped (integer targets only)
   */
  public BceWithLogitsLoss(double posWeight, int ignoreIndex) {
    this.posWeight = (float) posWeight;
    this.ignoreIndex = ignoreIndex;
  }

  @Override
  public NDArray compute(NDArray logits, NDArray target) {
    Targets.Prepared t = Targets.binary(logits, target, ignoreIndex);
    return t.mean(perPixel(logits.squeeze(1), t.labels(), posWeight));
  }

  /** Unreduced BCE-with-logits, shared with the binary focal loss. */
  static NDArray perPixel(NDArray x, NDArray y, float posWeight) {
    NDArray softplusNeg = Activation.softPlus(x.neg());
    NDArray logWeight = y.mul(posWeight - 1f).add(1f);
    return y.neg().add(1f).mul(x).add(logWeight.mul(softplusNeg));
  }

  @Override
  public String name() {
    return "bce";
  }
}
