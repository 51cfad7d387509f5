package org.seg4j.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The evaluator's confusion matrix, per-image IoU and loss against hand-computed values. */
class EvaluatorTest {
  private static final int VOID = 255;

  /** Two images, two classes, one void pixel; probabilities are (class, pixel) planes. */
  private static Evaluator twoImages() {
    Evaluator e = new Evaluator(2, VOID);
    e.add(
        "a",
        new int[] {0, 1, 1, 0},
        new int[] {0, 0, 1, VOID},
        new float[] {0.8f, 0.4f, 0.1f, 0.5f, 0.2f, 0.6f, 0.9f, 0.5f});
    e.add("b", new int[] {1, 0}, new int[] {1, 1}, new float[] {0.3f, 0.7f, 0.7f, 0.3f});
    return e;
  }

  @Test
  void confusionSkipsTheVoidPixel() {
    Evaluator e = twoImages();
    // a: (t0,p0) (t0,p1) (t1,p1), void skipped; b: (t1,p1) (t1,p0)
    assertThat(e.confusion().counts()).isDeepEqualTo(new long[][] {{1, 1}, {1, 2}});
    assertThat(e.images()).isEqualTo(2);
    SegmentationMetrics m = e.metrics(null);
    // class 0: I=1, U=2+2-1=3; class 1: I=2, U=3+3-2=4
    assertThat(m.iou()[0]).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(m.iou()[1]).isCloseTo(0.5, within(1e-12));
    assertThat(m.meanIoU()).isCloseTo(5 / 12.0, within(1e-12));
    assertThat(m.pixelAccuracy()).isCloseTo(3 / 5.0, within(1e-12));
  }

  @Test
  void perImageIoUPerImageAndItsMean() {
    Evaluator e = twoImages();
    // a: class 0 I=1 U=2, class 1 I=1 U=2 -> 0.5; b: class 0 I=0 U=1, class 1 I=1 U=2 -> 0.25
    assertThat(e.perImage().entries()).extracting(PerImageIoU.Entry::id).containsExactly("a", "b");
    assertThat(e.perImage().entries().get(0).meanIoU()).isCloseTo(0.5, within(1e-12));
    assertThat(e.perImage().entries().get(1).meanIoU()).isCloseTo(0.25, within(1e-12));
    assertThat(e.meanPerImageIoU()).isCloseTo(0.375, within(1e-12));
  }

  @Test
  void lossIsTheMeanCrossEntropyOfTheTrueClassOverNonVoidPixels() {
    double expected =
        -(Math.log(0.8f) + Math.log(0.4f) + Math.log(0.9f) + Math.log(0.7f) + Math.log(0.3f)) / 5;
    assertThat(twoImages().loss()).isCloseTo(expected, within(1e-12));
  }

  @Test
  void lossIsNaNWithoutProbabilitiesAndAZeroProbabilityIsClamped() {
    Evaluator masksOnly = new Evaluator(2, VOID);
    masksOnly.add("a", new int[] {0, 1}, new int[] {0, 0});
    assertThat(masksOnly.loss()).isNaN();
    assertThat(masksOnly.seconds()).isZero();
    Evaluator sure = new Evaluator(2, VOID);
    sure.add("a", new int[] {1}, new int[] {0}, new float[] {0f, 1f});
    assertThat(sure.loss()).isCloseTo(-Math.log(1e-12), within(1e-9));
  }
}
