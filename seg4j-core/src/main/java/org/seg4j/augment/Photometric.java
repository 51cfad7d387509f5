package org.seg4j.augment;

import org.seg4j.data.Sample;

/** Helpers for transforms that change image values only and keep the mask as is. */
final class Photometric {
  private Photometric() {}

  /** The same sample with a new image array (same shape). */
  static Sample withImage(Sample s, float[] image) {
    return new Sample(s.id(), s.channels(), s.height(), s.width(), image, s.mask());
  }

  /** Clamps to [0, 1]. */
  static float clamp01(float v) {
    return v < 0 ? 0 : (v > 1 ? 1 : v);
  }
}
