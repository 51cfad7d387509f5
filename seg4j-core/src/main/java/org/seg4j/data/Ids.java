package org.seg4j.data;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.seg4j.io.AtomicFiles;

/** Id ordering and VOC-style id list files (one id per line). */
public final class Ids {
  /** Natural order: all-digit ids by number, then others by text. */
  public static final Comparator<String> ORDER =
      (a, b) -> {
        boolean na = isNumber(a);
        boolean nb = isNumber(b);
        if (na && nb) {
          int c = new BigInteger(a).compareTo(new BigInteger(b));
          return c != 0 ? c : a.compareTo(b);
        }
        if (na != nb) {
          return na ? -1 : 1;
        }
        return a.compareTo(b);
      };

  private Ids() {}

  static boolean isNumber(String s) {
    return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
  }

  /**
   * Reads a list file: the first token of each non-blank line not starting with {@code #}. A UTF-8
   * byte order mark is dropped. Ids are names, not paths: an id holding a path separator, {@code
   * ..} or a drive/absolute prefix is refused, and so is an id listed twice, naming the file and
   * the line(s).
   *
   * @throws DatasetException naming the file (and line) when it cannot be read or holds a bad id
   */
  public static List<String> readList(Path file) {
    List<String> lines =
        readLines(
            file,
            "as a list file",
            "check the split name or the list file's path; `seg4j split` writes these lists");
    List<String> ids = new ArrayList<>();
    Map<String, Integer> firstLine = new HashMap<>();
    for (int n = 0; n < lines.size(); n++) {
      String s = lines.get(n).strip();
      if (!s.isEmpty() && !s.startsWith("#")) {
        String id = s.split("\\s+")[0];
        checkName(file, n + 1, id);
        Integer before = firstLine.putIfAbsent(id, n + 1);
        if (before != null) {
          throw new DatasetException(
              new Problem(
                  ProblemKind.CONFIG,
                  file,
                  "lists id '" + id + "' twice, on lines " + before + " and " + (n + 1),
                  "remove the second line (each id may be listed once)"));
        }
        ids.add(id);
      }
    }
    return ids;
  }

  /**
   * Refuses an id that is not a plain name: one holding / or \\, one that is . or .., or one with a
   * drive prefix, all of which would reach files outside the dataset's folders.
   */
  private static void checkName(Path file, int line, String id) {
    boolean path =
        id.contains("/")
            || id.contains("\\")
            || id.equals(".")
            || id.equals("..")
            || id.matches("[A-Za-z]:.*");
    if (path) {
      throw new DatasetException(
          new Problem(
              ProblemKind.CONFIG,
              file,
              "line " + line + " holds id '" + id + "', which is a path, not a name",
              "list ids as file names without folders (e.g. img_001 for images/img_001.png)"));
    }
  }

  /** Writes a list file, one id per line. */
  public static void writeList(Path file, List<String> ids) throws IOException {
    AtomicFiles.writeLines(file, ids);
  }

  /** Reads a text file's lines, failing with the file named and {@code fix} on any I/O error. */
  static List<String> readLines(Path file, String as, String fix) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
        lines.set(0, lines.get(0).substring(1)); // a byte order mark, as some editors write
      }
      return lines;
    } catch (IOException e) {
      throw new DatasetException(
          new Problem(
              ProblemKind.CONFIG,
              file,
              "cannot be read" + (as.isEmpty() ? "" : " " + as) + " (" + e.getMessage() + ")",
              fix));
    }
  }
}
