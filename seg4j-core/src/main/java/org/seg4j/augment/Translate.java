package org.seg4j.augment;

import java.util.random.RandomGenerator;
import org.seg4j.data.Sample;

/**
 * Shifts the content by a whole number of pixels, up to {@code fraction} of the width and height in
 * each direction; exact (no interpolation), the uncovered border is void.
 */
record Translate(double fraction, int ignoreIndex) implements PairedTransform {
  /** Checks 0 <= fraction <= 1. */
  public Translate {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("translate fraction must be in [0, 1], got " + fraction);
    }
  }

  @Override
  public Sample apply(Sample s, RandomGenerator rng) {
    int mx = (int) Math.floor(fraction * s.width());
    int my = (int) Math.floor(fraction * s.height());
    int dx = rng.nextInt(-mx, mx + 1);
    int dy = rng.nextInt(-my, my + 1);
    return Resampler.affine(
        s, s.height(), s.width(), Affine.translation(dx, dy), Interpolation.NEAREST, ignoreIndex);
  }
}
