package org.seg4j.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seg4j.engine.Offline;
import org.seg4j.testutil.Golden;
import org.seg4j.testutil.Npy;

/** Confusion matrix and scores against hand-computed cases and a numpy bincount fixture. */
class MetricsTest {
  private static final String DIR = "/golden/metric/";
  private static NDManager base;

  @BeforeAll
  static void setUp() {
    Offline.ensure();
    base = NDManager.newBaseManager();
  }

  @AfterAll
  static void tearDown() {
    base.close();
  }

  private static double[] golden(String name) {
    return Npy.resource(DIR + name + ".npy").doubles();
  }

  private static long[] flat(long[][] m) {
    return Arrays.stream(m).flatMapToLong(Arrays::stream).toArray();
  }

  @Test
  void matchesNumpyBincountReference() {
    ConfusionMatrix cm = new ConfusionMatrix(5, 255);
    try (NDManager m = base.newSubManager()) {
      NDArray truth = Npy.resource(DIR + "truth.npy").toNDArray(m);
      NDArray pred = Npy.resource(DIR + "pred.npy").toNDArray(m);
      cm.add(pred, truth);
      PerImageIoU perImage = new PerImageIoU(5, 255);
      perImage.add(pred, truth, List.of("a", "b", "c"));
      Golden.assertClose(
          "per-image mIoU",
          perImage.entries().stream().mapToDouble(PerImageIoU.Entry::meanIoU).toArray(),
          golden("per_image_miou"),
          1e-12,
          0);
      assertThat(perImage.entries().get(1).id()).isEqualTo("b");
    }
    assertThat(flat(cm.counts())).containsExactly(Npy.resource(DIR + "cm.npy").longs());
    SegmentationMetrics s = SegmentationMetrics.of(cm, null);
    Golden.assertClose("iou", s.iou(), golden("iou"), 1e-12, 0);
    Golden.assertClose("recall", s.recall(), golden("recall"), 1e-12, 0);
    Golden.assertClose("precision", s.precision(), golden("precision"), 1e-12, 0);
    Golden.assertClose("dice", s.dice(), golden("dice"), 1e-12, 0);
    Golden.assertClose(
        "summary",
        new double[] {s.pixelAccuracy(), s.meanIoU(), s.meanRecall(), s.meanDice()},
        golden("summary"),
        1e-12,
        0);
    assertThat(s.absentClasses()).containsExactly(4);
    assertThat(s.note())
        .contains("Excluded: class4.")
        .contains("Predicted but never true")
        .contains("3");
  }

  @Test
  void handComputedTwoClassCase() {
    // truth 0 0 1 1 | 1 255 ; pred 0 1 1 1 | 0 1
    ConfusionMatrix cm = new ConfusionMatrix(3, 255);
    cm.add(new int[] {0, 1, 1, 1, 0, 1}, new int[] {0, 0, 1, 1, 1, 255});
    assertThat(cm.counts()).isDeepEqualTo(new long[][] {{1, 1, 0}, {1, 2, 0}, {0, 0, 0}});
    SegmentationMetrics s = SegmentationMetrics.of(cm, List.of("bg", "cell", "void"));
    assertThat(s.iou()[0]).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(s.iou()[1]).isCloseTo(2.0 / 4, within(1e-12));
    assertThat(s.iou()[2]).isNaN();
    assertThat(s.recall()).containsExactly(0.5, 2.0 / 3, Double.NaN);
    assertThat(s.precision()).containsExactly(0.5, 2.0 / 3, Double.NaN);
    assertThat(s.dice()[1]).isCloseTo(4.0 / 6, within(1e-12));
    assertThat(s.pixelAccuracy()).isCloseTo(3.0 / 5, within(1e-12));
    assertThat(s.meanIoU()).isCloseTo((1.0 / 3 + 0.5) / 2, within(1e-12));
    assertThat(s.meanRecall()).isCloseTo((0.5 + 2.0 / 3) / 2, within(1e-12));
    assertThat(s.absentClasses()).containsExactly(2);
    String table = MetricsTable.format(s);
    assertThat(table)
        .contains("1 cell")
        .contains("0.5000")
        .contains("pixel accuracy 0.6000")
        .contains("Excluded: void.");
    assertThat(table.lines().filter(l -> l.startsWith("2 void")).findFirst().orElseThrow())
        .contains(" - ");
  }

