package org.seg4j.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes the safetensors format (8-byte little-endian header length, a JSON header of
 * names to dtype/shape/offsets, then raw little-endian data), as written by PyTorch's {@code
 * safetensors.torch.save_file}. Writes are atomic: a temp file in the same folder is renamed.
 */
public final class SafeTensors {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_HEADER = 100L << 20;

  private SafeTensors() {}

  /** One stored tensor: dtype name as in safetensors ("F32", "I64", ...), shape and raw bytes. */
  public record Tensor(String dtype, long[] shape, byte[] data) {
    /** The number of elements. */
    public long numel() {
      long n = 1;
      for (long s : shape) {
        n *= s;
      }
      return n;
    }

    /** The bytes per element of the dtype. */
    public static int elementSize(String dtype) {
      switch (dtype) {
        case "F64":
        case "I64":
        case "U64":
          return 8;
        case "F32":
        case "I32":
        case "U32":
          return 4;
        case "F16":
        case "BF16":
        case "I16":
        case "U16":
          return 2;
        case "I8":
        case "U8":
        case "BOOL":
          return 1;
        default:
          return -1;
      }
    }

    /** The data as floats (F32, F64, F16, BF16 or integer types are converted). */
    public float[] toFloats() {
      ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
      int n = Math.toIntExact(numel());
      float[] out = new float[n];
      for (int i = 0; i < n; i++) {
        switch (dtype) {
          case "F32":
            out[i] = b.getFloat();
            break;
          case "F64":
            out[i] = (float) b.getDouble();
            break;
          case "F16":
            out[i] = halfToFloat(b.getShort());
            break;
          case "BF16":
            out[i] = Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
            break;
          case "I64":
            out[i] = b.getLong();
            break;
          case "I32":
            out[i] = b.getInt();
            break;
          case "U8":
          case "BOOL":
            out[i] = b.get() & 0xff;
            break;
          case "I8":
            out[i] = b.get();
            break;
          default:
            throw new IllegalStateException("dtype " + dtype + " cannot be read as floats");
        }
      }
      return out;
    }

    private static float halfToFloat(short h) {
      int bits = h & 0xffff;
      int sign = (bits & 0x8000) << 16;
      int exp = (bits >>> 10) & 0x1f;
      int mant = bits & 0x3ff;
      if (exp == 0) {
        float v = mant / 1024f / 16384f;
        return sign == 0 ? v : -v;
      }
      if (exp == 31) {
        return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
      }
      return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** The data as longs (integer dtypes exactly, float dtypes truncated). */
    public long[] toLongs() {
      int n = Math.toIntExact(numel());
      long[] out = new long[n];
      ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
      switch (dtype) {
        case "I64":
          b.asLongBuffer().get(out);
          return out;
        case "I32":
          for (int i = 0; i < n; i++) {
            out[i] = b.getInt();
          }
          return out;
        case "U8":
        case "BOOL":
          for (int i = 0; i < n; i++) {
            out[i] = b.get() & 0xff;
          }
          return out;
        default:
          float[] f = toFloats();
          for (int i = 0; i < n; i++) {
            out[i] = (long) f[i];
          }
          return out;
      }
    }

    /** An F32 tensor. */
    public static Tensor ofFloats(long[] shape, float[] values) {
      ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (float v : values) {
        b.putFloat(v);
      }
      return new Tensor("F32", shape.clone(), b.array());
    }

    /** An I64 tensor. */
    public static Tensor ofLongs(long[] shape, long[] values) {
      ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
      for (long v : values) {
        b.putLong(v);
      }
      return new Tensor("I64", shape.clone(), b.array());
    }
  }

  /** A file's tensors in header order and its {@code __metadata__} strings. */
  public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

