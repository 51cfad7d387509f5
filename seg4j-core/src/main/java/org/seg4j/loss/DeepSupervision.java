package org.seg4j.loss;

import static org.seg4j.nn.Ops.scalar;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Deep supervision for multi-head models such as U-Net++: the weighted mean {@code Σ w_i·L(head_i,
 * target) / Σ w_i} of one loss over all heads (equal weights by default, as 4uiiurz1's NestedUNet
 * training averages its four outputs).
 */
public final class DeepSupervision {
  private final SegLoss loss;
  private final double[] weights;

  /**
   * @param loss the loss applied to every head
   * @param weights one non-negative weight per head, or null for equal weights
   */
  public DeepSupervision(SegLoss loss, double[] weights) {
    this.loss = loss;
    this.weights = weights == null ? null : weights.clone();
    if (weights != null) {
      double sum = 0;
      for (double w : weights) {
        if (w < 0 || Double.isNaN(w)) {
          throw new IllegalArgumentException("deep supervision weights must be >= 0, got " + w);
        }
        sum += w;
      }
      if (sum <= 0) {
        throw new IllegalArgumentException("deep supervision weights must not all be 0");
      }
    }
  }

  /** Weighted mean of the loss over the heads, all compared with the same target. */
  public NDArray compute(NDList heads, NDArray target) {
    return compute(heads, target, null);
  }

  /** As {@link #compute(NDList, NDArray)} with a per-pixel weight map passed to every head. */
  public NDArray compute(NDList heads, NDArray target, NDArray weightMap) {
    if (weights != null && weights.length != heads.size()) {
      throw new IllegalArgumentException(
          "deep supervision has "
              + weights.length
              + " weights but the model gave "
              + heads.size()
              + " heads");
    }
    NDArray total = null;
    double sum = 0;
    for (int i = 0; i < heads.size(); i++) {
      double w = weights == null ? 1.0 : weights[i];
      NDArray value =
          weightMap == null
              ? loss.compute(heads.get(i), target)
              : loss.compute(heads.get(i), target, weightMap);
      value = value.mul(scalar(value, (float) w));
      total = total == null ? value : total.add(value);
      sum += w;
    }
    if (total == null) {
      throw new IllegalArgumentException("deep supervision needs at least one head");
    }
    return total.div(scalar(total, (float) sum));
  }

  /** The wrapped loss. */
  public SegLoss loss() {
    return loss;
  }
}
