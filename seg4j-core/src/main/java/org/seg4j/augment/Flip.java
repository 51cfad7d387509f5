package org.seg4j.augment;

import java.util.random.RandomGenerator;
import org.seg4j.data.Sample;

/** Mirrors image and mask left-right ({@code horizontal}) or top-bottom; an exact permutation. */
record Flip(boolean horizontal) implements PairedTransform {
  @Override
  public Sample apply(Sample s, RandomGenerator rng) {
    Affine inv =
        horizontal
            ? new Affine(-1, 0, s.width() - 1, 0, 1, 0)
            : new Affine(1, 0, 0, 0, -1, s.height() - 1);
    // A flip covers every output pixel, so the fill value is never used.
    return Resampler.affine(s, s.height(), s.width(), inv, Interpolation.NEAREST, 0);
  }
}