  /** Reads a safetensors file, failing with a message naming the file on truncation or damage. */
  public static Contents read(Path file) throws IOException {
    try (FileChannel ch = open(file)) {
      Header h = readHeader(file, ch);
      long dataLen = h.fileSize() - h.dataStart();
      if (dataLen > Integer.MAX_VALUE) {
        throw new WeightsFileException(
            file, "holds " + dataLen + " data bytes, more than 2 GiB", "split the weights");
      }
      ByteBuffer data = ByteBuffer.allocate((int) dataLen);
      readFully(file, ch, data, h.dataStart());
      byte[] all = data.array();
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = h.json().fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getKey().equals(METADATA)) {
          tensors.put(e.getKey(), tensor(file, e.getKey(), e.getValue(), all));
        }
      }
      return new Contents(tensors, metadata(file, h.json()));
    }
  }

  /**
   * Reads only the {@code __metadata__} strings, without the tensor data: cheap even for large
   * files, with the same checks on the header as {@link #read}.
   */
  public static Map<String, String> readMetadata(Path file) throws IOException {
    try (FileChannel ch = open(file)) {
      return metadata(file, readHeader(file, ch).json());
    }
  }

  private static final String METADATA = "__metadata__";

  /** The parsed JSON header, where the data starts and the file's size. */
  private record Header(JsonNode json, long dataStart, long fileSize) {}

  private static FileChannel open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new WeightsFileException(file, "does not exist or is not a file", "check the path");
    }
    return FileChannel.open(file, StandardOpenOption.READ);
  }

  private static Header readHeader(Path file, FileChannel ch) throws IOException {
    long size = ch.size();
    if (size < 8) {
      throw new WeightsFileException(
          file,
          "is " + size + " bytes, too short for a safetensors header (truncated?)",
          "re-export it with safetensors.torch.save_file(model.state_dict(), path)");
    }
    ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(file, ch, len, 0);
    long headerLen = len.getLong(0);
    if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
      throw new WeightsFileException(
          file,
          "declares a " + headerLen + "-byte header but holds " + size + " bytes in all",
          "the file is truncated or not safetensors: copy it again or re-export it");
    }
    ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
    readFully(file, ch, hb, 8);
    JsonNode header;
    try {
      header = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new WeightsFileException(
          file, "has a corrupt JSON header (" + e.getOriginalMessage() + ")", "re-export it");
    }
    if (header == null || !header.isObject()) {
      throw new WeightsFileException(file, "has no JSON object header", "re-export it");
    }
    return new Header(header, 8 + headerLen, size);
  }

  private static void readFully(Path file, FileChannel ch, ByteBuffer buf, long position)
      throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new WeightsFileException(
            file, "ended early while reading (truncated)", "copy the file again or re-export it");
      }
      pos += n;
    }
    buf.flip();
  }

  private static Map<String, String> metadata(Path file, JsonNode header)
      throws WeightsFileException {
    Map<String, String> meta = new LinkedHashMap<>();
    JsonNode m = header.get(METADATA);
    if (m == null) {
      return meta;
    }
    if (!m.isObject()) {
      throw new WeightsFileException(
          file, "has a " + METADATA + " entry that is not a JSON object", "re-export it");
    }
    m.fields().forEachRemaining(e -> meta.put(e.getKey(), e.getValue().asText()));
    return meta;
  }

  private static Tensor tensor(Path file, String name, JsonNode t, byte[] all)
      throws WeightsFileException {
    String dtype = t.path("dtype").asText();
    int es = Tensor.elementSize(dtype);
    JsonNode shapeNode = t.path("shape");
    JsonNode offs = t.path("data_offsets");
    if (es < 0 || !shapeNode.isArray() || offs.size() != 2) {
      throw new WeightsFileException(
          file, "has a bad entry for '" + name + "' (dtype " + dtype + ")", "re-export it");
    }
    long[] shape = new long[shapeNode.size()];
    long numel = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeNode.get(i).asLong();
      numel *= shape[i];
    }
    long begin = offs.get(0).asLong();
    long end = offs.get(1).asLong();
    if (begin < 0 || end < begin || end > all.length) {
      throw new WeightsFileException(
          file,
          "tensor '"
              + name
              + "' needs bytes "
              + begin
              + ".."
              + end
              + " but only "
              + all.length
              + " data bytes are present (truncated)",
          "copy the file again or re-export it");
    }
    if (end - begin != numel * es) {
      throw new WeightsFileException(
          file,
          "tensor '" + name + "' has " + (end - begin) + " bytes for " + numel + " values",
          "re-export it");
    }
    byte[] data = new byte[(int) (end - begin)];
    System.arraycopy(all, (int) begin, data, 0, data.length);
    return new Tensor(dtype, shape, data);
  }

  /** Writes tensors and metadata atomically (temp file + rename). */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    ObjectNode header = JSON.createObjectNode();
    if (metadata != null && !metadata.isEmpty()) {
      ObjectNode m = header.putObject(METADATA);
      metadata.forEach(m::put);
    }
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      Tensor t = e.getValue();
      ObjectNode n = header.putObject(e.getKey());
      n.put("dtype", t.dtype());
      var shape = n.putArray("shape");
      for (long s : t.shape()) {
        shape.add(s);
      }
      var offs = n.putArray("data_offsets");
      offs.add(offset);
      offs.add(offset + t.data().length);
      offset += t.data().length;
    }
    if (tensors.containsKey(METADATA)) {
      throw new IllegalArgumentException(METADATA + " is reserved and cannot name a tensor");
    }
    byte[] h = JSON.writeValueAsBytes(header);
    int pad = (8 - h.length % 8) % 8;
    byte[] hp = new byte[h.length + pad];
    System.arraycopy(h, 0, hp, 0, h.length);
    for (int i = h.length; i < hp.length; i++) {
      hp[i] = ' ';
    }
    AtomicFiles.write(
        file,
        out -> {
          out.write(
              ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(hp.length).array());
          out.write(hp);
          for (Tensor t : tensors.values()) {
            out.write(t.data());
          }
        });
  }
}
