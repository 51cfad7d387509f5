package org.seg4j.export;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A protocol-buffers message being written: the wire format (varints, length-delimited fields,
 * fixed32 floats) for the few field kinds ONNX's {@code onnx.proto} needs. Field numbers are the
 * callers' ({@link OnnxGraph}).
 */
final class Proto {
  private static final int VARINT = 0;
  private static final int LENGTH_DELIMITED = 2;
  private static final int FIXED32 = 5;

  private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

  /** An int64, int32 or enum field. */
  Proto varint(int field, long value) {
    tag(field, VARINT);
    raw(value);
    return this;
  }

  /** A string field, UTF-8. */
  Proto string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  /** A bytes field. */
  Proto bytes(int field, byte[] value) {
    tag(field, LENGTH_DELIMITED);
    raw(value.length);
    buf.writeBytes(value);
    return this;
  }

  /** An embedded message field. */
  Proto message(int field, Proto value) {
    return bytes(field, value.toByteArray());
  }

  /** A float field. */
  Proto float32(int field, float value) {
    tag(field, FIXED32);
    buf.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array());
    return this;
  }

  /** A packed repeated int64 field. */
  Proto packed(int field, long[] values) {
    Proto p = new Proto();
    for (long v : values) {
      p.raw(v);
    }
    return bytes(field, p.toByteArray());
  }

  /** The message's bytes. */
  byte[] toByteArray() {
    return buf.toByteArray();
  }

  private void tag(int field, int wireType) {
    raw(((long) field << 3) | wireType);
  }

  private void raw(long v) {
    while ((v & ~0x7FL) != 0) {
      buf.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    buf.write((int) v);
  }
}
