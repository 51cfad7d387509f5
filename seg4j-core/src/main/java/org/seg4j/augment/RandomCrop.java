package org.seg4j.augment;

import java.util.random.RandomGenerator;
import org.seg4j.data.Sample;

/**
 * Cuts a {@code height x width} window at a uniform random position; along a side where the image
 * is smaller, the image is placed at a random offset inside the window and the rest is void (image
 * 0, mask ignore index). Exact (no interpolation).
 */
public record RandomCrop(int height, int width, int ignoreIndex) implements PairedTransform {
  /** Checks the size. */
  public RandomCrop {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException("crop size must be positive, got " + height + "x" + width);
    }
  }

  @Override
  public Sample apply(Sample s, RandomGenerator rng) {
    int x0 = offset(s.width(), width, rng);
    int y0 = offset(s.height(), height, rng);
    return Resampler.affine(
        s, height, width, Affine.translation(-x0, -y0), Interpolation.NEAREST, ignoreIndex);
  }

  /** Source coordinate of the window's first pixel: in [0, n-size], or in [n-size, 0] if n<size. */
  private static int offset(int n, int size, RandomGenerator rng) {
    int lo = Math.min(0, n - size);
    int hi = Math.max(0, n - size);
    return rng.nextInt(lo, hi + 1);
  }
}
