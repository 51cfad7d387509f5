package org.seg4j.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.seg4j.io.PickleReader.View;
import org.seg4j.io.SafeTensors.Contents;
import org.seg4j.io.SafeTensors.Tensor;

/**
 * Reads the tensors of a PyTorch {@code .pth} file as {@code torch.save} writes it since PyTorch
 * 1.6: a zip of {@code FOLDER/data.pkl} (the pickled object, read by {@link PickleReader}, which
 * runs nothing) and one entry {@code FOLDER/data/KEY} of raw bytes per storage. Each tensor is
 * copied out of its storage in row-major order (storage offset and strides honoured, so views,
 * transposed weights and shared storages come out as PyTorch shows them); float16 and bfloat16 are
 * widened and float64 narrowed to F32, integer and bool tensors keep their dtype.
 *
 * <p>The state_dict is the file's top-level dict, or the dict under {@code state_dict}, {@code
 * model_state_dict}, {@code model} or {@code net} (the first of these holding tensors); entries
 * that are not tensors are skipped, and a {@code module.} prefix on every key (DataParallel) is
 * dropped. The legacy format (before 1.6) is recognised and refused with how to re-save.
 */
public final class PthFile {
  /** The wrapper keys checked for the state_dict, in order of preference. */
  static final List<String> WRAPPERS = List.of("state_dict", "model_state_dict", "model", "net");

  private static final String MODULE = "module.";
  private static final byte[] ZIP = {'P', 'K', 3, 4};

  /** The magic number the legacy format pickles first (LONG1 0x1950a86a20f9469cfc6c). */
  private static final byte[] LEGACY = {
    (byte) 0x8a,
    10,
    0x6c,
    (byte) 0xfc,
    (byte) 0x9c,
    0x46,
    (byte) 0xf9,
    0x20,
    0x6a,
    (byte) 0xa8,
    0x50,
    0x19
  };

  private PthFile() {}

  /** Whether a file starts like a {@code torch.save} file (a zip, or the legacy pickle). */
  public static boolean isPth(Path file) throws IOException {
    byte[] head = head(file);
    return startsWith(head, 0, ZIP) || isLegacy(head);
  }

