package org.seg4j.data;

import org.seg4j.io.RawImage;

/**
 * {@code --mask binary255}: a black/white mask, 0 to class 0 and full white (255 for 8-bit, 65535
 * for 16-bit) to class 1. Any other value is an error.
 */
final class Binary255Codec implements MaskCodec {
  @Override
  public String name() {
    return "binary255";
  }

  @Override
  public int[] decode(RawImage mask) throws MaskCodecException {
    int[] v = MaskPixels.single(mask);
    int white = mask.isPalette() ? 255 : mask.maxValue();
    int[] out = new int[v.length];
    for (int p = 0; p < v.length; p++) {
      if (v[p] == white) {
        out[p] = 1;
      } else if (v[p] != 0) {
        throw new MaskCodecException(
            "holds values "
                + MaskPixels.format(MaskPixels.distinct(v))
                + " but data.mask=binary255 takes only 0 and "
                + white);
      }
    }
    return out;
  }
}
