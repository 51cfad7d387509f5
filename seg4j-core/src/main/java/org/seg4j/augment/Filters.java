package org.seg4j.augment;

import java.util.Arrays;

/** Separable Gaussian smoothing of float planes, shared by the blur and the elastic field. */
final class Filters {
  private Filters() {}

  /** A normalised Gaussian kernel of radius ceil(3 sigma) (at least 1). */
  static float[] gaussianKernel(double sigma) {
    if (!(sigma > 0)) {
      throw new IllegalArgumentException("Gaussian sigma must be > 0, got " + sigma);
    }
    int r = Math.max(1, (int) Math.ceil(3 * sigma));
    float[] k = new float[2 * r + 1];
    double sum = 0;
    for (int i = -r; i <= r; i++) {
      double v = Math.exp(-0.5 * i * i / (sigma * sigma));
      k[i + r] = (float) v;
      sum += v;
    }
    for (int i = 0; i < k.length; i++) {
      k[i] /= (float) sum;
    }
    return k;
  }

  /**
   * Smooths the {@code h x w} plane starting at {@code offset} of {@code data} in place, with
   * mirror borders (d c b a | a b c d, as scipy's "reflect").
   */
  static void gaussianBlur(float[] data, int offset, int h, int w, double sigma) {
    float[] k = gaussianKernel(sigma);
    int r = k.length / 2;
    float[] tmp = new float[h * w];
    float[] padded = new float[w + 2 * r];
    for (int y = 0; y < h; y++) {
      int row = offset + y * w;
      for (int i = 0; i < padded.length; i++) {
        padded[i] = data[row + reflect(i - r, w)];
      }
      int out = y * w;
      for (int i = 0; i < k.length; i++) {
        // tap-outer loops let the JIT vectorise over x
        float wgt = k[i];
        for (int x = 0; x < w; x++) {
          tmp[out + x] += wgt * padded[x + i];
        }
      }
    }
    for (int y = 0; y < h; y++) {
      int row = offset + y * w;
      Arrays.fill(data, row, row + w, 0f);
      for (int i = 0; i < k.length; i++) {
        int src = reflect(y + i - r, h) * w;
        float wgt = k[i];
        for (int x = 0; x < w; x++) {
          data[row + x] += wgt * tmp[src + x];
        }
      }
    }
  }

  /** Mirrors index {@code i} into [0, n). */
  static int reflect(int i, int n) {
    int period = 2 * n;
    int m = Math.floorMod(i, period);
    return m < n ? m : period - 1 - m;
  }
}
