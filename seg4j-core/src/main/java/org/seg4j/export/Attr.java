package org.seg4j.export;

import com.google.protobuf.ByteString;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.AttributeProto.AttributeType;

/** A node attribute of ONNX's {@code AttributeProto}: one int, float, string or int list. */
record Attr(String name, Object value) {

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

  AttributeProto proto() {
    AttributeProto.Builder p = AttributeProto.newBuilder().setName(name);
    if (value instanceof Long l) {
      return p.setType(AttributeType.INT).setI(l).build();
    }
    if (value instanceof Float f) {
      return p.setType(AttributeType.FLOAT).setF(f).build();
    }
    if (value instanceof String s) {
      return p.setType(AttributeType.STRING).setS(ByteString.copyFromUtf8(s)).build();
    }
    p.setType(AttributeType.INTS);
    for (long v : (long[]) value) {
      p.addInts(v);
    }
    return p.build();
  }
}
