package org.seg4j.report;

import org.seg4j.metric.SegmentationMetrics;

/**
 * The accuracy and speed of one U-Net++ prune level over an evaluation set (seed 000's reason to
 * prune: a shallower head is faster; how much accuracy does it cost?).
 *
 * @param level the prune level, 1..4 (4 is the full network)
 * @param metrics scores over the whole set at this level
 * @param meanPerImageIoU mean per-image IoU at this level
 * @param images number of images predicted
 * @param seconds time spent predicting them (model and input resize; decoding files excluded)
 */
public record LevelScore(
    int level, SegmentationMetrics metrics, double meanPerImageIoU, int images, double seconds) {
  /** Images predicted per second. */
  public double imagesPerSecond() {
    return seconds > 0 ? images / seconds : Double.NaN;
  }

  /** Milliseconds per image. */
  public double msPerImage() {
    return images > 0 ? 1000 * seconds / images : Double.NaN;
  }
}