  /** Reads the state_dict's tensors, in file order; the metadata is empty. */
  public static Contents read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new WeightsFileException(file, "does not exist or is not a file", "check the path");
    }
    byte[] head = head(file);
    if (isLegacy(head)) {
      throw new WeightsFileException(
          file,
          "is in PyTorch's legacy format (torch.save before 1.6, or"
              + " _use_new_zipfile_serialization=False), which seg4j does not read",
          "load it in Python and save it again with torch.save(sd, path) using PyTorch >= 1.6 (keep"
              + " the default _use_new_zipfile_serialization=True)");
    }
    if (!startsWith(head, 0, ZIP)) {
      throw new WeightsFileException(
          file,
          "is not a zip archive, so not a .pth file written by torch.save",
          "check the path, or save it again with torch.save(model.state_dict(), path)");
    }
    try (ZipFile zip = new ZipFile(file.toFile())) {
      return new Contents(tensors(file, zip), new LinkedHashMap<>());
    } catch (WeightsFileException e) {
      throw e;
    } catch (IOException e) { // ZipException, or an entry ending early
      throw new WeightsFileException(
          file,
          "is not a complete zip archive (" + e.getMessage() + "; truncated or damaged?)",
          "copy the file again, or save it again with torch.save(model.state_dict(), path)");
    }
  }

  private static Map<String, Tensor> tensors(Path file, ZipFile zip) throws IOException {
    String folder = folder(file, zip);
    ByteOrder order = byteOrder(file, zip, folder);
    Map<?, ?> dict =
        stateDict(file, PickleReader.read(file, entry(file, zip, folder + "data.pkl")));
    Map<String, byte[]> storages = new HashMap<>();
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : dict.entrySet()) {
      if (e.getKey() instanceof String name && e.getValue() instanceof View v) {
        byte[] storage = storages.get(v.storage().key());
        if (storage == null) {
          storage = entry(file, zip, folder + "data/" + v.storage().key());
          storages.put(v.storage().key(), storage);
        }
        out.put(name, tensor(file, name, v, storage, order));
      }
    }
    if (!out.isEmpty() && out.keySet().stream().allMatch(k -> k.startsWith(MODULE))) {
      Map<String, Tensor> stripped = new LinkedHashMap<>();
      out.forEach((k, t) -> stripped.put(k.substring(MODULE.length()), t));
      return stripped;
    }
    return out;
  }

  /** The archive's folder with a trailing slash: the one holding {@code data.pkl}. */
  private static String folder(Path file, ZipFile zip) throws WeightsFileException {
    return zip.stream()
        .map(ZipEntry::getName)
        .filter(n -> n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - 9)
        .findFirst()
        .map(n -> n.substring(0, n.length() - 8))
        .orElseThrow(
            () ->
                new WeightsFileException(
                    file,
                    "is a zip archive without a FOLDER/data.pkl entry, so not a .pth file written"
                        + " by torch.save",
                    "check the path, or save it with torch.save(model.state_dict(), path)"));
  }

  private static ByteOrder byteOrder(Path file, ZipFile zip, String folder) throws IOException {
    if (zip.getEntry(folder + "byteorder") == null) {
      return ByteOrder.LITTLE_ENDIAN; // files from before PyTorch 1.10 have none: little-endian
    }
    String order = new String(entry(file, zip, folder + "byteorder"), StandardCharsets.US_ASCII);
    return switch (order.strip()) {
      case "little" -> ByteOrder.LITTLE_ENDIAN;
      case "big" -> ByteOrder.BIG_ENDIAN;
      default ->
          throw new WeightsFileException(
              file,
              "has the byteorder entry '" + order.strip() + "' (neither little nor big)",
              "copy the file again, or save it again with torch.save(model.state_dict(), path)");
    };
  }

  private static byte[] entry(Path file, ZipFile zip, String name) throws IOException {
    ZipEntry e = zip.getEntry(name);
    if (e == null) {
      throw new WeightsFileException(
          file,
          "lacks the zip entry " + name + " that its data.pkl refers to (damaged or cut down)",
          "copy the file again, or save it again with torch.save(model.state_dict(), path)");
    }
    if (e.getSize() > Integer.MAX_VALUE) {
      throw new WeightsFileException(
          file, "has a " + e.getSize() + "-byte entry " + name + ", more than 2 GiB", "split it");
    }
    try (InputStream in = zip.getInputStream(e)) {
      return in.readAllBytes();
    }
  }

  /** The top-level dict, or the first wrapper entry holding a dict with tensors. */
  private static Map<?, ?> stateDict(Path file, Object root) throws WeightsFileException {
    if (root instanceof Map<?, ?> top) {
      for (String key : WRAPPERS) {
        if (top.get(key) instanceof Map<?, ?> inner && holdsTensors(inner)) {
          return inner;
        }
      }
      if (holdsTensors(top)) {
        return top;
      }
    }
    String keys =
        root instanceof Map<?, ?> top
            ? "a dict with the keys "
                + String.join(", ", top.keySet().stream().limit(8).map(String::valueOf).toList())
            : "a " + (root == null ? "None" : root.getClass().getSimpleName());
    throw new WeightsFileException(
        file,
        "holds "
            + keys
            + ", but no tensors at its top level nor under "
            + String.join(", ", WRAPPERS),
        "save the state_dict itself with torch.save(model.state_dict(), path)");
  }

  private static boolean holdsTensors(Map<?, ?> m) {
    return m.values().stream().anyMatch(v -> v instanceof View);
  }

  /** The view's elements in row-major order, F16/BF16/F64 as F32. */
  private static Tensor tensor(Path file, String name, View v, byte[] storage, ByteOrder order)
      throws WeightsFileException {
    String dtype = v.storage().dtype();
    int es = Tensor.elementSize(dtype);
    long[] size = v.size();
    long[] stride = v.stride();
    long numel = 1;
    long last = v.offset();
    boolean valid = size.length == stride.length && v.offset() >= 0;
    try {
      for (int d = 0; valid && d < size.length; d++) {
        valid = size[d] >= 0 && stride[d] >= 0;
        numel = Math.multiplyExact(numel, size[d]);
        last = Math.addExact(last, Math.multiplyExact(size[d] - 1, stride[d]));
      }
    } catch (ArithmeticException e) {
      valid = false;
    }
    long available = storage.length / es;
    if (!valid || (numel > 0 && last >= available)) {
      throw new WeightsFileException(
          file,
          "tensor '"
              + name
              + "' reads elements up to "
              + last
              + " (offset "
              + v.offset()
              + ", size "
              + Arrays.toString(size)
              + ", stride "
              + Arrays.toString(stride)
              + ") of a storage of "
              + available
              + " elements (damaged or cut down)",
          "copy the file again, or save it again with torch.save(model.state_dict(), path)");
    }
    if (numel * es > Integer.MAX_VALUE) {
      throw new WeightsFileException(
          file, "tensor '" + name + "' holds more than 2 GiB", "split the weights");
    }
    byte[] data = new byte[(int) (numel * es)];
    long[] index = new long[size.length];
    long at = v.offset();
    boolean swap = order == ByteOrder.BIG_ENDIAN;
    for (int i = 0; i < numel; i++) {
      for (int b = 0; b < es; b++) {
        data[i * es + b] = storage[(int) (at * es) + (swap ? es - 1 - b : b)];
      }
      for (int d = size.length - 1; d >= 0; d--) {
        at += stride[d];
        if (++index[d] < size[d]) {
          break;
        }
        at -= stride[d] * size[d];
        index[d] = 0;
      }
    }
    Tensor t = new Tensor(dtype, size.clone(), data);
    return switch (dtype) {
      case "F16", "BF16", "F64" -> Tensor.ofFloats(t.shape(), t.toFloats());
      default -> t;
    };
  }

  private static byte[] head(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return new byte[0];
    }
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(2 + LEGACY.length);
    }
  }

  /** A pickle (PROTO n) whose first value is the legacy magic number. */
  private static boolean isLegacy(byte[] head) {
    return head.length > 0 && (head[0] & 0xff) == 0x80 && startsWith(head, 2, LEGACY);
  }

  private static boolean startsWith(byte[] head, int from, byte[] prefix) {
    return head.length >= from + prefix.length
        && Arrays.equals(head, from, from + prefix.length, prefix, 0, prefix.length);
  }
}
