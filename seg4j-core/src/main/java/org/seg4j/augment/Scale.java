package org.seg4j.augment;

import java.util.random.RandomGenerator;
import org.seg4j.data.Sample;

/** Zooms about the centre by a factor drawn from {@code factor}, keeping the size (>1 = in). */
record Scale(Range factor, Interpolation interpolation, int ignoreIndex)
    implements PairedTransform {
  /** Checks the factors are positive. */
  public Scale {
    if (!(factor.lo() > 0)) {
      throw new IllegalArgumentException("scale factors must be > 0, got " + factor);
    }
  }

  @Override
  public Sample apply(Sample s, RandomGenerator rng) {
    Affine inv = Affine.rotateScale(s.height(), s.width(), 0, factor.sample(rng));
    return Resampler.affine(s, s.height(), s.width(), inv, interpolation, ignoreIndex);
  }
}
