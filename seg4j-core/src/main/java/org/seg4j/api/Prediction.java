package org.seg4j.api;

import org.seg4j.infer.PredictionMaps;

/**
 * One image's prediction at the image's own size: per-class probabilities {@code (K, H, W)},
 * row-major, and the class mask {@code (H, W)} (the arg-max, or the threshold for a single-logit
 * sigmoid head, which is reported as two classes: background and foreground).
 *
 * @param classes K, the number of classes
 * @param height image height
 * @param width image width
 * @param probabilities {@code K * H * W} values, class-major
 * @param mask {@code H * W} class indices
 */
public record Prediction(int classes, int height, int width, float[] probabilities, int[] mask) {
  /** The probability of class {@code k} at row {@code y}, column {@code x}. */
  public float probability(int k, int y, int x) {
    return probabilities[(k * height + y) * width + x];
  }

  /** The class at row {@code y}, column {@code x}. */
  public int classAt(int y, int x) {
    return mask[y * width + x];
  }

  static Prediction of(PredictionMaps p) {
    return new Prediction(p.classes(), p.height(), p.width(), p.probabilities(), p.mask());
  }
}
