package org.seg4j.data;

import java.util.Arrays;

/**
 * Pixel counts per class and the weights suggested from them: median-frequency balancing (Eigen and
 * Fergus 2015) and, for two classes, a binary {@code pos_weight} = negative / positive pixels.
 */
final class ClassStats {
  private long[] pixels;
  private long[] presentIn;
  private long ignored;

  /** Counts for a known number of classes (may grow when classes are not declared). */
  public ClassStats(int classes) {
    pixels = new long[Math.max(classes, 1)];
    presentIn = new long[pixels.length];
  }

  /** Adds one mask: its class per pixel, and the ignore index (or -1). */
  public void add(int[] mask, int ignore) {
    long[] local = new long[pixels.length];
    for (int v : mask) {
      if (v == ignore) {
        ignored++;
        continue;
      }
      if (v >= local.length) {
        int n = v + 1;
        local = Arrays.copyOf(local, n);
        pixels = Arrays.copyOf(pixels, Math.max(n, pixels.length));
        presentIn = Arrays.copyOf(presentIn, pixels.length);
      }
      local[v]++;
    }
    for (int c = 0; c < local.length; c++) {
      if (local[c] > 0) {
        pixels[c] += local[c];
        presentIn[c] += mask.length;
      }
    }
  }

  /** Pixels per class. */
  public long[] pixels() {
    return pixels.clone();
  }

  /** Pixels equal to the ignore index. */
  public long ignored() {
    return ignored;
  }

  /** Highest class seen plus one. */
  public int classesSeen() {
    for (int c = pixels.length - 1; c >= 0; c--) {
      if (pixels[c] > 0) {
        return c + 1;
      }
    }
    return 0;
  }

  /** Fraction of (non-ignored) pixels per class for the first n classes. */
  public double[] frequencies(int n) {
    long total = Arrays.stream(pixels).sum();
    double[] f = new double[n];
    for (int c = 0; c < n && c < pixels.length; c++) {
      f[c] = total == 0 ? 0 : (double) pixels[c] / total;
    }
    return f;
  }

  /**
   * Median-frequency weights for n classes: freq(c) = pixels of c / pixels of the images holding c;
   * weight(c) = median(freq) / freq(c). A class with no pixels gets 0.
   */
  public double[] medianFrequencyWeights(int n) {
    double[] freq = new double[n];
    int k = 0;
    double[] present = new double[n];
    for (int c = 0; c < n && c < pixels.length; c++) {
      if (presentIn[c] > 0) {
        freq[c] = (double) pixels[c] / presentIn[c];
        present[k++] = freq[c];
      }
    }
    double[] w = new double[n];
    if (k == 0) {
      return w;
    }
    double[] sorted = Arrays.copyOf(present, k);
    Arrays.sort(sorted);
    double median = k % 2 == 1 ? sorted[k / 2] : (sorted[k / 2 - 1] + sorted[k / 2]) / 2;
    for (int c = 0; c < n; c++) {
      w[c] = freq[c] > 0 ? median / freq[c] : 0;
    }
    return w;
  }

  /** Negative over positive pixels for a binary task, or NaN without positives. */
  public double posWeight() {
    long neg = pixels[0];
    long pos = pixels.length > 1 ? pixels[1] : 0;
    return pos == 0 ? Double.NaN : (double) neg / pos;
  }
}
