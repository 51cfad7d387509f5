package org.seg4j.data;

import java.util.HashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.seg4j.io.RawImage;

/**
 * {@code --mask rgb}: each pixel's colour is looked up in the colour table of the classes file
 * ({@code name r g b} lines); {@code void r g b} lines map to the ignore index.
 */
final class RgbCodec implements MaskCodec {
  private final Map<Integer, Integer> table = new HashMap<>();

  /** A codec for the colours of names; ignore colours map to ignoreIndex. */
  public RgbCodec(ClassNames names, int ignoreIndex) {
    if (!names.hasColours()) {
      throw new IllegalArgumentException(
          "data.mask=rgb needs a classes file of `name r g b` lines");
    }
    for (int i = 0; i < names.size(); i++) {
      table.put(names.colours()[i], i);
    }
    for (int c : names.ignoreColours()) {
      if (ignoreIndex < 0) {
        throw new IllegalArgumentException(
            "the classes file maps colour "
                + ClassNames.rgb(c)
                + " to void: set data.ignore_index=N");
      }
      table.put(c, ignoreIndex);
    }
  }

  @Override
  public String name() {
    return "rgb";
  }

  @Override
  public int[] decode(RawImage mask) throws MaskCodecException {
    int[] out = new int[mask.pixels()];
    SortedSet<Integer> unknown = new TreeSet<>();
    for (int p = 0; p < out.length; p++) {
      int c = MaskPixels.colour(mask, p);
      Integer cls = table.get(c);
      if (cls == null) {
        unknown.add(c);
      } else {
        out[p] = cls;
      }
    }
    if (!unknown.isEmpty()) {
      throw new MaskCodecException(
          "holds colours not in the classes file: "
              + unknown.stream().limit(12).map(ClassNames::rgb).collect(Collectors.joining(", "))
              + (unknown.size() > 12 ? ", ... (" + unknown.size() + " colours)" : ""));
    }
    return out;
  }
}
