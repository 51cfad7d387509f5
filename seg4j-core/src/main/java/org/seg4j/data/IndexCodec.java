package org.seg4j.data;

import org.seg4j.io.RawImage;

/**
 * {@code --mask index}: the pixel value is the class (grey value, or palette index of a palette PNG
 * as in VOC).
 */
final class IndexCodec implements MaskCodec {
  @Override
  public String name() {
    return "index";
  }

  @Override
  public int[] decode(RawImage mask) throws MaskCodecException {
    return MaskPixels.single(mask).clone();
  }
}
