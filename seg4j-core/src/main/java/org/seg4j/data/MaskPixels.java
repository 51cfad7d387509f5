package org.seg4j.data;

import java.util.Arrays;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.seg4j.io.RawImage;

/** Helpers shared by the mask codecs and the check: single-channel values, value sets. */
final class MaskPixels {
  private static final int SHOWN = 12;

  private MaskPixels() {}

  /** Whether the image has three colour channels that differ somewhere. */
  static boolean isColour(RawImage m) {
    if (m.colorChannels() < 3) {
      return false;
    }
    for (int p = 0; p < m.pixels(); p++) {
      int r = m.sample(p, 0);
      if (m.sample(p, 1) != r || m.sample(p, 2) != r) {
        return true;
      }
    }
    return false;
  }

  /**
   * The one channel of a grey or palette mask (alpha dropped), or the red channel of an RGB mask
   * whose channels are all equal.
   *
   * @throws MaskCodecException for a true colour mask, listing some colours
   */
  static int[] single(RawImage m) throws MaskCodecException {
    if (m.channels() == 1) {
      return m.data();
    }
    if (isColour(m)) {
      throw new MaskCodecException("is an RGB colour image with colours " + colours(m));
    }
    int[] out = new int[m.pixels()];
    for (int p = 0; p < out.length; p++) {
      out[p] = m.sample(p, 0);
    }
    return out;
  }

  /** Packed {@code 0xRRGGBB} colour of pixel p (grey repeated for one channel). */
  static int colour(RawImage m, int p) {
    if (m.isPalette()) {
      int i = m.sample(p, 0);
      return i < m.palette().length ? m.palette()[i] : 0;
    }
    if (m.colorChannels() < 3) {
      int g = m.sample(p, 0) * 255 / m.maxValue();
      return g << 16 | g << 8 | g;
    }
    int shift = m.bitDepth() - 8;
    return (m.sample(p, 0) >> shift) << 16
        | (m.sample(p, 1) >> shift) << 8
        | m.sample(p, 2) >> shift;
  }

  /** The distinct colours of a mask, formatted, at most a dozen shown. */
  static String colours(RawImage m) {
    SortedSet<Integer> set = new TreeSet<>();
    for (int p = 0; p < m.pixels() && set.size() <= SHOWN; p++) {
      set.add(colour(m, p));
    }
    String shown = set.stream().limit(SHOWN).map(ClassNames::rgb).collect(Collectors.joining(", "));
    return "{" + shown + (set.size() > SHOWN ? ", ..." : "") + "}";
  }

  /** The distinct values of an array. */
  static SortedSet<Integer> distinct(int[] values) {
    SortedSet<Integer> set = new TreeSet<>();
    int[] sorted = values.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || sorted[i] != sorted[i - 1]) {
        set.add(sorted[i]);
      }
    }
    return set;
  }

  /** Formats a value set as "{0, 255}", eliding the middle of long sets. */
  static String format(SortedSet<Integer> values) {
    if (values.size() <= SHOWN) {
      return values.stream().map(String::valueOf).collect(Collectors.joining(", ", "{", "}"));
    }
    Integer[] v = values.toArray(new Integer[0]);
    return "{"
        + v[0]
        + ", "
        + v[1]
        + ", "
        + v[2]
        + ", ..., "
        + v[v.length - 1]
        + "} ("
        + v.length
        + " values)";
  }
}
