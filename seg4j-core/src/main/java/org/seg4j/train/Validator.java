package org.seg4j.train;

import java.util.List;
import org.seg4j.augment.PairedTransform;
import org.seg4j.data.Sample;
import org.seg4j.data.SegmentationDataset;
import org.seg4j.infer.Prediction;
import org.seg4j.infer.Predictor;
import org.seg4j.metric.ConfusionMatrix;
import org.seg4j.metric.SegmentationMetrics;

/**
 * Scores a model on whole labelled images, as the reference recipe does: one confusion matrix over
 * the set, plus the mean cross-entropy of the predicted probabilities (the validation loss).
 */
public final class Validator {
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
    ConfusionMatrix cm = new ConfusionMatrix(classes, ignoreIndex);
    double nll = 0;
    long counted = 0;
    for (int i = 0; i < ds.size(); i++) {
      Sample s = ds.get(i);
      Sample in = preprocess == null ? s : preprocess.apply(s, null);
      Prediction p = predictor.predict(in.channels(), in.height(), in.width(), in.image());
      cm.add(p.mask(), s.mask());
      int n = s.height() * s.width();
      for (int j = 0; j < n; j++) {
        int t = s.mask()[j];
        if (t == ignoreIndex || t < 0 || t >= p.classes()) {
          continue;
        }
        nll -= Math.log(Math.max(1e-12, p.probabilities()[t * n + j]));
        counted++;
      }
    }
    return new Result(
        SegmentationMetrics.of(cm, classNames), counted == 0 ? Double.NaN : nll / counted);
  }
}
