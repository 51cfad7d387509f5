package org.seg4j.augment;

import java.util.Arrays;
import java.util.Locale;

/** How the image is sampled between pixels; the mask always uses {@link #NEAREST}. */
public enum Interpolation {
  /** The closest source pixel. */
  NEAREST,
  /** Linear in x and y over the 2x2 neighbours. */
  BILINEAR,
  /** Cubic convolution (Keys, a = -0.75 as in OpenCV and PyTorch) over the 4x4 neighbours. */
  BICUBIC;

  /** Parses a config name such as {@code bilinear}; the error lists the valid names. */
  public static Interpolation parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown interpolation '"
              + name
              + "'; valid: "
              + Arrays.stream(values()).map(v -> v.name().toLowerCase(Locale.ROOT)).toList(),
          e);
    }
  }
}
