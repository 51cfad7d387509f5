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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads and writes the safetensors format (8-byte little-endian header length, a JSON header of
 * names to dtype/shape/offsets, then raw little-endian data), as written by PyTorch's {@code
 * safetensors.torch.save_file}. Writes are atomic: a temp file in the same folder is renamed.
 *
 * <p>Files seg4j writes carry a CRC32C checksum of each tensor's bytes in the {@code __metadata__}
 * entry {@value #CHECKSUMS} (a JSON object of tensor name to 8 hex digits, as a string, since
 * metadata values are strings); every read checks them and names the file and the tensor on a
 * mismatch. Files without it (written by PyTorch or an older seg4j) are read unchecked.
 */
public final class SafeTensors {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_HEADER = 100L << 20;

  /** The metadata key of the per-tensor CRC32C checksums; read results never include it. */
  public static final String CHECKSUMS = "seg4j.crc32c";

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
      Map<String, String> meta = metadata(file, h.json());
      String sums = meta.remove(CHECKSUMS);
      if (sums != null) {
        verify(file, tensors, sums);
      }
      return new Contents(tensors, meta);
    }
  }

  /**
   * Reads only the {@code __metadata__} strings, without the tensor data: cheap even for large
   * files, with the same checks on the header as {@link #read}.
   */
  public static Map<String, String> readMetadata(Path file) throws IOException {
    try (FileChannel ch = open(file)) {
      Map<String, String> meta = metadata(file, readHeader(file, ch).json());
      meta.remove(CHECKSUMS);
      return meta;
    }
  }

  /** The CRC32C of some bytes as 8 hex digits. */
  static String crc32c(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    return String.format(Locale.ROOT, "%08x", crc.getValue());
  }

  /** Checks every tensor against the stored checksums; the first mismatch is thrown. */
  private static void verify(Path file, Map<String, Tensor> tensors, String sums)
      throws WeightsFileException {
    JsonNode stored;
    try {
      stored = JSON.readTree(sums);
    } catch (JsonProcessingException e) {
      stored = null;
    }
    if (stored == null || !stored.isObject()) {
      throw new DamagedTensorException(
          file,
          null,
          "is damaged: its " + CHECKSUMS + " metadata entry is not the JSON object seg4j wrote",
          otherCopies(file));
    }
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      JsonNode want = stored.get(e.getKey());
      String now = crc32c(e.getValue().data());
      if (want == null || !want.asText().equals(now)) {
        throw new DamagedTensorException(
            file,
            e.getKey(),
            want == null
                ? "is damaged: its header lists tensor '"
                    + e.getKey()
                    + "', which seg4j did not write (no checksum for it)"
                : "is damaged: tensor '"
                    + e.getKey()
                    + "' no longer matches the CRC32C checksum seg4j stored when it wrote the file"
                    + " (stored "
                    + want.asText()
                    + ", now "
                    + now
                    + "), so its bytes changed after the save",
            otherCopies(file));
      }
    }
    for (Iterator<String> it = stored.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!tensors.containsKey(name)) {
        throw new DamagedTensorException(
            file,
            name,
            "is damaged: tensor '"
                + name
                + "', which seg4j wrote into it, is missing from its header",
            otherCopies(file));
      }
    }
  }

  /**
   * The other checkpoints in {@code file}'s folder, as runs name them, in the order to suggest
   * them: {@code last}, then {@code epoch_N} newest first, then {@code best}, then the rest (resume
   * files {@code *.train.safetensors} left out).
   */
  public static List<Path> checkpointsBeside(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    String self = file.getFileName().toString();
    List<Path> others = new ArrayList<>();
    if (dir != null && Files.isDirectory(dir)) {
      try (var list = Files.list(dir)) {
        list.filter(
                f -> {
                  String n = f.getFileName().toString();
                  return n.endsWith(".safetensors")
                      && !n.endsWith(".train.safetensors")
                      && !n.startsWith(".")
                      && !n.equals(self)
                      && Files.isRegularFile(f);
                })
            .forEach(others::add);
      } catch (IOException e) {
        others.clear();
      }
    }
    others.sort(Comparator.comparing(SafeTensors::preference));
    return others;
  }

  /** "X (also there: y, z)" for a non-empty list of {@link #checkpointsBeside}. */
  public static String describe(List<Path> others) {
    if (others.size() == 1) {
      return others.get(0).toString();
    }
    return others.get(0)
        + " (also there: "
        + String.join(
            ", ",
            others.subList(1, others.size()).stream().map(f -> f.getFileName().toString()).toList())
        + ")";
  }

  /** {@code fix}, and the checkpoints beside {@code file} when there are any. */
  private static String orBeside(Path file, String fix) {
    List<Path> others = checkpointsBeside(file);
    return others.isEmpty() ? fix : fix + "; or use another checkpoint: " + describe(others);
  }

  /** The way on from a damaged file: a checkpoint beside it, else a fresh copy. */
  private static String otherCopies(Path file) {
    List<Path> others = checkpointsBeside(file);
    String copy = "copy the file again from where it came, or save it again";
    if (others.isEmpty()) {
      return copy;
    }
    if (file.getFileName().toString().endsWith(".train.safetensors")) {
      return "this resume file cannot be used; start a new run from a checkpoint beside it with"
          + " seg4j train model.init_from="
          + describe(others);
    }
    return "use another checkpoint instead: " + describe(others) + "; or " + copy;
  }

  /** Sort key: last, then epoch_N newest first, then best, then the rest by name. */
  private static String preference(Path f) {
    String n = f.getFileName().toString();
    if (n.equals("last.safetensors")) {
      return "0";
    }
    if (n.matches("epoch_\\d+\\.safetensors")) {
      String digits = n.substring(6, n.length() - 12);
      return "1" + (char) ('z' - Math.min(25, digits.length())) + invert(digits);
    }
    if (n.equals("best.safetensors")) {
      return "2";
    }
    return "3" + n;
  }

  /** Digits mapped so that a larger number of the same length sorts first. */
  private static String invert(String digits) {
    StringBuilder sb = new StringBuilder();
    for (char c : digits.toCharArray()) {
      sb.append((char) ('9' - c + '0'));
    }
    return sb.toString();
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
          orBeside(
              file, "re-export it with safetensors.torch.save_file(model.state_dict(), path)"));
    }
    ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(file, ch, len, 0);
    long headerLen = len.getLong(0);
    if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
      throw new WeightsFileException(
          file,
          "declares a " + headerLen + "-byte header but holds " + size + " bytes in all",
          orBeside(
              file, "the file is truncated or not safetensors: copy it again or re-export it"));
    }
    ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
    readFully(file, ch, hb, 8);
    JsonNode header;
    try {
      header = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new WeightsFileException(
          file,
          "has a corrupt JSON header (" + e.getOriginalMessage() + ")",
          orBeside(file, "re-export it"));
    }
    if (header == null || !header.isObject()) {
      throw new WeightsFileException(
          file, "has no JSON object header", orBeside(file, "re-export it"));
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
            file,
            "ended early while reading (truncated)",
            orBeside(file, "copy the file again or re-export it"));
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
          file,
          "has a " + METADATA + " entry that is not a JSON object",
          orBeside(file, "re-export it"));
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
          file,
          "has a bad entry for '" + name + "' (dtype " + dtype + ")",
          orBeside(file, "re-export it"));
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
          orBeside(file, "copy the file again or re-export it"));
    }
    if (end - begin != numel * es) {
      throw new WeightsFileException(
          file,
          "tensor '" + name + "' has " + (end - begin) + " bytes for " + numel + " values",
          orBeside(file, "re-export it"));
    }
    byte[] data = new byte[(int) (end - begin)];
    System.arraycopy(all, (int) begin, data, 0, data.length);
    return new Tensor(dtype, shape, data);
  }

  /** Writes tensors and metadata atomically (temp file + rename). */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    ObjectNode header = JSON.createObjectNode();
    ObjectNode m = header.putObject(METADATA);
    if (metadata != null) {
      metadata.forEach(m::put);
    }
    ObjectNode sums = JSON.createObjectNode();
    tensors.forEach((name, t) -> sums.put(name, crc32c(t.data())));
    m.put(CHECKSUMS, JSON.writeValueAsString(sums));
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
          int i = 0;
          for (Tensor t : tensors.values()) {
            out.write(t.data());
            if (++i == (tensors.size() + 1) / 2) {
              out.flush();
              TestPause.at("checkpoint-write", file);
            }
          }
        });
  }
}
