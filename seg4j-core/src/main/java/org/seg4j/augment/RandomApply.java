package org.seg4j.augment;

import java.util.random.RandomGenerator;
import org.seg4j.data.Sample;

/** Applies a transform with probability {@code p}, otherwise passes the sample through. */
public record RandomApply(PairedTransform transform, double p) implements PairedTransform {
  /** Checks 0 <= p <= 1. */
  public RandomApply {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("probability p must be in [0, 1], got " + p);
    }
  }

  @Override
  public Sample apply(Sample sample, RandomGenerator rng) {
    // Draw even when p is 0 or 1 so that later transforms see the same random stream.
    return rng.nextDouble() < p ? transform.apply(sample, rng) : sample;
  }
}
