package org.seg4j.loss;

import static org.seg4j.nn.Ops.scalar;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * A weighted sum of losses, e.g. CE+Dice or BCE+Dice: {@code Σ w_i·L_i} (not normalised). With a
 * weight map, terms that support one (cross-entropy) get it, the others ignore it.
 */
final class WeightedSumLoss implements SegLoss {
  private final List<SegLoss> terms;
  private final double[] weights;

  /**
   * @param terms the losses
   * @param weights one weight per loss
   */
  public WeightedSumLoss(List<SegLoss> terms, double[] weights) {
    if (terms.isEmpty() || terms.size() != weights.length) {
      throw new IllegalArgumentException(
          "need one weight per loss term, got "
              + terms.size()
              + " terms and "
              + weights.length
              + " weights");
    }
    this.terms = List.copyOf(terms);
    this.weights = weights.clone();
  }

  @Override
  public NDArray compute(NDArray logits, NDArray target) {
    return compute(logits, target, null);
  }

  @Override
  public NDArray compute(NDArray logits, NDArray target, NDArray weightMap) {
    NDArray total = null;
    for (int i = 0; i < terms.size(); i++) {
      SegLoss term = terms.get(i);
      NDArray value =
          weightMap != null && term.supportsWeightMap()
              ? term.compute(logits, target, weightMap)
              : term.compute(logits, target);
      value = value.mul(scalar(value, (float) weights[i]));
      total = total == null ? value : total.add(value);
    }
    return total;
  }

  @Override
  public boolean supportsWeightMap() {
    return terms.stream().anyMatch(SegLoss::supportsWeightMap);
  }

  /** The terms, in order. */
  public List<SegLoss> terms() {
    return terms;
  }

  /** The weights, in order. */
  public double[] weights() {
    return weights.clone();
  }

  @Override
  public String name() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < terms.size(); i++) {
      if (i > 0) {
        b.append('+');
      }
      if (weights[i] != 1.0) {
        b.append(weights[i]).append('*');
      }
      b.append(terms.get(i).name());
    }
    return b.toString();
  }
}
