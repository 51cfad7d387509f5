package org.seg4j.augment;

import java.util.random.RandomGenerator;
import org.seg4j.data.Sample;

/**
 * Elastic deformation as in the U-Net paper (Ronneberger et al. 2015): random displacement vectors
 * on a coarse {@code points x points} grid spanning the image, drawn from a Gaussian with {@code
 * std} pixels standard deviation, interpolated to every pixel with bicubic (cubic convolution)
 * interpolation.
 */
record GridElasticDeform(int points, double std, Interpolation interpolation, int ignoreIndex)
    implements PairedTransform {
  /** Checks the grid size. */
  public GridElasticDeform {
    if (points < 2) {
      throw new IllegalArgumentException("elastic grid needs at least 2 points, got " + points);
    }
  }

  @Override
  public Sample apply(Sample s, RandomGenerator rng) {
    int h = s.height();
    int w = s.width();
    float[] mapX = upsample(grid(rng), h, w);
    float[] mapY = upsample(grid(rng), h, w);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        mapX[y * w + x] += x;
        mapY[y * w + x] += y;
      }
    }
    return Resampler.remap(s, h, w, mapX, mapY, interpolation, ignoreIndex);
  }

  private double[] grid(RandomGenerator rng) {
    double[] g = new double[points * points];
    for (int i = 0; i < g.length; i++) {
      g[i] = std * rng.nextGaussian();
    }
    return g;
  }

  /** Bicubic interpolation of the grid to h x w, grid corners on the image corners. */
  private float[] upsample(double[] g, int h, int w) {
    double[][] wx = weights(w);
    int[] ix = starts(w);
    double[][] wy = weights(h);
    int[] iy = starts(h);
    double[] rows = new double[points * w];
    for (int r = 0; r < points; r++) {
      for (int x = 0; x < w; x++) {
        double v = 0;
        for (int k = 0; k < 4; k++) {
          v += wx[x][k] * g[r * points + clamp(ix[x] - 1 + k)];
        }
        rows[r * w + x] = v;
      }
    }
    float[] out = new float[h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double v = 0;
        for (int k = 0; k < 4; k++) {
          v += wy[y][k] * rows[clamp(iy[y] - 1 + k) * w + x];
        }
        out[y * w + x] = (float) v;
      }
    }
    return out;
  }

  private double[][] weights(int n) {
    double[][] wt = new double[n][4];
    for (int i = 0; i < n; i++) {
      double u = gridPos(i, n);
      Resampler.cubicWeights(u - Math.floor(u), wt[i]);
    }
    return wt;
  }

  private int[] starts(int n) {
    int[] st = new int[n];
    for (int i = 0; i < n; i++) {
      st[i] = (int) Math.floor(gridPos(i, n));
    }
    return st;
  }

  private double gridPos(int i, int n) {
    return n == 1 ? 0 : (double) i * (points - 1) / (n - 1);
  }

  private int clamp(int i) {
    return i < 0 ? 0 : (i >= points ? points - 1 : i);
  }
}
