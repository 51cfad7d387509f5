package org.seg4j.augment;

import java.util.random.RandomGenerator;
import org.seg4j.data.Sample;

/** Rotates about the image centre by an angle drawn from {@code degrees}, keeping the size. */
record Rotate(Range degrees, Interpolation interpolation, int ignoreIndex)
    implements PairedTransform {
  @Override
  public Sample apply(Sample s, RandomGenerator rng) {
    double angle = degrees.sample(rng);
    Affine inv = Affine.rotateScale(s.height(), s.width(), angle, 1);
    return Resampler.affine(s, s.height(), s.width(), inv, interpolation, ignoreIndex);
  }
}
