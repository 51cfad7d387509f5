package org.seg4j.data.loader;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Derives independent random streams from (seed, epoch, position) so that every sample gets the
 * same random numbers whichever thread processes it.
 */
public final class Seeds {
  /** Stream id used for the per-epoch sample order (positions are non-negative). */
  static final long ORDER_STREAM = -1;

  private Seeds() {}

  /** A fresh generator for sample {@code position} of {@code epoch} under {@code seed}. */
  public static RandomGenerator forSample(long seed, long epoch, long position) {
    return new SplittableRandom(mix(seed, epoch, position));
  }

  /** Combines the three values into one well-mixed 64-bit seed. */
  public static long mix(long seed, long epoch, long position) {
    long h = splitMix(seed);
    h = splitMix(h ^ epoch);
    return splitMix(h ^ position);
  }

  private static long splitMix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