  @Test
  void engineAndJavaPathsAgreeAndMerge() {
    int[] truth = {0, 1, 2, 2, 255, 1, 0, 2};
    int[] pred = {0, 2, 2, 1, 0, 1, 1, 2};
    ConfusionMatrix java = new ConfusionMatrix(3, 255);
    java.add(pred, truth);
    ConfusionMatrix engine = new ConfusionMatrix(3, 255);
    try (NDManager m = base.newSubManager()) {
      NDArray t = m.create(truth, new Shape(2, 2, 2));
      // logits whose argmax is pred: one-hot
      NDArray logits = m.create(pred, new Shape(2, 2, 2)).oneHot(3).transpose(0, 3, 1, 2);
      engine.add(logits, t);
    }
    assertThat(engine.counts()).isDeepEqualTo(java.counts());
    engine.merge(java);
    assertThat(engine.total()).isEqualTo(14);
    engine.reset();
    assertThat(engine.total()).isZero();
  }

  @Test
  void badValuesAreNamed() {
    ConfusionMatrix cm = new ConfusionMatrix(2, 255);
    try (NDManager m = base.newSubManager()) {
      NDArray t = m.create(new long[] {0, 1, 7, 255}, new Shape(1, 2, 2));
      NDArray p = m.create(new long[] {0, 1, 1, 1}, new Shape(1, 2, 2));
      assertThatThrownBy(() -> cm.add(p, t))
          .hasMessageContaining("truth holds class 7")
          .hasMessageContaining("ignore index");
      assertThatThrownBy(() -> cm.add(t, p)).hasMessageContaining("prediction holds class");
      assertThatThrownBy(() -> cm.add(p, m.zeros(new Shape(1, 2, 3))))
          .hasMessageContaining("does not match");
    }
    assertThatThrownBy(() -> cm.add(new int[] {0}, new int[] {3}))
        .hasMessageContaining("truth holds class 3");
    assertThatThrownBy(() -> cm.merge(new ConfusionMatrix(3, 255))).hasMessageContaining("3-class");
  }

  @Test
  void allIgnoredImageIsLeftOutOfPerImageMean() {
    PerImageIoU p = new PerImageIoU(2, 255);
    p.add("void", new int[] {0, 1}, new int[] {255, 255});
    p.add("half", new int[] {0, 1}, new int[] {0, 0});
    assertThat(p.entries().get(0).meanIoU()).isNaN();
    // class 0: I=1, U=2 -> 0.5; class 1: I=0, U=1 -> 0 ; mean 0.25
    assertThat(p.mean()).isCloseTo(0.25, within(1e-12));
  }

  @Test
  void perImageKeepsEveryClassIoUAndNaNWhereAClassIsAbsentFromBoth() {
    PerImageIoU p = new PerImageIoU(3, 255);
    // truth 0 0 1 1, prediction 0 1 1 1: class 0 I=1 U=2, class 1 I=2 U=3, class 2 absent
    p.add("a", new int[] {0, 1, 1, 1}, new int[] {0, 0, 1, 1});
    // truth 2 2, prediction 2 0: class 0 I=0 U=1, class 1 absent, class 2 I=1 U=2
    p.add("b", new int[] {2, 0}, new int[] {2, 2});
    PerImageIoU.Entry a = p.entries().get(0);
    assertThat(a.classIoU(0)).isCloseTo(0.5, within(1e-12));
    assertThat(a.classIoU(1)).isCloseTo(2 / 3.0, within(1e-12));
    assertThat(a.classIoU(2)).isNaN();
    assertThat(a.meanIoU()).isCloseTo((0.5 + 2 / 3.0) / 2, within(1e-12));
    PerImageIoU.Entry b = p.entries().get(1);
    assertThat(b.classIoU(0)).isZero();
    assertThat(b.classIoU(1)).isNaN();
    assertThat(b.classIoU(2)).isCloseTo(0.5, within(1e-12));
    assertThat(p.classMean(0)).isCloseTo(0.25, within(1e-12));
    assertThat(p.classMean(1)).isCloseTo(2 / 3.0, within(1e-12));
    assertThat(p.classMean(2)).isCloseTo(0.5, within(1e-12));
  }
}
