package org.seg4j.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.seg4j.io.AtomicFiles;

/** Id ordering and VOC-style id list files (one id per line). */
public final class Ids {
  /** Natural order: all-digit ids by number, then others by text. */
  public static final Comparator<String> ORDER =
      (a, b) -> {
        boolean na = isNumber(a);
        boolean nb = isNumber(b);
        if (na && nb) {
          int c = new java.math.BigInteger(a).compareTo(new java.math.BigInteger(b));
          return c != 0 ? c : a.compareTo(b);
        }
        if (na != nb) {
          return na ? -1 : 1;
        }
        return a.compareTo(b);
      };

  private Ids() {}

  private static boolean isNumber(String s) {
    return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
  }

  /**
   * Reads a list file: the first token of each non-blank line not starting with {@code #}.
   *
   * @throws DatasetException naming the file when it cannot be read
   */
  public static List<String> readList(Path file) {
    List<String> lines =
        readLines(
            file,
            "as a list file",
            "check the split name or the list file's path; `seg4j split` writes these lists");
    List<String> ids = new ArrayList<>();
    for (String line : lines) {
      String s = line.strip();
      if (!s.isEmpty() && !s.startsWith("#")) {
        ids.add(s.split("\\s+")[0]);
      }
    }
    return ids;
  }

  /** Writes a list file, one id per line. */
  public static void writeList(Path file, List<String> ids) throws IOException {
    AtomicFiles.writeLines(file, ids);
  }

  /** Reads a text file's lines, failing with the file named and {@code fix} on any I/O error. */
  static List<String> readLines(Path file, String as, String fix) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
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
