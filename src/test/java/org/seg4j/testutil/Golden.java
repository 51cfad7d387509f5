package org.seg4j.testutil;

import static org.assertj.core.api.Assertions.assertThat;

/** Tolerant comparison of computed values with golden fixtures. */
public final class Golden {
  private Golden() {}

  /** Asserts {@code |a − e| <= abs + rel·|e|} element-wise, naming the first mismatch. */
  public static void assertClose(
      String what, double[] actual, double[] expected, double rel, double abs) {
    assertThat(actual).as(what + " length").hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      double e = expected[i];
      double a = actual[i];
      if (Double.isNaN(e)) {
        assertThat(a).as(what + "[" + i + "]").isNaN();
        continue;
      }
      assertThat(Math.abs(a - e))
          .as(what + "[" + i + "]: got " + a + ", expected " + e)
          .isLessThanOrEqualTo(abs + rel * Math.abs(e));
    }
  }

  /** Float overload of {@link #assertClose(String, double[], double[], double, double)}. */
  public static void assertClose(
      String what, float[] actual, double[] expected, double rel, double abs) {
    double[] a = new double[actual.length];
    for (int i = 0; i < a.length; i++) {
      a[i] = actual[i];
    }
    assertClose(what, a, expected, rel, abs);
  }
}
