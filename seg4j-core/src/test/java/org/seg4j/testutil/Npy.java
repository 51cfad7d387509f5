package org.seg4j.testutil;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Minimal reader for little-endian, C-order {@code .npy} files (f4, f8, i4, i8, u1) in tests. */
public final class Npy {
  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<|>])([a-z])(\\d+)'");
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*True");

  private final String kind;
  private final int itemSize;
  private final long[] shape;
  private final ByteBuffer data;

  private Npy(String kind, int itemSize, long[] shape, ByteBuffer data) {
    this.kind = kind;
    this.itemSize = itemSize;
    this.shape = shape;
    this.data = data;
  }

  /** Reads a classpath resource such as {@code /golden/loss/logits.npy}. */
  public static Npy resource(String path) {
    try (InputStream in = Npy.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("missing test resource " + path);
      }
      return parse(in.readAllBytes(), path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Npy parse(byte[] bytes, String name) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < 10 || bytes[0] != (byte) 0x93 || bytes[1] != 'N') {
      throw new IllegalArgumentException(name + " is not a .npy file");
    }
    int major = bytes[6];
    int headerLen;
    int start;
    if (major == 1) {
      headerLen = Short.toUnsignedInt(b.getShort(8));
      start = 10;
    } else {
      headerLen = b.getInt(8);
      start = 12;
    }
    String header = new String(bytes, start, headerLen, StandardCharsets.ISO_8859_1);
    Matcher d = DESCR.matcher(header);
    Matcher s = SHAPE.matcher(header);
    if (!d.find() || !s.find() || FORTRAN.matcher(header).find() || d.group(1).equals(">")) {
      throw new IllegalArgumentException(name + ": unsupported npy header " + header);
    }
    long[] shape =
        Arrays.stream(s.group(1).split(","))
            .map(String::trim)
            .filter(t -> !t.isEmpty())
            .mapToLong(Long::parseLong)
            .toArray();
    ByteBuffer data =
        ByteBuffer.wrap(bytes, start + headerLen, bytes.length - start - headerLen)
            .slice()
            .order(ByteOrder.LITTLE_ENDIAN);
    return new Npy(d.group(2), Integer.parseInt(d.group(3)), shape, data);
  }

  /** The array's shape. */
  public long[] shape() {
    return shape.clone();
  }

  /** Number of elements. */
  public int size() {
    long n = 1;
    for (long v : shape) {
      n *= v;
    }
    return Math.toIntExact(n);
  }

  /** All elements as doubles. */
  public double[] doubles() {
    double[] out = new double[size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = get(i);
    }
    return out;
  }

  /** All elements as floats. */
  public float[] floats() {
    float[] out = new float[size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) get(i);
    }
    return out;
  }

  /** All elements as longs (integer arrays only). */
  public long[] longs() {
    long[] out = new long[size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (long) get(i);
    }
    return out;
  }

  /** All elements as ints (integer arrays only). */
  public int[] ints() {
    int[] out = new int[size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.toIntExact((long) get(i));
    }
    return out;
  }

  /** The single element of a 0-d or 1-element array. */
  public double scalar() {
    if (size() != 1) {
      throw new IllegalStateException("not a scalar: " + Arrays.toString(shape));
    }
    return get(0);
  }

  /** As a float32 NDArray (floating kinds) or int64 NDArray (integer kinds). */
  public NDArray toNDArray(NDManager manager) {
    Shape s = new Shape(shape);
    if (kind.equals("f")) {
      return manager.create(floats(), s);
    }
    return manager.create(longs(), s);
  }

  private double get(int i) {
    switch (kind + itemSize) {
      case "f4":
        return data.getFloat(i * 4);
      case "f8":
        return data.getDouble(i * 8);
      case "i4":
        return data.getInt(i * 4);
      case "i8":
        return data.getLong(i * 8);
      case "u1":
      case "b1":
        return Byte.toUnsignedInt(data.get(i));
      default:
        throw new IllegalStateException("unsupported dtype " + kind + itemSize);
    }
  }
}
