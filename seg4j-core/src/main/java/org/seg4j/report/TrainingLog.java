package org.seg4j.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's {@code log.csv} read back as numeric columns by name (epoch, lr, train_loss, val_loss,
 * val_miou, iou_&lt;class&gt;, seconds), and its two report charts: the losses and the validation
 * IoUs per epoch.
 */
final class TrainingLog {
  private static final String IOU_PREFIX = "iou_";

  private final Map<String, double[]> columns;
  private final int rows;

  private TrainingLog(Map<String, double[]> columns, int rows) {
    this.columns = columns;
    this.rows = rows;
  }

  /**
   * Reads a log file; cells that are not numbers (e.g. an empty validation) become NaN.
   *
   * @throws IOException when it cannot be read or a row has the wrong number of cells
   */
  public static TrainingLog read(Path csv) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String l : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
      if (!l.isBlank()) {
        lines.add(l);
      }
    }
    if (lines.isEmpty()) {
      return new TrainingLog(new LinkedHashMap<>(), 0);
    }
    String[] header = lines.get(0).split(",", -1);
    int n = lines.size() - 1;
    double[][] values = new double[header.length][n];
    for (int r = 0; r < n; r++) {
      String[] cells = lines.get(r + 1).split(",", -1);
      if (cells.length != header.length) {
        throw new IOException(
            csv
                + " line "
                + (r + 2)
                + " has "
                + cells.length
                + " cells but the header has "
                + header.length
                + ": the file is damaged; retrain or fix the line");
      }
      for (int c = 0; c < header.length; c++) {
        values[c][r] = parse(cells[c]);
      }
    }
    Map<String, double[]> cols = new LinkedHashMap<>();
    for (int c = 0; c < header.length; c++) {
      cols.put(header[c].strip(), values[c]);
    }
    return new TrainingLog(cols, n);
  }

  private static double parse(String cell) {
    try {
      return Double.parseDouble(cell.strip());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** Number of epochs logged. */
  public int rows() {
    return rows;
  }

  /** A column by name, or null when the log has none. */
  public double[] column(String name) {
    double[] c = columns.get(name);
    return c == null ? null : c.clone();
  }

  /** The per-class IoU column names ({@code iou_<class>}), in log order. */
  public List<String> iouColumns() {
    List<String> out = new ArrayList<>();
    for (String k : columns.keySet()) {
      if (k.startsWith(IOU_PREFIX)) {
        out.add(k);
      }
    }
    return out;
  }

  /** Draws train and validation loss per epoch; null when the log has no losses. */
  public Path lossChart(Path png) throws IOException {
    return chart(png, "Training curves: loss", "loss", List.of("train_loss", "val_loss"), false);
  }

  /** Draws validation mIoU and per-class IoU per epoch; null when the log has none. */
  public Path iouChart(Path png) throws IOException {
    List<String> names = new ArrayList<>(List.of("val_miou"));
    names.addAll(iouColumns());
    return chart(png, "Training curves: validation IoU", "IoU", names, true);
  }

  private Path chart(Path png, String title, String yLabel, List<String> names, boolean dashRest)
      throws IOException {
    double[] epoch = columns.get("epoch");
    if (epoch == null || rows == 0) {
      return null;
    }
    List<Charts.Line> lines = new ArrayList<>();
    for (String name : names) {
      double[] y = columns.get(name);
      if (y != null && hasNumber(y)) {
        boolean perClass = name.startsWith(IOU_PREFIX);
        String label = perClass ? "IoU " + name.substring(IOU_PREFIX.length()) : name;
        lines.add(new Charts.Line(label, epoch, y, dashRest && perClass));
      }
    }
    return lines.isEmpty() ? null : Charts.lines(png, title, "epoch", yLabel, lines);
  }

  private static boolean hasNumber(double[] v) {
    for (double d : v) {
      if (!Double.isNaN(d)) {
        return true;
      }
    }
    return false;
  }
}
