package org.seg4j.loss;

import ai.djl.ndarray.NDArray;

/**
 * Multi-class cross-entropy with optional class weights and an ignore index, equal to PyTorch's
 * {@code F.cross_entropy(logits, target, weight=w, ignore_index=i)}: {@code Σ w[y]·(−log p_y) / Σ
 * w[y]} over the non-ignored pixels (a batch with no counted pixel gives 0 instead of NaN).
 *
 * <p>With a weight map {@code m} (N,H,W): {@code Σ m·w[y]·(−log p_y) / Σ w[y]}, i.e. the plain mean
 * of {@code m·nll} when there are no class weights, as in the U-Net paper.
 */
public final class CrossEntropyLoss implements SegLoss {
  private final float[] classWeights;
  private final int ignoreIndex;

  /**
   * @param classWeights one weight per class, or null for none
   * @param ignoreIndex target value whose pixels are skipped
   */
  public CrossEntropyLoss(float[] classWeights, int ignoreIndex) {
    this.classWeights = classWeights == null ? null : classWeights.clone();
    this.ignoreIndex = ignoreIndex;
  }

  @Override
  public NDArray compute(NDArray logits, NDArray target) {
    return compute(logits, target, null);
  }

  @Override
  public NDArray compute(NDArray logits, NDArray target, NDArray weightMap) {
    Targets.Prepared t = Targets.classes(logits, target, ignoreIndex);
    NDArray nll = logits.logSoftmax(1).gather(t.labels().expandDims(1), 1).squeeze(1).neg();
    NDArray w = ClassWeights.perPixel(classWeights, logits, t);
    NDArray num = nll.mul(w);
    if (weightMap != null) {
      num = num.mul(weightMap);
    }
    return num.sum().div(w.sum().maximum(1e-12f));
  }

  @Override
  public boolean supportsWeightMap() {
    return true;
  }

  @Override
  public String name() {
    return "ce";
  }
}
