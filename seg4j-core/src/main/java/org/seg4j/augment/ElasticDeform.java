package org.seg4j.augment;

import java.util.random.RandomGenerator;
import org.seg4j.data.Sample;

/**
 * Elastic deformation after Simard et al. (2003): per-pixel displacements drawn from U(-1, 1),
 * smoothed by a Gaussian of {@code sigma} pixels and scaled by {@code alpha} pixels. For the U-Net
 * paper's coarse-grid variant see {@link GridElasticDeform}.
 */
record ElasticDeform(double alpha, double sigma, Interpolation interpolation, int ignoreIndex)
    implements PairedTransform {
  @Override
  public Sample apply(Sample s, RandomGenerator rng) {
    int h = s.height();
    int w = s.width();
    float[] dx = field(h, w, rng);
    float[] dy = field(h, w, rng);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        dx[i] = x + (float) alpha * dx[i];
        dy[i] = y + (float) alpha * dy[i];
      }
    }
    return Resampler.remap(s, h, w, dx, dy, interpolation, ignoreIndex);
  }

  private float[] field(int h, int w, RandomGenerator rng) {
    float[] f = new float[h * w];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) (2 * rng.nextDouble() - 1);
    }
    Filters.gaussianBlur(f, 0, h, w, sigma);
    return f;
  }
}
