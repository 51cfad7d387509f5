package org.seg4j.io;

import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A restricted unpickler for the {@code data.pkl} of a {@code torch.save} zip: it builds plain Java
 * values from the opcodes a state_dict uses and runs nothing. Only the globals a state_dict needs
 * are known ({@code collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2}, {@code
 * torch._utils._rebuild_parameter} and the typed storages such as {@code torch.FloatStorage}); any
 * other global, and any opcode outside the list below, stops the read with one line naming the
 * file.
 *
 * <p>Values come out as {@link Map} (dicts, OrderedDicts; keys in file order), {@link List}, {@link
 * Tuple}, {@link String}, {@link Long} (or {@link BigInteger} past 64 bits), {@link Double}, {@link
 * Boolean}, {@code null}, and {@link View} for each tensor, whose {@link Storage} names the zip
 * entry holding its bytes.
 */
final class PickleReader {
  /** The fix for a file that holds more than tensors and dicts. */
  static final String RESAVE =
      "re-save the weights alone with torch.save(model.state_dict(), path)";

  private static final String ORDERED_DICT = "collections.OrderedDict";
  private static final String REBUILD_TENSOR = "torch._utils._rebuild_tensor_v2";
  private static final String REBUILD_PARAMETER = "torch._utils._rebuild_parameter";

  /** The storage types torch.save names, and the safetensors dtype of their elements. */
  private static final Map<String, String> STORAGES =
      Map.of(
          "torch.FloatStorage", "F32",
          "torch.HalfStorage", "F16",
          "torch.BFloat16Storage", "BF16",
          "torch.DoubleStorage", "F64",
          "torch.LongStorage", "I64",
          "torch.IntStorage", "I32",
          "torch.ShortStorage", "I16",
          "torch.CharStorage", "I8",
          "torch.ByteStorage", "U8",
          "torch.BoolStorage", "BOOL");

  /** A Python tuple. */
  record Tuple(List<Object> items) {}

  /** An allowed global (a callable or a storage type), {@code module.name}. */
  record Global(String name) {}

  /** A storage: its element dtype, the key of its zip entry {@code data/KEY}, its element count. */
  record Storage(String dtype, String key, long numel) {}

  /** A tensor: a view of a storage from an element offset, with sizes and strides in elements. */
  record View(Storage storage, long offset, long[] size, long[] stride) {}

  private static final Object MARK = new Object();

  private final Path file;
  private final ByteBuffer in;
  private final List<Object> stack = new ArrayList<>();
  private final List<Integer> marks = new ArrayList<>();
  private final Map<Long, Object> memo = new HashMap<>();

