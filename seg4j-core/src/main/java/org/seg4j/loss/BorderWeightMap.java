package org.seg4j.loss;

import java.util.Arrays;

/**
 * The U-Net paper's pixel weight map (Ronneberger et al. 2015, eq. 2), computed from one mask:
 * {@code w(x) = w_c(x) + w0·exp(−(d1(x)+d2(x))² / (2σ²))}.
 *
 * <p>Cells are the 4-connected components of the foreground class (ISBI: the cell class, with the
 * membrane as background). {@code d1}, {@code d2} are the Euclidean distances to the nearest and
 * second-nearest cell; the border term applies to pixels outside every cell, and is 0 when the mask
 * has fewer than two cells. {@code w_c} balances class frequencies: {@code w_c(k) = n / (K'·n_k)}
 * over the K' classes present in the mask ({@code n} counted pixels), unless fixed class weights
 * are given. Ignored pixels get weight 0.
 *
 * <p>Distances are exact (Felzenszwalb–Huttenlocher), computed per cell in its bounding box grown
 * by {@code 8σ}; beyond that the border term is below {@code w0·e^−32} and is taken as 0.
 */
public final class BorderWeightMap {
  private final double w0;
  private final double sigma;
  private final int foregroundClass;
  private final int numClasses;
  private final int ignoreIndex;
  private final float[] classWeights;

  /**
   * @param w0 border weight (paper: 10)
   * @param sigma border width σ in pixels (paper: 5)
   * @param foregroundClass class whose connected components are the cells
   * @param numClasses number of classes K
   * @param ignoreIndex mask value of void pixels (weight 0)
   * @param classWeights fixed w_c per class, or null for frequency balancing per mask
   */
  public BorderWeightMap(
      double w0,
      double sigma,
      int foregroundClass,
      int numClasses,
      int ignoreIndex,
      float[] classWeights) {
    if (sigma <= 0 || w0 < 0) {
      throw new IllegalArgumentException(
          "border weights need w0 >= 0 and sigma > 0, got w0=" + w0 + ", sigma=" + sigma);
    }
    if (foregroundClass < 0 || foregroundClass >= numClasses) {
      throw new IllegalArgumentException(
          "foreground class " + foregroundClass + " is not among the " + numClasses + " classes");
    }
    if (classWeights != null && classWeights.length != numClasses) {
      throw new IllegalArgumentException(
          "got " + classWeights.length + " class weights for " + numClasses + " classes");
    }
    this.w0 = w0;
    this.sigma = sigma;
    this.foregroundClass = foregroundClass;
    this.numClasses = numClasses;
    this.ignoreIndex = ignoreIndex;
    this.classWeights = classWeights == null ? null : classWeights.clone();
  }

  /** The paper's setting: w0 = 10, σ = 5, class 1 = cells, two classes, balanced w_c. */
  public static BorderWeightMap unetPaper(int ignoreIndex) {
    return new BorderWeightMap(10, 5, 1, 2, ignoreIndex, null);
  }

  /**
   * @param mask row-major H×W class indices (or the ignore index)
   * @return row-major H×W weights
   */
  public float[] compute(int[] mask, int height, int width) {
    if (mask.length != height * width) {
      throw new IllegalArgumentException(
          "mask has " + mask.length + " pixels, expected " + height + "x" + width);
    }
    float[] wc = classWeights != null ? classWeights : balancedWeights(mask);
    boolean[] fg = new boolean[mask.length];
    for (int i = 0; i < mask.length; i++) {
      fg[i] = mask[i] == foregroundClass;
    }
    ConnectedComponents.Labels cells = ConnectedComponents.label(fg, height, width, false);
    float[] border = cells.count() >= 2 ? borderTerm(cells, height, width) : new float[mask.length];
    float[] w = new float[mask.length];
    for (int i = 0; i < mask.length; i++) {
      int c = mask[i];
      w[i] = c == ignoreIndex ? 0f : wc[c] + border[i];
    }
    return w;
  }

  /** {@code w_c(k) = n / (K'·n_k)} for classes present, 0 for absent ones. */
  float[] balancedWeights(int[] mask) {
    long[] counts = new long[numClasses];
    for (int c : mask) {
      if (c == ignoreIndex) {
        continue;
      }
      if (c < 0 || c >= numClasses) {
        throw new IllegalArgumentException(
            "mask holds value "
                + c
                + " but there are "
                + numClasses
                + " classes; remap the mask or set the ignore index");
      }
      counts[c]++;
    }
    long total = Arrays.stream(counts).sum();
    long present = Arrays.stream(counts).filter(n -> n > 0).count();
    float[] w = new float[numClasses];
    for (int k = 0; k < numClasses; k++) {
      w[k] = counts[k] == 0 ? 0f : (float) ((double) total / (present * (double) counts[k]));
    }
    return w;
  }

  private float[] borderTerm(ConnectedComponents.Labels cells, int height, int width) {
    int n = cells.count();
    int[] labels = cells.labels();
    int[] minY = new int[n + 1];
    int[] maxY = new int[n + 1];
    int[] minX = new int[n + 1];
    int[] maxX = new int[n + 1];
    Arrays.fill(minY, Integer.MAX_VALUE);
    Arrays.fill(minX, Integer.MAX_VALUE);
    Arrays.fill(maxY, -1);
    Arrays.fill(maxX, -1);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int c = labels[y * width + x];
        minY[c] = Math.min(minY[c], y);
        maxY[c] = Math.max(maxY[c], y);
        minX[c] = Math.min(minX[c], x);
        maxX[c] = Math.max(maxX[c], x);
      }
    }
    int reach = (int) Math.ceil(8 * sigma);
    float[] d1 = new float[labels.length];
    float[] d2 = new float[labels.length];
    Arrays.fill(d1, Float.POSITIVE_INFINITY);
    Arrays.fill(d2, Float.POSITIVE_INFINITY);
    for (int c = 1; c <= n; c++) {
      int y0 = Math.max(0, minY[c] - reach);
      int y1 = Math.min(height - 1, maxY[c] + reach);
      int x0 = Math.max(0, minX[c] - reach);
      int x1 = Math.min(width - 1, maxX[c] + reach);
      int wh = y1 - y0 + 1;
      int ww = x1 - x0 + 1;
      boolean[] feature = new boolean[wh * ww];
      for (int y = 0; y < wh; y++) {
        for (int x = 0; x < ww; x++) {
          feature[y * ww + x] = labels[(y + y0) * width + x + x0] == c;
        }
      }
      float[] sq = DistanceTransform.squared(feature, wh, ww);
      for (int y = 0; y < wh; y++) {
        for (int x = 0; x < ww; x++) {
          int p = (y + y0) * width + x + x0;
          if (labels[p] != 0) {
            continue;
          }
          float d = (float) Math.sqrt(sq[y * ww + x]);
          if (d < d1[p]) {
            d2[p] = d1[p];
            d1[p] = d;
          } else if (d < d2[p]) {
            d2[p] = d;
          }
        }
      }
    }
    float[] border = new float[labels.length];
    double twoSigma2 = 2 * sigma * sigma;
    for (int p = 0; p < labels.length; p++) {
      if (labels[p] == 0 && d2[p] != Float.POSITIVE_INFINITY) {
        double s = d1[p] + d2[p];
        border[p] = (float) (w0 * Math.exp(-s * s / twoSigma2));
      }
    }
    return border;
  }
}
