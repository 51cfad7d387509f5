package org.seg4j.metric;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.seg4j.data.ClassNames;

/**
 * Standard segmentation scores from a {@link ConfusionMatrix}: per-class IoU, recall (per-class
 * pixel accuracy, "PA"), precision and Dice/F1, plus pixel accuracy, mIoU, mPA, mean precision and
 * mean Dice.
 *
 * <p>A per-class score whose denominator is 0 is NaN and left out of its mean. In particular a
 * class absent from both truth and prediction is NaN everywhere and excluded from all means (not
 * counted as 0 or 1); {@link #note()} lists those classes. A class predicted but absent from the
 * truth has IoU = precision = Dice = 0 and recall NaN.
 */
public final class SegmentationMetrics {
  private final List<String> classNames;
  private final long[] truthPixels;
  private final long[] predPixels;
  private final double[] iou;
  private final double[] recall;
  private final double[] precision;
  private final double[] dice;
  private final double pixelAccuracy;
  private final List<Integer> absent;

  private SegmentationMetrics(ConfusionMatrix cm, List<String> names) {
    int k = cm.numClasses();
    long[][] c = cm.counts();
    truthPixels = new long[k];
    predPixels = new long[k];
    long diagonal = 0;
    long total = 0;
    for (int t = 0; t < k; t++) {
      for (int p = 0; p < k; p++) {
        truthPixels[t] += c[t][p];
        predPixels[p] += c[t][p];
        total += c[t][p];
      }
      diagonal += c[t][t];
    }
    iou = new double[k];
    recall = new double[k];
    precision = new double[k];
    dice = new double[k];
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      double inter = c[i][i];
      long rows = truthPixels[i];
      long cols = predPixels[i];
      iou[i] = ratio(inter, rows + cols - inter);
      recall[i] = ratio(inter, rows);
      precision[i] = ratio(inter, cols);
      dice[i] = ratio(2 * inter, rows + cols);
      if (rows + cols == 0) {
        missing.add(i);
      }
    }
    pixelAccuracy = ratio(diagonal, total);
    absent = Collections.unmodifiableList(missing);
    classNames = names == null ? defaultNames(k) : List.copyOf(names);
    if (classNames.size() != k) {
      throw new IllegalArgumentException(
          "got " + classNames.size() + " class names for " + k + " classes");
    }
  }

  /** Scores for a confusion matrix; class names may be null (then "class0", "class1", ...). */
  public static SegmentationMetrics of(ConfusionMatrix cm, List<String> classNames) {
    return new SegmentationMetrics(cm, classNames);
  }

  private static List<String> defaultNames(int k) {
    return ClassNames.numbered(k).names();
  }

  private static double ratio(double num, double den) {
    return den == 0 ? Double.NaN : num / den;
  }

  /** Mean of the non-NaN entries, NaN when there are none. */
  static double nanMean(double[] values) {
    double sum = 0;
    int n = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** One class's scores, as the tables and reports show them. */
  public record ClassRow(
      int index,
      String name,
      double iou,
      double recall,
      double precision,
      double dice,
      long truthPixels,
      long predPixels) {}

  /** The per-class scores, one row per class in index order. */
  public List<ClassRow> rows() {
    List<ClassRow> out = new ArrayList<>();
    for (int k = 0; k < iou.length; k++) {
      out.add(
          new ClassRow(
              k,
              classNames.get(k),
              iou[k],
              recall[k],
              precision[k],
              dice[k],
              truthPixels[k],
              predPixels[k]));
    }
    return out;
  }

  /** Class names, one per class. */
  public List<String> classNames() {
    return classNames;
  }

  /** Per-class intersection over union. */
  public double[] iou() {
    return iou.clone();
  }

  /** Per-class recall, i.e. per-class pixel accuracy (PA). */
  public double[] recall() {
    return recall.clone();
  }

  /** Per-class precision. */
  public double[] precision() {
    return precision.clone();
  }

  /** Per-class Dice / F1. */
  public double[] dice() {
    return dice.clone();
  }

  /** Per-class number of true pixels. */
  public long[] truthPixels() {
    return truthPixels.clone();
  }

  /** Per-class number of predicted pixels. */
  public long[] predPixels() {
    return predPixels.clone();
  }

  /** Correct pixels over counted pixels. */
  public double pixelAccuracy() {
    return pixelAccuracy;
  }

  /** Mean IoU over the classes where it is defined. */
  public double meanIoU() {
    return nanMean(iou);
  }

  /** Mean per-class pixel accuracy (mPA, mean recall). */
  public double meanRecall() {
    return nanMean(recall);
  }

  /** Mean precision. */
  public double meanPrecision() {
    return nanMean(precision);
  }

  /** Mean Dice / F1. */
  public double meanDice() {
    return nanMean(dice);
  }

  /** Classes absent from both truth and prediction (excluded from every mean). */
  public List<Integer> absentClasses() {
    return absent;
  }

  /** A sentence on how the means treat missing classes, naming those left out. */
  public String note() {
    StringBuilder b =
        new StringBuilder(
            "Means are over classes where a score is defined; classes absent from both truth and"
                + " prediction are excluded, not counted as 0 or 1.");
    if (absent.isEmpty()) {
      b.append(" Every class occurs.");
    } else {
      b.append(" Excluded: ");
      for (int i = 0; i < absent.size(); i++) {
        b.append(i > 0 ? ", " : "").append(classNames.get(absent.get(i)));
      }
      b.append('.');
    }
    List<String> unseen = new ArrayList<>();
    for (int i = 0; i < truthPixels.length; i++) {
      if (truthPixels[i] == 0 && predPixels[i] > 0) {
        unseen.add(classNames.get(i));
      }
    }
    if (!unseen.isEmpty()) {
      b.append(" Predicted but never true (recall undefined, IoU 0): ")
          .append(String.join(", ", unseen))
          .append('.');
    }
    return b.toString();
  }
}
