package org.seg4j.infer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.seg4j.io.AtomicFiles;

/**
 * Per-class pixel counts and area fractions per image (bubbliiiing's count mode), kept in memory
 * and written as one CSV: a header {@code id,<class>_pixels,<class>_fraction,...}, one row per
 * image (counts sum to width × height, fractions to 1), and a last row {@code TOTAL} over all
 * images.
 */
public final class PixelCounts {
  /** The id of the CSV's last row, summed over all images. */
  public static final String TOTAL = "TOTAL";

  private final List<String> names;
  private final List<String> rows = new ArrayList<>();
  private final long[] total;

  /** Counts for these classes (index = class). */
  public PixelCounts(List<String> classNames) {
    this.names = List.copyOf(classNames);
    this.total = new long[names.size()];
  }

  /** Adds an image's row; returns its counts. */
  public long[] add(String id, PredictionMaps p) {
    return add(id, Outputs.pixelCounts(p.mask(), names.size()));
  }

  /** Adds an image's row from its pixels per class; returns them. */
  public long[] add(String id, long[] c) {
    for (int k = 0; k < c.length; k++) {
      total[k] += c[k];
    }
    rows.add(row(id, c));
    return c;
  }

  /** Images counted so far. */
  public int images() {
    return rows.size();
  }

  /** Pixels per class over all images so far. */
  public long[] total() {
    return total.clone();
  }

  private static String row(String id, long[] c) {
    long n = 0;
    for (long v : c) {
      n += v;
    }
    StringBuilder sb = new StringBuilder(csv(id));
    for (long v : c) {
      sb.append(',').append(v).append(',');
      sb.append(String.format(Locale.ROOT, "%.6f", n == 0 ? 0.0 : (double) v / n));
    }
    return sb.toString();
  }

  private static String csv(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  /** The CSV text: header, one row per image, then the TOTAL row. */
  public String toCsv() {
    StringBuilder sb = new StringBuilder("id");
    for (String n : names) {
      String c = n.replace(',', '_').replace('"', '_');
      sb.append(',').append(c).append("_pixels,").append(c).append("_fraction");
    }
    sb.append('\n');
    for (String r : rows) {
      sb.append(r).append('\n');
    }
    sb.append(row(TOTAL, total)).append('\n');
    return sb.toString();
  }

  /** Writes the CSV atomically. */
  public void write(Path file) throws IOException {
    byte[] bytes = toCsv().getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(file, out -> out.write(bytes));
  }

  /** A short table of the totals: class, pixels, fraction of all pixels. */
  public String summary() {
    long n = 0;
    for (long v : total) {
      n += v;
    }
    int w = 5;
    for (String s : names) {
      w = Math.max(w, s.length());
    }
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(Locale.ROOT, "  %-" + w + "s %14s %9s%n", "class", "pixels", "fraction"));
    for (int k = 0; k < names.size(); k++) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  %-" + w + "s %14d %9.4f%n",
              names.get(k),
              total[k],
              n == 0 ? 0.0 : (double) total[k] / n));
    }
    return sb.toString();
  }
}
