package org.seg4j.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** The data as longs (integer dtypes). */
    public long[] toLongs() {
      ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
      int n = Math.toIntExact(numel());
      long[] out = new long[n];
      for (int i = 0; i < n; i++) {
        switch (dtype) {
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
          default:
            out[i] = (long) toFloats()[i];
        }
      }
      return out;
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
    if (!Files.isRegularFile(file)) {
      throw new WeightsFileException(file, "does not exist or is not a file", "check the path");
    }
    byte[] all = Files.readAllBytes(file);
    if (all.length < 8) {
      throw new WeightsFileException(
          file,
          "is " + all.length + " bytes, too short for a safetensors header (truncated?)",
          "re-export it with safetensors.torch.save_file(model.state_dict(), path)");
    }
    long headerLen = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > all.length) {
      throw new WeightsFileException(
          file,
          "declares a " + headerLen + "-byte header but holds " + all.length + " bytes in all",
          "the file is truncated or not safetensors: copy it again or re-export it");
    }
    JsonNode header;
    try {
      header = JSON.readTree(new String(all, 8, (int) headerLen, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new WeightsFileException(
          file, "has a corrupt JSON header (" + e.getOriginalMessage() + ")", "re-export it");
    }
    if (header == null || !header.isObject()) {
      throw new WeightsFileException(file, "has no JSON object header", "re-export it");
    }
    long dataStart = 8 + headerLen;
    long dataLen = all.length - dataStart;
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    Map<String, String> meta = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("__metadata__")) {
        e.getValue().fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().asText()));
        continue;
      }
      JsonNode t = e.getValue();
      String dtype = t.path("dtype").asText();
      int es = Tensor.elementSize(dtype);
      JsonNode shapeNode = t.path("shape");
      JsonNode offs = t.path("data_offsets");
      if (es < 0 || !shapeNode.isArray() || offs.size() != 2) {
        throw new WeightsFileException(
            file, "has a bad entry for '" + e.getKey() + "' (dtype " + dtype + ")", "re-export it");
      }
      long[] shape = new long[shapeNode.size()];
      long numel = 1;
      for (int i = 0; i < shape.length; i++) {
        shape[i] = shapeNode.get(i).asLong();
        numel *= shape[i];
      }
      long begin = offs.get(0).asLong();
      long end = offs.get(1).asLong();
      if (begin < 0 || end < begin || end > dataLen) {
        throw new WeightsFileException(
            file,
            "tensor '"
                + e.getKey()
                + "' needs bytes "
                + begin
                + ".."
                + end
                + " but only "
                + dataLen
                + " data bytes are present (truncated)",
            "copy the file again or re-export it");
      }
      if (end - begin != numel * es) {
        throw new WeightsFileException(
            file,
            "tensor '" + e.getKey() + "' has " + (end - begin) + " bytes for " + numel + " values",
            "re-export it");
      }
      byte[] data = new byte[(int) (end - begin)];
      System.arraycopy(all, (int) (dataStart + begin), data, 0, data.length);
      tensors.put(e.getKey(), new Tensor(dtype, shape, data));
    }
    return new Contents(tensors, meta);
  }

  /** Writes tensors and metadata atomically (temp file + rename). */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    ObjectNode header = JSON.createObjectNode();
    if (metadata != null && !metadata.isEmpty()) {
      ObjectNode m = header.putObject("__metadata__");
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
