package org.seg4j.augment;

import java.util.random.RandomGenerator;
import org.seg4j.data.Sample;

/**
 * Rotates by k x 90 degrees counter-clockwise (as numpy's rot90), k uniform in {0, 1, 2, 3}; an
 * exact permutation that swaps height and width for odd k.
 */
record Rot90() implements PairedTransform {
  @Override
  public Sample apply(Sample s, RandomGenerator rng) {
    return rotate(s, rng.nextInt(4));
  }

  /** Rotates by {@code k} quarter turns counter-clockwise. */
  public static Sample rotate(Sample s, int k) {
    int h = s.height();
    int w = s.width();
    return switch (Math.floorMod(k, 4)) {
      case 0 -> s;
      case 1 -> warp(s, w, h, new Affine(0, -1, w - 1, 1, 0, 0));
      case 2 -> warp(s, h, w, new Affine(-1, 0, w - 1, 0, -1, h - 1));
      default -> warp(s, w, h, new Affine(0, 1, 0, -1, 0, h - 1));
    };
  }

  private static Sample warp(Sample s, int outH, int outW, Affine inv) {
    // Quarter turns cover every output pixel, so the fill value is never used.
    return Resampler.affine(s, outH, outW, inv, Interpolation.NEAREST, 0);
  }
}
