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
import org.seg4j.run.RunFolder;

/**
 * The eval report's data files: {@code metrics.txt} (the printed table, and the prune-level table
 * when levels were compared), {@code metrics.json} (per-class and mean scores, pixel accuracy, the
 * confusion counts, the panels' ranking and the prune levels; undefined scores are {@code null})
 * and {@code per_image_iou.csv} (one row per image: its mIoU and one column per class).
 */
final class EvalFiles {
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

  /**
   * The prune-level table: one row per level with its mIoU, pixel accuracy, mean per-image IoU,
   * per-class IoU and speed; empty text when there are no levels.
   */
  public static String levelsText(List<LevelScore> levels, List<String> classNames) {
    if (levels.isEmpty()) {
      return "";
    }
    int nameWidth = 8;
    for (String n : classNames) {
      nameWidth = Math.max(nameWidth, n.length());
    }
    StringBuilder b =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "U-Net++ prune levels, %d images each (img/s: prediction only, files not"
                    + " counted):%n",
                levels.get(0).images()));
    b.append(
        String.format(Locale.ROOT, "%-5s %8s %9s %13s", "level", "mIoU", "pixel acc", "img IoU"));
    for (String n : classNames) {
      b.append(String.format(Locale.ROOT, " %" + nameWidth + "s", n));
    }
    b.append(String.format(Locale.ROOT, " %8s %8s%n", "img/s", "ms/img"));
    for (LevelScore l : levels) {
      b.append(
          String.format(
              Locale.ROOT,
              "%-5d %8s %9s %13s",
              l.level(),
              num(l.metrics().meanIoU()),
              num(l.metrics().pixelAccuracy()),
              num(l.meanPerImageIoU())));
      for (double v : l.metrics().iou()) {
        b.append(String.format(Locale.ROOT, " %" + nameWidth + "s", num(v)));
      }
      b.append(String.format(Locale.ROOT, " %8.2f %8.1f%n", l.imagesPerSecond(), l.msPerImage()));
    }
    return b.toString();
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }

  /**
   * Writes metrics.json.
   *
   * @param file the file
   * @param ctx what was evaluated
   * @param m the scores over the whole set
   * @param cm the confusion matrix
   * @param perImage the per-image scores
   * @param ranking how the panels were chosen
   * @param levels the prune levels compared (empty when none)
   * @param notes remarks on the run (skipped images, input resize)
   */
  public static void json(
      Path file,
      EvalReport.Context ctx,
      SegmentationMetrics m,
      ConfusionMatrix cm,
      PerImageIoU perImage,
      Ranking ranking,
      List<LevelScore> levels,
      List<String> notes)
      throws IOException {
    double meanPerImage = perImage.mean();
    List<PerImageIoU.Entry> entries = perImage.entries();
    int images = entries.size();
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
      put(c, "mean_per_image_iou", perImage.classMean(r.index()));
    }
    ArrayNode absent = root.putArray("absent_classes");
    for (int k : m.absentClasses()) {
      absent.add(m.classNames().get(k));
    }
    root.put("note", m.note());
    ObjectNode rank = root.putObject("ranking");
    rank.put("by", ranking.by());
    if (ranking.classIndex() == Ranking.MEAN) {
      rank.putNull("class");
    } else {
      rank.put("class", m.classNames().get(ranking.classIndex()));
    }
    rank.put("ranked", ranking.ranked().size());
    rank.put("unranked", ranking.unranked());
    ArrayNode best = rank.putArray("best");
    ranking.best().forEach(i -> best.add(entries.get(i).id()));
    ArrayNode worst = rank.putArray("worst");
    ranking.worst().forEach(i -> worst.add(entries.get(i).id()));
    ArrayNode lv = root.putArray("prune_levels");
    for (LevelScore l : levels) {
      ObjectNode o = lv.addObject();
      o.put("level", l.level());
      put(o, "mean_iou", l.metrics().meanIoU());
      put(o, "pixel_accuracy", l.metrics().pixelAccuracy());
      put(o, "mean_per_image_iou", l.meanPerImageIoU());
      ArrayNode iou = o.putArray("class_iou");
      for (double v : l.metrics().iou()) {
        if (Double.isNaN(v)) {
          iou.addNull();
        } else {
          iou.add(v);
        }
      }
      o.put("images", l.images());
      o.put("seconds", l.seconds());
      put(o, "images_per_second", l.imagesPerSecond());
    }
    ArrayNode ns = root.putArray("notes");
    notes.forEach(ns::add);
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

  /**
   * Writes per_image_iou.csv: {@code id,miou} and one column per class, headed by the class names;
   * a cell is empty where the score is undefined (the class absent from both truth and prediction,
   * or for miou every pixel ignored).
   */
  public static void perImageCsv(
      Path file, List<PerImageIoU.Entry> entries, List<String> classNames) throws IOException {
    StringBuilder b = new StringBuilder("id,miou");
    for (String n : classNames) {
      b.append(',').append(csvCell(n));
    }
    b.append('\n');
    for (PerImageIoU.Entry e : entries) {
      b.append(csvCell(e.id())).append(',').append(cell(e.meanIoU()));
      for (double v : e.classIoU()) {
        b.append(',').append(cell(v));
      }
      b.append('\n');
    }
    RunFolder.writeText(file, b.toString());
  }

  private static String cell(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
  }

  private static String csvCell(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }
}
