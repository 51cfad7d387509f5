package org.seg4j.loss;

import java.util.Arrays;

/**
 * Exact Euclidean distance transform (Felzenszwalb and Huttenlocher 2012): for every pixel, the
 * squared distance to the nearest feature pixel, in O(H·W).
 */
final class DistanceTransform {
  private static final float INF = 1e20f;

  private DistanceTransform() {}

  /**
   * @param feature row-major H×W, true at the pixels distances are measured to
   * @return squared Euclidean distances (≥ 1e20 when there is no feature pixel)
   */
  public static float[] squared(boolean[] feature, int height, int width) {
    float[] f = new float[height * width];
    for (int i = 0; i < f.length; i++) {
      f[i] = feature[i] ? 0f : INF;
    }
    int n = Math.max(height, width);
    float[] line = new float[n];
    float[] out = new float[n];
    int[] v = new int[n];
    float[] z = new float[n + 1];
    for (int x = 0; x < width; x++) {
      for (int y = 0; y < height; y++) {
        line[y] = f[y * width + x];
      }
      transform1d(line, height, out, v, z);
      for (int y = 0; y < height; y++) {
        f[y * width + x] = out[y];
      }
    }
    for (int y = 0; y < height; y++) {
      System.arraycopy(f, y * width, line, 0, width);
      transform1d(line, width, out, v, z);
      System.arraycopy(out, 0, f, y * width, width);
    }
    return f;
  }

  /** 1-D squared distance transform of sampled function f[0..n) into d (lower envelope). */
  private static void transform1d(float[] f, int n, float[] d, int[] v, float[] z) {
    int k = 0;
    v[0] = 0;
    z[0] = -Float.MAX_VALUE;
    z[1] = Float.MAX_VALUE;
    for (int q = 1; q < n; q++) {
      double s;
      while (true) {
        int p = v[k];
        s = ((f[q] + (double) q * q) - (f[p] + (double) p * p)) / (2.0 * q - 2.0 * p);
        if (s <= z[k] && k > 0) {
          k--;
        } else {
          break;
        }
      }
      k++;
      v[k] = q;
      z[k] = (float) s;
      z[k + 1] = Float.MAX_VALUE;
    }
    k = 0;
    for (int q = 0; q < n; q++) {
      while (z[k + 1] < q) {
        k++;
      }
      int p = v[k];
      d[q] = (float) ((double) (q - p) * (q - p) + f[p]);
    }
    Arrays.fill(d, n, d.length, 0f);
  }
}
