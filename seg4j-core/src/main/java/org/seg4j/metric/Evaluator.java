package org.seg4j.metric;

import java.io.IOException;
import java.util.List;
import java.util.function.IntConsumer;
import org.seg4j.data.Sample;
import org.seg4j.data.SegmentationDataset;

/**
 * Scores predictions against their truth, image by image, for training's validation and for {@code
 * seg4j eval}: one confusion matrix over the set, the per-image IoU, and the mean cross-entropy of
 * the predicted probabilities over the non-ignored pixels (the validation loss) when they are
 * given. {@link #score} predicts every image of a dataset once and adds it.
 */
public final class Evaluator {
  /** Where the predicted masks come from: a model, or masks saved earlier. */
  @FunctionalInterface
  public interface MaskSource {
    /**
     * The predicted class per pixel of image {@code index}, at the sample's own size.
     *
     * @param index the image's index in the dataset
     * @param sample the decoded image and its truth
     */
    int[] predict(int index, Sample sample) throws IOException;
  }

  private final ConfusionMatrix confusion;
  private final PerImageIoU perImage;
  private double nll;
  private long lossPixels;
  private int images;
  private long nanos;

  /**
   * @param classes number of classes K
   * @param ignoreIndex truth value whose pixels are not counted
   */
  public Evaluator(int classes, int ignoreIndex) {
    this.confusion = new ConfusionMatrix(classes, ignoreIndex);
    this.perImage = new PerImageIoU(classes, ignoreIndex);
  }

  /**
   * Predicts every image of {@code dataset} once with {@code source} and scores it; the time spent
   * in {@link MaskSource#predict} is {@link #seconds()}.
   *
   * @param source the predictions
   * @param dataset labelled images
   * @param classes the class count K
   * @param ignoreIndex truth value not scored
   * @param split the split's name, for the error on an empty dataset
   * @param root the dataset's folder, for the same error
   * @param progress called with the number of images done after each image
   */
  public static Evaluator score(
      MaskSource source,
      SegmentationDataset dataset,
      int classes,
      int ignoreIndex,
      String split,
      String root,
      IntConsumer progress)
      throws IOException {
    if (dataset.size() == 0) {
      throw new IllegalArgumentException(
          "the " + split + " split of " + root + " has no images to evaluate");
    }
    Evaluator e = new Evaluator(classes, ignoreIndex);
    for (int i = 0; i < dataset.size(); i++) {
      Sample s = labelled(dataset, i);
      long t0 = System.nanoTime();
      int[] p = source.predict(i, s);
      e.nanos += System.nanoTime() - t0;
      e.add(dataset.id(i), p, s.mask());
      progress.accept(i + 1);
    }
    return e;
  }

  /** Image {@code i} of {@code dataset}, refused when it has no mask. */
  public static Sample labelled(SegmentationDataset dataset, int i) {
    Sample s = dataset.get(i);
    if (s.mask() == null) {
      throw new IllegalArgumentException(
          dataset.imagePath(i)
              + " has no mask: eval needs labelled images (use seg4j predict for unlabelled"
              + " ones)");
    }
    return s;
  }

  /**
   * Adds one image's predicted mask.
   *
   * @param id the image's id
   * @param mask predicted class per pixel
   * @param truth true class per pixel, possibly the ignore index
   */
  public void add(String id, int[] mask, int[] truth) {
    confusion.add(mask, truth);
    perImage.add(id, mask, truth);
    images++;
  }

  /**
   * Adds one image's predicted mask and its class probabilities, which the loss scores.
   *
   * @param id the image's id
   * @param mask predicted class per pixel
   * @param truth true class per pixel, possibly the ignore index
   * @param probabilities one plane per class, {@code [class * pixels + pixel]}
   */
  public void add(String id, int[] mask, int[] truth, float[] probabilities) {
    add(id, mask, truth);
    int n = truth.length;
    int classes = probabilities.length / n;
    int ignore = confusion.ignoreIndex();
    for (int j = 0; j < n; j++) {
      int t = truth[j];
      if (t == ignore || t < 0 || t >= classes) {
        continue;
      }
      nll -= Math.log(Math.max(1e-12, probabilities[t * n + j]));
      lossPixels++;
    }
  }

  /** The confusion matrix over every image added. */
  public ConfusionMatrix confusion() {
    return confusion;
  }

  /** The per-image scores, in the order the images were added. */
  public PerImageIoU perImage() {
    return perImage;
  }

  /** The scores over every image added; class names may be null (then "0", "1", ...). */
  public SegmentationMetrics metrics(List<String> classNames) {
    return SegmentationMetrics.of(confusion, classNames);
  }

  /** Mean of the per-image mean IoUs (images whose pixels are all ignored left out). */
  public double meanPerImageIoU() {
    return perImage.mean();
  }

  /** Mean per-pixel cross-entropy over the scored pixels; NaN when none had probabilities. */
  public double loss() {
    return lossPixels == 0 ? Double.NaN : nll / lossPixels;
  }

  /** Number of images added. */
  public int images() {
    return images;
  }

  /** Seconds spent predicting in {@link #score}; 0 for images added directly. */
  public double seconds() {
    return nanos / 1e9;
  }
}
