package org.seg4j.augment;

import java.util.random.RandomGenerator;

/** A closed interval a transform draws a uniform parameter from. */
record Range(double lo, double hi) {
  /** Checks lo <= hi. */
  public Range {
    if (!(lo <= hi)) {
      throw new IllegalArgumentException("range [" + lo + ", " + hi + "] has lo > hi");
    }
  }

  /** The interval [-r, r]. */
  public static Range symmetric(double r) {
    return new Range(-Math.abs(r), Math.abs(r));
  }

  /** A uniform draw (always consumes one number so streams stay aligned). */
  public double sample(RandomGenerator rng) {
    double u = rng.nextDouble();
    return lo + (hi - lo) * u;
  }
}
