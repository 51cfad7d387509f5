package org.seg4j.data;

import org.seg4j.io.RawImage;

/** Turns a decoded mask image into a class index per pixel; chosen with {@code --mask}. */
public interface MaskCodec {
  /** The name as given on the command line, e.g. "threshold:128". */
  String name();

  /**
   * Decodes one mask into class indices, row-major. Alpha is ignored.
   *
   * @throws MaskCodecException saying what the mask holds when this codec cannot read it
   */
  int[] decode(RawImage mask) throws MaskCodecException;
}
