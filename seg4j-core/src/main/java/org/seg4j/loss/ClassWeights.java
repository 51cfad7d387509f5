package org.seg4j.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Looks up one weight per pixel from a per-class weight vector, zero on ignored pixels. */
final class ClassWeights {
  private ClassWeights() {}

  /** {@code w[label] · valid} as float32 (N,H,W); just {@code valid} when weights is null. */
  static NDArray perPixel(float[] weights, NDArray logits, Targets.Prepared t) {
    if (weights == null) {
      return t.valid();
    }
    long k = logits.getShape().get(1);
    if (weights.length != k) {
      throw new IllegalArgumentException(
          "got " + weights.length + " class weights for a model with " + k + " classes");
    }
    NDArray w = t.labels().getManager().create(weights, new Shape(weights.length));
    return w.take(t.labels().getManager(), t.labels()).mul(t.valid());
  }
}
