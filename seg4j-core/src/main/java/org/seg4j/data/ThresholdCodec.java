package org.seg4j.data;

import org.seg4j.io.RawImage;

/**
 * {@code --mask threshold:N}: class 1 where the grey value (luma for colour masks, 8-bit scale) is
 * at least N, else class 0. Made for lossy JPEG masks.
 */
final class ThresholdCodec implements MaskCodec {
  private final int threshold;

  /** A codec that maps values ≥ threshold (0..255 scale) to 1. */
  public ThresholdCodec(int threshold) {
    if (threshold < 1 || threshold > 255) {
      throw new IllegalArgumentException("threshold must be 1..255, got " + threshold);
    }
    this.threshold = threshold;
  }

  @Override
  public String name() {
    return "threshold:" + threshold;
  }

  @Override
  public int[] decode(RawImage mask) {
    int[] out = new int[mask.pixels()];
    for (int p = 0; p < out.length; p++) {
      int c = MaskPixels.colour(mask, p);
      double luma = 0.299 * (c >> 16 & 255) + 0.587 * (c >> 8 & 255) + 0.114 * (c & 255);
      out[p] = luma + 1e-9 >= threshold ? 1 : 0;
    }
    return out;
  }
}
