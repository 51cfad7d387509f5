package org.seg4j.export;

/** A node attribute of ONNX's {@code AttributeProto}: one int, float, string or int list. */
record Attr(String name, Object value) {
  // AttributeProto fields and AttributeType values of onnx.proto
  private static final int NAME = 1;
  private static final int F = 2;
  private static final int I = 3;
  private static final int S = 4;
  private static final int INTS = 8;
  private static final int TYPE = 20;
  private static final int FLOAT = 1;
  private static final int INT = 2;
  private static final int STRING = 3;
  private static final int INT_LIST = 7;

  /** An int attribute. */
  static Attr of(String name, long value) {
    return new Attr(name, value);
  }

  /** A float attribute. */
  static Attr of(String name, float value) {
    return new Attr(name, value);
  }

  /** A string attribute. */
  static Attr of(String name, String value) {
    return new Attr(name, value);
  }

  /** An int-list attribute. */
  static Attr of(String name, long... values) {
    return new Attr(name, values.clone());
  }

  Proto proto() {
    Proto p = new Proto().string(NAME, name);
    if (value instanceof Long l) {
      return p.varint(TYPE, INT).varint(I, l);
    }
    if (value instanceof Float f) {
      return p.varint(TYPE, FLOAT).float32(F, f);
    }
    if (value instanceof String s) {
      return p.varint(TYPE, STRING).string(S, s);
    }
    long[] ints = (long[]) value;
    p.varint(TYPE, INT_LIST);
    for (long v : ints) {
      p.varint(INTS, v);
    }
    return p;
  }
}
