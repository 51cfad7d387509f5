package org.seg4j.io;

/** Colour tables for palette masks, such as the Pascal VOC palette. */
public final class Palettes {
  private Palettes() {}

  /**
   * The Pascal VOC colour map of {@code n} entries ({@code 0xRRGGBB}): 0 black, 1 (128,0,0), 2
   * (0,128,0), ..., 255 (224,224,192) for void.
   */
  public static int[] voc(int n) {
    int[] palette = new int[n];
    for (int i = 0; i < n; i++) {
      int r = 0;
      int g = 0;
      int b = 0;
      int c = i;
      for (int j = 0; j < 8; j++) {
        r |= ((c >> 0) & 1) << (7 - j);
        g |= ((c >> 1) & 1) << (7 - j);
        b |= ((c >> 2) & 1) << (7 - j);
        c >>= 3;
      }
      palette[i] = (r << 16) | (g << 8) | b;
    }
    return palette;
  }
}
