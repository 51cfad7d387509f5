package org.seg4j.data;

/** Thrown by a {@link MaskCodec} that cannot read a mask; the message is the value found. */
class MaskCodecException extends Exception {
  private static final long serialVersionUID = 1L;

  /** An exception whose message says what the mask holds, e.g. "holds values {0, 1}". */
  public MaskCodecException(String value) {
    super(value);
  }
}