  private PickleReader(Path file, byte[] pickle) {
    this.file = file;
    this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Reads the pickle's one object; {@code file} is named in every message. */
  static Object read(Path file, byte[] pickle) throws WeightsFileException {
    try {
      return new PickleReader(file, pickle).run();
    } catch (BufferUnderflowException e) {
      throw damaged(file, "it ends before its STOP opcode");
    } catch (ClassCastException | IndexOutOfBoundsException e) {
      throw damaged(file, "its opcodes do not build a valid object");
    }
  }

  private static WeightsFileException damaged(Path file, String why) {
    return new WeightsFileException(
        file,
        "has a damaged data.pkl (" + why + ")",
        "copy the file again, or " + RESAVE.replace("re-save", "save"));
  }

  private Object run() throws WeightsFileException {
    while (true) {
      int op = in.get() & 0xff;
      switch (op) {
        case 0x80 -> in.get(); // PROTO: any protocol; the opcodes are what counts
        case 0x95 -> in.getLong(); // FRAME (protocol 4+): only a length hint
        case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
        case ']' -> push(new ArrayList<>()); // EMPTY_LIST
        case ')' -> push(new Tuple(List.of())); // EMPTY_TUPLE
        case '(' -> {
          marks.add(stack.size()); // MARK
          push(MARK);
        }
        case 'X' -> push(string(Integer.toUnsignedLong(in.getInt()))); // BINUNICODE
        case 0x8c -> push(string(in.get() & 0xff)); // SHORT_BINUNICODE
        case 0x8d -> push(string(in.getLong())); // BINUNICODE8
        case 'J' -> push((long) in.getInt()); // BININT
        case 'K' -> push((long) (in.get() & 0xff)); // BININT1
        case 'M' -> push((long) (in.getShort() & 0xffff)); // BININT2
        case 0x8a -> push(long1(in.get() & 0xff)); // LONG1
        case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // BINFLOAT
        case 0x88 -> push(Boolean.TRUE); // NEWTRUE
        case 0x89 -> push(Boolean.FALSE); // NEWFALSE
        case 'N' -> push(null); // NONE
        case 't' -> push(new Tuple(popMark())); // TUPLE
        case 0x85, 0x86, 0x87 -> push(new Tuple(popLast(op - 0x84))); // TUPLE1, TUPLE2, TUPLE3
        case 'l' -> push(new ArrayList<>(popMark())); // LIST
        case 'a' -> { // APPEND
          Object value = pop();
          list(peek()).add(value);
        }
        case 'e' -> { // APPENDS
          List<Object> items = popMark();
          list(peek()).addAll(items);
        }
        case 'd' -> { // DICT
          Map<Object, Object> d = new LinkedHashMap<>();
          putAll(d, popMark());
          push(d);
        }
        case 's' -> { // SETITEM
          Object value = pop();
          Object key = hashable(pop());
          dict(peek()).put(key, value);
        }
        case 'u' -> { // SETITEMS
          List<Object> items = popMark();
          putAll(dict(peek()), items);
        }
        case 'c' -> push(global(line() + "." + line())); // GLOBAL
        case 0x93 -> { // STACK_GLOBAL
          String name = (String) pop();
          push(global((String) pop() + "." + name));
        }
        case 'R' -> { // REDUCE
          Tuple args = (Tuple) pop();
          push(call((Global) pop(), args.items()));
        }
        case 'b' -> build(pop(), peek()); // BUILD
        case 'Q' -> push(storage(pop())); // BINPERSID
        case 'q' -> memo.put((long) (in.get() & 0xff), peek()); // BINPUT
        case 'r' -> memo.put(Integer.toUnsignedLong(in.getInt()), peek()); // LONG_BINPUT
        case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
        case 'h' -> push(memo(in.get() & 0xff)); // BINGET
        case 'j' -> push(memo(Integer.toUnsignedLong(in.getInt()))); // LONG_BINGET
        case '.' -> { // STOP
          return pop();
        }
        default ->
            throw new WeightsFileException(
                file,
                String.format(
                    Locale.ROOT,
                    "uses the pickle opcode 0x%02x (%s) at byte %d of its data.pkl, which seg4j does not"
                        + " read",
                    op,
                    otherOpcode(op),
                    in.position() - 1),
                RESAVE);
      }
    }
  }

  private void push(Object o) {
    stack.add(o);
  }

  private Object pop() {
    Object o = stack.remove(stack.size() - 1);
    if (o == MARK) {
      throw new IndexOutOfBoundsException("MARK popped as a value");
    }
    return o;
  }

  private Object peek() {
    return stack.get(stack.size() - 1);
  }

  /** The objects pushed since the last MARK, which is removed too. */
  private List<Object> popMark() {
    int at = marks.remove(marks.size() - 1);
    List<Object> top = stack.subList(at + 1, stack.size());
    List<Object> items = new ArrayList<>(top);
    stack.subList(at, stack.size()).clear();
    return items;
  }

  private List<Object> popLast(int n) {
    List<Object> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      items.add(0, pop());
    }
    return items;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return (List<Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static Map<Object, Object> dict(Object o) {
    return (Map<Object, Object>) o;
  }

  private static void putAll(Map<Object, Object> d, List<Object> keysAndValues) {
    if (keysAndValues.size() % 2 != 0) {
      throw new IndexOutOfBoundsException("a key without a value");
    }
    for (int i = 0; i < keysAndValues.size(); i += 2) {
      d.put(hashable(keysAndValues.get(i)), keysAndValues.get(i + 1));
    }
  }

  /**
   * A dict key as Python allows it: no list or dict, also inside tuples (one holding itself could
   * not be hashed).
   */
  private static Object hashable(Object key) {
    if (key instanceof List || key instanceof Map) {
      throw new ClassCastException("a list or dict as a dict key");
    }
    if (key instanceof Tuple t) {
      t.items().forEach(PickleReader::hashable);
    }
    return key;
  }

  private Object memo(long key) {
    if (!memo.containsKey(key)) {
      throw new IndexOutOfBoundsException("memo " + key + " was never stored");
    }
    return memo.get(key);
  }

  private String string(long length) {
    if (length > in.remaining()) {
      throw new BufferUnderflowException();
    }
    byte[] b = new byte[(int) length];
    in.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  /** A GLOBAL argument: bytes up to a newline. */
  private String line() {
    StringBuilder sb = new StringBuilder();
    for (byte b = in.get(); b != '\n'; b = in.get()) {
      sb.append((char) (b & 0xff));
    }
    return sb.toString();
  }

  /** A little-endian two's complement integer of n bytes. */
  private Object long1(int n) {
    byte[] b = new byte[n];
    in.get(b);
    byte[] bigEndian = new byte[n + 1];
    for (int i = 0; i < n; i++) {
      bigEndian[n - i] = b[i];
    }
    bigEndian[0] = n > 0 && b[n - 1] < 0 ? (byte) -1 : 0;
    BigInteger v = new BigInteger(bigEndian);
    return v.bitLength() < 64 ? (Object) v.longValue() : v;
  }

  /** The allow-list: anything else is refused before it is used. */
  private Global global(String name) throws WeightsFileException {
    if (name.equals(ORDERED_DICT)
        || name.equals(REBUILD_TENSOR)
        || name.equals(REBUILD_PARAMETER)
        || STORAGES.containsKey(name)) {
      return new Global(name);
    }
    throw new WeightsFileException(
        file,
        "holds the pickle global '"
            + name
            + "', which seg4j refuses (it reads only tensors, dicts and numbers, and never runs"
            + " code from a pickle)",
        RESAVE);
  }

  private Object call(Global f, List<Object> args) throws WeightsFileException {
    switch (f.name()) {
      case ORDERED_DICT:
        if (args.isEmpty()) {
          return new LinkedHashMap<>();
        }
        break;
      case REBUILD_TENSOR:
        if ((args.size() == 6 || args.size() == 7) && args.get(0) instanceof Storage s) {
          return new View(s, (Long) args.get(1), longs(args.get(2)), longs(args.get(3)));
        }
        break;
      case REBUILD_PARAMETER:
        if (args.size() == 3 && args.get(0) instanceof View v) {
          return v;
        }
        break;
      default:
        break;
    }
    throw unexpected(f.name());
  }

  private static long[] longs(Object tuple) {
    List<Object> items = ((Tuple) tuple).items();
    long[] out = new long[items.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (Long) items.get(i);
    }
    return out;
  }

  /** BUILD sets attributes of a dict (an OrderedDict's {@code _metadata}): they are dropped. */
  private void build(Object state, Object target) throws WeightsFileException {
    if (!(target instanceof Map)) {
      throw unexpected(
          "BUILD of a " + (target == null ? "None" : target.getClass().getSimpleName()));
    }
  }

  /** A persistent id {@code ('storage', storage_type, key, location, numel)}. */
  private Storage storage(Object pid) throws WeightsFileException {
    if (pid instanceof Tuple t
        && t.items().size() == 5
        && "storage".equals(t.items().get(0))
        && t.items().get(1) instanceof Global g
        && STORAGES.containsKey(g.name())
        && t.items().get(2) instanceof String key
        && t.items().get(4) instanceof Long numel) {
      return new Storage(STORAGES.get(g.name()), key, numel);
    }
    throw unexpected("a persistent id other than a storage");
  }

  private WeightsFileException unexpected(String what) {
    return new WeightsFileException(
        file,
        "has a data.pkl that uses "
            + what
            + " in a way torch.save does not write for a state_dict, so seg4j does not read it",
        RESAVE);
  }

  /** The name of an opcode this reader does not take. */
  private static String otherOpcode(int op) {
    return switch (op) {
      case '0' -> "POP";
      case '1' -> "POP_MARK";
      case '2' -> "DUP";
      case 'F' -> "FLOAT";
      case 'I' -> "INT";
      case 'L' -> "LONG";
      case 'P' -> "PERSID";
      case 'S' -> "STRING";
      case 'T' -> "BINSTRING";
      case 'U' -> "SHORT_BINSTRING";
      case 'V' -> "UNICODE";
      case 'g' -> "GET";
      case 'i' -> "INST";
      case 'o' -> "OBJ";
      case 'p' -> "PUT";
      case 'B' -> "BINBYTES";
      case 'C' -> "SHORT_BINBYTES";
      case 0x81 -> "NEWOBJ";
      case 0x82, 0x83, 0x84 -> "EXT" + (1 << (op - 0x82));
      case 0x8b -> "LONG4";
      case 0x8e -> "BINBYTES8";
      case 0x8f -> "EMPTY_SET";
      case 0x90 -> "ADDITEMS";
      case 0x91 -> "FROZENSET";
      case 0x92 -> "NEWOBJ_EX";
      case 0x96 -> "BYTEARRAY8";
      case 0x97 -> "NEXT_BUFFER";
      case 0x98 -> "READONLY_BUFFER";
      default -> "not a pickle opcode";
    };
  }
}
