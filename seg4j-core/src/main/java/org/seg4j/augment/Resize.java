package org.seg4j.augment;

import java.util.random.RandomGenerator;
import org.seg4j.data.Sample;

/**
 * Resizes to the model's input {@code height x width}, letterboxed (aspect kept, padding void) when
 * {@code keepAspect}; see {@link Letterbox} for the exact inverse.
 */
public record Resize(
    int height, int width, boolean keepAspect, Interpolation interpolation, int ignoreIndex)
    implements PairedTransform {
  /** Checks the size. */
  public Resize {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "resize: size must be positive, got " + height + "x" + width);
    }
  }

  /** The plan for a sample of the given size. */
  public Letterbox plan(int srcH, int srcW) {
    return Letterbox.of(srcH, srcW, height, width, keepAspect);
  }

  @Override
  public Sample apply(Sample s, RandomGenerator rng) {
    return plan(s.height(), s.width()).apply(s, interpolation, ignoreIndex);
  }
}
