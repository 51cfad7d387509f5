package org.seg4j.serve;

import java.util.ArrayList;
import java.util.List;

/**
 * COCO's uncompressed run-length encoding of a binary mask: the pixels read column by column
 * (Fortran order), the counts alternating runs of 0 and of 1, starting with a run of 0s that may be
 * empty.
 */
final class Rle {
  private Rle() {}

  /**
   * The runs of {@code mask == k} over a row-major {@code height × width} class mask, column-major.
   */
  static List<Integer> encode(int[] mask, int height, int width, int k) {
    List<Integer> counts = new ArrayList<>();
    boolean value = false;
    int run = 0;
    for (int x = 0; x < width; x++) {
      for (int y = 0; y < height; y++) {
        boolean v = mask[y * width + x] == k;
        if (v != value) {
          counts.add(run);
          run = 0;
          value = v;
        }
        run++;
      }
    }
    counts.add(run);
    return counts;
  }

  /** The row-major binary mask (1 inside) of {@link #encode}'s counts. */
  static int[] decode(List<Integer> counts, int height, int width) {
    int[] out = new int[height * width];
    int i = 0;
    int value = 0;
    for (int c : counts) {
      for (int j = 0; j < c; j++, i++) {
        int x = i / height;
        int y = i % height;
        out[y * width + x] = value;
      }
      value = 1 - value;
    }
    if (i != height * width) {
      throw new IllegalArgumentException(
          "the counts cover " + i + " pixels, the mask " + height * width);
    }
    return out;
  }
}
