package org.seg4j.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.seg4j.metric.PerImageIoU;

/**
 * Which images the best and worst panels show: the images ranked by one class's per-image IoU (or
 * by the per-image mIoU), best first. An image where the chosen class is absent from both truth and
 * prediction has no score for it and is not ranked, so empty tiles of a binary set do not fill both
 * panels with IoU 1.0. The best panel takes the top of the ranking and the worst panel the bottom,
 * at most {@code rows} each and never the same image twice: with fewer than {@code 2 * rows} ranked
 * images the best panel takes the better half (the middle image, if any) and the worst panel the
 * rest.
 *
 * @param classIndex the class ranked by, or {@link #MEAN} for the per-image mIoU
 * @param by what the ranking is by, in words (e.g. {@code disc IoU} or {@code mIoU})
 * @param ranked dataset indices of the ranked images, best first (ties in dataset order)
 * @param unranked number of images left out (class absent from truth and prediction)
 * @param best the best panel's indices, best first
 * @param worst the worst panel's indices, worst first
 */
public record Ranking(
    int classIndex,
    String by,
    List<Integer> ranked,
    int unranked,
    List<Integer> best,
    List<Integer> worst) {
  /** Rank by the per-image mIoU instead of one class. */
  public static final int MEAN = -1;

  /** The default: the foreground of a binary set (2 classes), the per-image mIoU otherwise. */
  public static int defaultClass(int classes) {
    return classes == 2 ? 1 : MEAN;
  }

  /**
   * Ranks the images.
   *
   * @param entries per-image scores in dataset order
   * @param classIndex the class to rank by, or {@link #MEAN}
   * @param classNames one name per class
   * @param rows the most rows a panel shows
   */
  public static Ranking of(
      List<PerImageIoU.Entry> entries, int classIndex, List<String> classNames, int rows) {
    if (classIndex != MEAN && (classIndex < 0 || classIndex >= classNames.size())) {
      throw new IllegalArgumentException(
          "rank class " + classIndex + " is out of range 0.." + (classNames.size() - 1));
    }
    String by = classIndex == MEAN ? "mIoU" : classNames.get(classIndex) + " IoU";
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      if (!Double.isNaN(score(entries.get(i), classIndex))) {
        idx.add(i);
      }
    }
    idx.sort(
        Comparator.comparingDouble((Integer i) -> -score(entries.get(i), classIndex))
            .thenComparing(i -> i));
    int n = idx.size();
    int nBest = Math.min(rows, (n + 1) / 2);
    int nWorst = Math.min(rows, n / 2);
    List<Integer> worst = new ArrayList<>(idx.subList(n - nWorst, n));
    Collections.reverse(worst);
    return new Ranking(
        classIndex,
        by,
        List.copyOf(idx),
        entries.size() - n,
        List.copyOf(idx.subList(0, nBest)),
        List.copyOf(worst));
  }

  /** An image's score under a ranking by {@code classIndex}: NaN when it is not ranked. */
  public static double score(PerImageIoU.Entry e, int classIndex) {
    return classIndex == MEAN ? e.meanIoU() : e.classIoU(classIndex);
  }

  /** This ranking's score of an image. */
  public double score(PerImageIoU.Entry e) {
    return score(e, classIndex);
  }

  /**
   * The class a {@code --rank-class} value names: a class name (exact, else ignoring case), an
   * index, or {@code miou} for the per-image mIoU.
   *
   * @throws IllegalArgumentException naming the value and the valid ones
   */
  public static int parse(String value, List<String> classNames) {
    String v = value.trim();
    if (v.equalsIgnoreCase("miou") || v.equalsIgnoreCase("mean")) {
      return MEAN;
    }
    int exact = classNames.indexOf(v);
    if (exact >= 0) {
      return exact;
    }
    for (int k = 0; k < classNames.size(); k++) {
      if (classNames.get(k).equalsIgnoreCase(v)) {
        return k;
      }
    }
    if (v.matches("\\d+")) {
      int k = Integer.parseInt(v);
      if (k < classNames.size()) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "rank_class="
            + value
            + " is not a class here: give a class name ("
            + String.join(", ", classNames)
            + "), an index 0.."
            + (classNames.size() - 1)
            + " or miou");
  }

  /** A sentence on what was ranked, e.g. "Ranked by disc IoU: 5 of 6 images; 1 without ...". */
  public String describe() {
    int total = ranked.size() + unranked;
    StringBuilder b =
        new StringBuilder(
            String.format(Locale.ROOT, "Ranked by %s: %d of %d images", by, ranked.size(), total));
    if (unranked > 0) {
      b.append(
          String.format(
              Locale.ROOT,
              "; %d %s not ranked (%s)",
              unranked,
              unranked == 1 ? "image was" : "images were",
              classIndex == MEAN
                  ? "every pixel ignored"
                  : by.replaceFirst(" IoU$", "") + " absent from truth and prediction"));
    }
    b.append(
        String.format(
            Locale.ROOT, ". Best panel %d, worst panel %d images.", best.size(), worst.size()));
    return b.toString();
  }
}
