package org.seg4j.metric;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Per-image IoU: for each image, every class's IoU (NaN where the class is absent from both its
 * truth and its prediction) and their mean over the classes present (absent ones are left out). An
 * image whose pixels are all ignored scores NaN and is left out of {@link #mean()}.
 */
public final class PerImageIoU {
  /**
   * One image's score.
   *
   * @param id image identifier (or its running index when none was given)
   * @param meanIoU mean IoU over the classes present in truth or prediction
   * @param classIoU IoU of each class in this image, NaN where the class is absent from both
   */
  public record Entry(String id, double meanIoU, double[] classIoU) {
    /** The IoU of class k in this image, NaN where it is absent from truth and prediction. */
    public double classIoU(int k) {
      return classIoU[k];
    }
  }

  private final int numClasses;
  private final int ignoreIndex;
  private final List<Entry> entries = new ArrayList<>();

  /**
   * @param numClasses number of classes K
   * @param ignoreIndex truth value whose pixels are not counted
   */
  public PerImageIoU(int numClasses, int ignoreIndex) {
    this.numClasses = numClasses;
    this.ignoreIndex = ignoreIndex;
  }

  /**
   * Scores every image of a batch.
   *
   * @param pred class indices (N,H,W) or logits (N,K,H,W)
   * @param target class indices (N,H,W)
   * @param ids one id per image, or null to number them
   */
  public void add(NDArray pred, NDArray target, List<String> ids) {
    long n = target.getShape().get(0);
    if (ids != null && ids.size() != n) {
      throw new IllegalArgumentException("got " + ids.size() + " ids for a batch of " + n);
    }
    for (int i = 0; i < n; i++) {
      ConfusionMatrix cm = new ConfusionMatrix(numClasses, ignoreIndex);
      try (NDArray p = pred.get(i).expandDims(0);
          NDArray t = target.get(i).expandDims(0)) {
        cm.add(p, t);
      }
      record(ids == null ? null : ids.get(i), cm);
    }
  }

  /** Scores one image given as flat class-index arrays. */
  public void add(String id, int[] pred, int[] target) {
    ConfusionMatrix cm = new ConfusionMatrix(numClasses, ignoreIndex);
    cm.add(pred, target);
    record(id, cm);
  }

  private synchronized void record(String id, ConfusionMatrix cm) {
    double[] iou = SegmentationMetrics.of(cm, null).iou();
    entries.add(
        new Entry(
            id == null ? Integer.toString(entries.size()) : id,
            SegmentationMetrics.nanMean(iou),
            iou));
  }

  /** The scores in the order the images were added. */
  public synchronized List<Entry> entries() {
    return Collections.unmodifiableList(new ArrayList<>(entries));
  }

  /** Mean of the per-image scores (NaN scores left out). */
  public synchronized double mean() {
    return SegmentationMetrics.nanMean(entries.stream().mapToDouble(Entry::meanIoU).toArray());
  }

  /**
   * Mean over the images of class k's per-image IoU, leaving out the images where k is absent from
   * both truth and prediction (NaN when it is absent from every image).
   */
  public synchronized double classMean(int k) {
    return SegmentationMetrics.nanMean(entries.stream().mapToDouble(e -> e.classIoU(k)).toArray());
  }

  /** Number of classes K. */
  public int numClasses() {
    return numClasses;
  }
}
