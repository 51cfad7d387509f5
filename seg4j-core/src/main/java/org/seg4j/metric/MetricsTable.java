package org.seg4j.metric;

import java.util.Locale;
import org.seg4j.data.ClassNames;

/** Formats {@link SegmentationMetrics} as a plain-text table for the CLI. */
public final class MetricsTable {
  private MetricsTable() {}

  /** One row per class, a row of means, pixel accuracy, and the note on excluded classes. */
  public static String format(SegmentationMetrics m) {
    int nameWidth = "class".length();
    for (int i = 0; i < m.classNames().size(); i++) {
      nameWidth = Math.max(nameWidth, label(m, i).length());
    }
    nameWidth = Math.max(nameWidth, "mean".length());
    String head = "%-" + nameWidth + "s %8s %8s %9s %8s %12s %12s%n";
    String row = "%-" + nameWidth + "s %8s %8s %9s %8s %12d %12d%n";
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT, head, "class", "IoU", "PA", "precision", "Dice", "true px", "pred px"));
    for (SegmentationMetrics.ClassRow r : m.rows()) {
      b.append(
          String.format(
              Locale.ROOT,
              row,
              label(m, r.index()),
              num(r.iou()),
              num(r.recall()),
              num(r.precision()),
              num(r.dice()),
              r.truthPixels(),
              r.predPixels()));
    }
    b.append(
        String.format(
            Locale.ROOT,
            head,
            "mean",
            num(m.meanIoU()),
            num(m.meanRecall()),
            num(m.meanPrecision()),
            num(m.meanDice()),
            "",
            ""));
    b.append(String.format(Locale.ROOT, "pixel accuracy %s%n", num(m.pixelAccuracy())));
    b.append(m.note()).append(System.lineSeparator());
    return b.toString();
  }

  private static String label(SegmentationMetrics m, int i) {
    String name = m.classNames().get(i);
    return name.equals(ClassNames.numberedName(i)) ? name : i + " " + name;
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }
}
