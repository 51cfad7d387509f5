package org.seg4j.infer;

/**
 * One image's prediction at its original size: per-class probabilities {@code (K, H, W)} and the
 * arg-max class mask {@code (H, W)}. A sigmoid head is reported as two classes (background, fg).
 */
public record PredictionMaps(
    int classes, int height, int width, float[] probabilities, int[] mask) {
  /** The probability of class k at (y, x). */
  public float probability(int k, int y, int x) {
    return probabilities[(k * height + y) * width + x];
  }

  /** Arg-max over classes of a (K, H, W) probability array. */
  public static int[] argmax(float[] probs, int classes, int height, int width) {
    int n = height * width;
    int[] mask = new int[n];
    for (int i = 0; i < n; i++) {
      int best = 0;
      float bv = probs[i];
      for (int k = 1; k < classes; k++) {
        float v = probs[k * n + i];
        if (v > bv) {
          bv = v;
          best = k;
        }
      }
      mask[i] = best;
    }
    return mask;
  }
}
