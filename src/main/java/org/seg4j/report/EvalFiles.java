package org.seg4j.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.seg4j.io.AtomicFiles;
import org.seg4j.metric.ConfusionMatrix;
import org.seg4j.metric.MetricsTable;
import org.seg4j.metric.PerImageIoU;
import org.seg4j.metric.SegmentationMetrics;
import org.seg4j.train.RunFolder;

/**
 * The eval report's data files: {@code metrics.txt} (the printed table), {@code metrics.json}
 * (per-class and mean scores, pixel accuracy, the confusion counts; undefined scores are {@code
 * null}) and {@code per_image_iou.csv} (one row per image).
 */
public final class EvalFiles {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private EvalFiles() {}

  /** Writes the plain-text table with a header naming what was evaluated. */
  public static void table(Path file, EvalReport.Context ctx, String text) throws IOException {
    RunFolder.writeText(
        file,
        "run "
            + ctx.run()
            + ", checkpoint "
            + ctx.checkpoint()
            + ", split "
            + ctx.split()
            + ", "
            + ctx.dataset()
            + System.lineSeparator()
            + text);
  }

  /** The table as printed by the CLI: {@link MetricsTable} plus the mean per-image IoU. */
  public static String tableText(SegmentationMetrics m, double meanPerImage, int images) {
    return MetricsTable.format(m)
        + String.format(
            Locale.ROOT,
            "mean per-image IoU %s over %d images%n",
            Double.isNaN(meanPerImage) ? "-" : String.format(Locale.ROOT, "%.4f", meanPerImage),
            images);
  }

  /** Writes metrics.json. */
  public static void json(
      Path file,
      EvalReport.Context ctx,
      SegmentationMetrics m,
      ConfusionMatrix cm,
      double meanPerImage,
      int images)
      throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("run", ctx.run());
    root.put("checkpoint", ctx.checkpoint());
    root.put("split", ctx.split());
    root.put("dataset", ctx.dataset());
    root.put("inference", ctx.inference());
    root.put("images", images);
    root.put("ignore_index", cm.ignoreIndex());
    root.put("pixels", cm.total());
    put(root, "pixel_accuracy", m.pixelAccuracy());
    put(root, "mean_iou", m.meanIoU());
    put(root, "mean_recall", m.meanRecall());
    put(root, "mean_precision", m.meanPrecision());
    put(root, "mean_dice", m.meanDice());
    put(root, "mean_per_image_iou", meanPerImage);
    ArrayNode classes = root.putArray("classes");
    for (SegmentationMetrics.ClassRow r : m.rows()) {
      ObjectNode c = classes.addObject();
      c.put("index", r.index());
      c.put("name", r.name());
      put(c, "iou", r.iou());
      put(c, "recall", r.recall());
      put(c, "precision", r.precision());
      put(c, "dice", r.dice());
      c.put("true_pixels", r.truthPixels());
      c.put("pred_pixels", r.predPixels());
    }
    ArrayNode absent = root.putArray("absent_classes");
    for (int k : m.absentClasses()) {
      absent.add(m.classNames().get(k));
    }
    root.put("note", m.note());
    ArrayNode rows = root.putArray("confusion");
    for (long[] row : cm.counts()) {
      ArrayNode r = rows.addArray();
      for (long v : row) {
        r.add(v);
      }
    }
    byte[] bytes = JSON.writeValueAsBytes(root);
    AtomicFiles.write(file, out -> out.write(bytes));
  }

  private static void put(ObjectNode n, String key, double v) {
    if (Double.isNaN(v)) {
      n.putNull(key);
    } else {
      n.put(key, v);
    }
  }

  /** Writes per_image_iou.csv: {@code id,miou}, empty when every pixel was ignored. */
  public static void perImageCsv(Path file, List<PerImageIoU.Entry> entries) throws IOException {
    StringBuilder b = new StringBuilder("id,miou\n");
    for (PerImageIoU.Entry e : entries) {
      b.append(csvCell(e.id()))
          .append(',')
          .append(Double.isNaN(e.meanIoU()) ? "" : String.format(Locale.ROOT, "%.6f", e.meanIoU()))
          .append('\n');
    }
    RunFolder.writeText(file, b.toString());
  }

  private static String csvCell(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }
}
