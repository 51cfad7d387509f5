package org.seg4j.loss;

import ai.djl.ndarray.NDArray;

/**
 * A segmentation loss: logits and class-index targets in, a differentiable scalar out.
 *
 * <p>Shapes: multi-class logits {@code (N,K,H,W)} float32 with targets {@code (N,H,W)} int64 class
 * indices (pixels equal to the ignore index are skipped). Binary heads take logits {@code
 * (N,1,H,W)} and targets {@code (N,H,W)} holding 0/1 (or the ignore index), or {@code (N,1,H,W)}
 * float 0..1 without ignore.
 */
public interface SegLoss {

  /** Returns the mean loss over the batch as a scalar NDArray that autograd can differentiate. */
  NDArray compute(NDArray logits, NDArray target);

  /**
   * Same as {@link #compute(NDArray, NDArray)} with a per-pixel weight map {@code (N,H,W)}, e.g.
   * the U-Net border weights of {@link BorderWeightMap}; a null map is the unweighted loss. Losses
   * that have no per-pixel form throw when given a map.
   */
  default NDArray compute(NDArray logits, NDArray target, NDArray weightMap) {
    if (weightMap == null) {
      return compute(logits, target);
    }
    throw new UnsupportedOperationException(
        name() + " has no per-pixel weight map form; use 'ce' (or a combination holding 'ce')");
  }

  /** True when {@link #compute(NDArray, NDArray, NDArray)} is supported. */
  default boolean supportsWeightMap() {
    return false;
  }

  /** Short name as used by {@link Losses#create}, e.g. {@code "ce"}. */
  String name();
}
