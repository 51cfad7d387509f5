package org.seg4j.train;

import java.util.List;
import org.seg4j.augment.PairedTransform;
import org.seg4j.data.Sample;
import org.seg4j.data.SegmentationDataset;
import org.seg4j.infer.PredictionMaps;
import org.seg4j.infer.Predictor;
import org.seg4j.metric.Evaluator;
import org.seg4j.metric.SegmentationMetrics;

/**
 * Scores a model on whole labelled images, as the reference recipe does: one confusion matrix over
 * the set, plus the mean cross-entropy of the predicted probabilities (the validation loss).
 */
final class Validator {
  /** The outcome: metrics and the mean per-pixel cross-entropy over non-ignored pixels. */
  public record Result(SegmentationMetrics metrics, double loss) {}

  private Validator() {}

  /** Predicts every image of {@code ds} (after {@code preprocess}) and scores it. */
  public static Result run(
      Predictor predictor,
      SegmentationDataset ds,
      PairedTransform preprocess,
      int classes,
      int ignoreIndex,
      List<String> classNames) {
    Evaluator eval = new Evaluator(classes, ignoreIndex);
    for (int i = 0; i < ds.size(); i++) {
      Sample s = ds.get(i);
      Sample in = preprocess == null ? s : preprocess.apply(s, null);
      PredictionMaps p = predictor.predict(in.channels(), in.height(), in.width(), in.image());
      eval.add(ds.id(i), p.mask(), s.mask(), p.probabilities());
    }
    return new Result(eval.metrics(classNames), eval.loss());
  }
}
