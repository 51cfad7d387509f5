package org.seg4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.seg4j.io.PickleReader.Tuple;

/** PickleReader on hand-written pickles: the values it builds and what it refuses. */
class PickleReaderTest {
  private static final Path FILE = Path.of("w.pth");

  /** Pickle bytes from strings (chars 0-255 as bytes) and integers (one byte each). */
  private static byte[] bytes(Object... parts) {
    StringBuilder sb = new StringBuilder();
    for (Object p : parts) {
      sb.append(p instanceof Integer i ? String.valueOf((char) i.intValue()) : (String) p);
    }
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  @SuppressWarnings("unchecked")
  void buildsDictsListsTuplesAndNumbers() throws Exception {
    // protocol 4 with FRAME and MEMOIZE: {'a': [1, -2, 2**70, 0.5], 'b': (True, None), 'c': <a>}
    byte[] p =
        bytes(
            0x80,
            4,
            0x95,
            "\0\0\0\0\0\0\0\0",
            "}",
            0x94,
            "(",
            0x8c,
            1,
            "a",
            0x94,
            "]",
            0x94,
            "(",
            "K",
            1,
            "J",
            "\u00fe\u00ff\u00ff\u00ff",
            0x8a,
            9,
            "\0\0\0\0\0\0\0\0\u0040",
            "G?\u00e0\0\0\0\0\0\0",
            "e",
            0x8c,
            1,
            "b",
            0x88,
            "N",
            0x86,
            0x8c,
            1,
            "c",
            "h",
            2,
            "u",
            ".");
    Map<Object, Object> m = (Map<Object, Object>) PickleReader.read(FILE, p);
    assertThat(m.keySet()).containsExactly("a", "b", "c");
    assertThat((List<Object>) m.get("a")).containsExactly(1L, -2L, BigInteger.TWO.pow(70), 0.5);
    assertThat(((Tuple) m.get("b")).items()).containsExactly(true, null);
    assertThat(m.get("c")).isSameAs(m.get("a"));
  }

  @Test
  void refusesGlobalsOutsideTheAllowListAlsoOnTheStack() {
    // protocol 4: STACK_GLOBAL 'builtins' 'eval'
    byte[] p = bytes(0x80, 4, 0x8c, 8, "builtins", 0x8c, 4, "eval", 0x93, ".");
    assertThatThrownBy(() -> PickleReader.read(FILE, p))
        .hasMessage(
            "w.pth holds the pickle global 'builtins.eval', which seg4j refuses (it reads only"
                + " tensors, dicts and numbers, and never runs code from a pickle): re-save the"
                + " weights alone with torch.save(model.state_dict(), path)");
  }

  @Test
  void namesAnOpcodeItDoesNotRead() {
    byte[] p = bytes(0x80, 2, "I42\n", ".");
    assertThatThrownBy(() -> PickleReader.read(FILE, p))
        .hasMessageStartingWith(
            "w.pth uses the pickle opcode 0x49 (INT) at byte 2 of its data.pkl, which seg4j does"
                + " not read");
  }

  @Test
  void namesADamagedPickle() {
    byte[] whole = bytes(0x80, 2, "}", "q", 0, ".");
    assertThatThrownBy(() -> PickleReader.read(FILE, Arrays.copyOf(whole, 4)))
        .hasMessageStartingWith("w.pth has a damaged data.pkl (it ends before its STOP opcode)");
    assertThatThrownBy(() -> PickleReader.read(FILE, bytes(0x80, 2, "s", ".")))
        .hasMessageStartingWith("w.pth has a damaged data.pkl (its opcodes do not build");
    // a list that holds itself, as a dict key: {L: 1} with L = [L]
    byte[] cyclic = bytes(0x80, 2, "}", "]", "q", 0, "h", 0, "a", "K", 1, "s", ".");
    assertThatThrownBy(() -> PickleReader.read(FILE, cyclic))
        .hasMessageStartingWith("w.pth has a damaged data.pkl (its opcodes do not build");
  }

  @Test
  void anAllowedGlobalUsedOddlyIsRefused() {
    // collections.OrderedDict called with an argument
    byte[] p = bytes(0x80, 2, "ccollections\nOrderedDict\n", "K", 1, 0x85, "R", ".");
    assertThatThrownBy(() -> PickleReader.read(FILE, p))
        .hasMessageStartingWith(
            "w.pth has a data.pkl that uses collections.OrderedDict in a way torch.save does not"
                + " write");
  }
}
