package org.seg4j.data;

import org.seg4j.io.RawImage;

/** {@code --mask palette}: the palette index of a palette PNG is the class; nothing else taken. */
final class PaletteCodec implements MaskCodec {
  @Override
  public String name() {
    return "palette";
  }

  @Override
  public int[] decode(RawImage mask) throws MaskCodecException {
    if (!mask.isPalette()) {
      throw new MaskCodecException(
          (mask.bitDepth() == 8 ? "is an " : "is a ")
              + mask.describe()
              + " image, not a palette PNG");
    }
    return mask.data().clone();
  }
}
