package org.seg4j.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a run's {@code log.csv} (a header starting {@code epoch,} and one row per finished epoch)
 * and checks it, so that a damaged log fails a resume with one line naming the file, the line and
 * the fix instead of a parse error deep in the trainer.
 */
final class LogCsv {
  private LogCsv() {}

  /** The header (null when the file is missing or empty) and the rows, blank lines left out. */
  record Contents(String header, List<String> rows) {}

  /** Reads and checks {@code file}; a missing file is an empty log. */
  static Contents read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return new Contents(null, List.of());
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
              .toString();
    } catch (CharacterCodingException e) {
      throw damaged(file, "is not text (it holds bytes that are not UTF-8)");
    }
    String header = null;
    int columns = 0;
    List<String> rows = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank()) {
        continue;
      }
      if (header == null) {
        if (!line.startsWith("epoch,")) {
          throw damaged(file, "line " + (i + 1) + " " + quote(line) + " is not its header");
        }
        header = line;
        columns = line.split(",", -1).length;
        continue;
      }
      int cells = line.split(",", -1).length;
      if (cells != columns || epochOrZero(line) <= 0) {
        throw damaged(
            file,
            "line "
                + (i + 1)
                + " "
                + quote(line)
                + " is not an epoch row ("
                + (cells != columns
                    ? cells + " cells under a header of " + columns
                    : "it does not start with an epoch number")
                + ")");
      }
      rows.add(line);
    }
    return new Contents(header, rows);
  }

  /** The epoch number of a row read by {@link #read}. */
  static int epoch(String row) {
    return Integer.parseInt(row.substring(0, row.indexOf(',')));
  }

  /** Epoch numbers as ranges: "2, 4-6". */
  static String ranges(List<Integer> sorted) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < sorted.size(); i++) {
      int from = sorted.get(i);
      int to = from;
      while (i + 1 < sorted.size() && sorted.get(i + 1) == to + 1) {
        to = sorted.get(++i);
      }
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(from);
      if (to != from) {
        sb.append('-').append(to);
      }
    }
    return sb.toString();
  }

  private static int epochOrZero(String line) {
    int comma = line.indexOf(',');
    try {
      return comma < 0 ? 0 : Integer.parseInt(line.substring(0, comma));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String quote(String line) {
    String s = line.length() > 40 ? line.substring(0, 40) + "..." : line;
    return "'" + s.replaceAll("\\p{Cntrl}", "?") + "'";
  }

  private static IOException damaged(Path file, String what) {
    return new IOException(
        file
            + " "
            + what
            + ": the log is damaged; mend it, or move it away (the resumed run then starts a new"
            + " log.csv with the epochs it trains), and resume again");
  }
}
