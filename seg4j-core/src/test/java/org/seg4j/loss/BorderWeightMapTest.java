package org.seg4j.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.seg4j.testutil.Golden;
import org.seg4j.testutil.Npy;

/** Border weight map against a brute-force numpy reference, plus its parts on hand-made cases. */
class BorderWeightMapTest {

  @Test
  void matchesBruteForceReference() {
    int[] mask = Npy.resource("/golden/loss/border_mask.npy").ints();
    float[] w = BorderWeightMap.unetPaper(255).compute(mask, 24, 24);
    Golden.assertClose(
        "weights", w, Npy.resource("/golden/loss/border_weights.npy").doubles(), 1e-5, 1e-6);
  }

  @Test
  void componentsMatchReferenceLabels() {
    int[] mask = Npy.resource("/golden/loss/border_mask.npy").ints();
    boolean[] fg = new boolean[mask.length];
    for (int i = 0; i < mask.length; i++) {
      fg[i] = mask[i] == 1;
    }
    ConnectedComponents.Labels l = ConnectedComponents.label(fg, 24, 24, false);
    assertThat(l.labels()).containsExactly(Npy.resource("/golden/loss/border_labels.npy").ints());
    assertThat(l.count()).isEqualTo(16);
  }

  @Test
  void eightConnectivityJoinsDiagonals() {
    boolean[] fg = {true, false, false, true};
    assertThat(ConnectedComponents.label(fg, 2, 2, false).count()).isEqualTo(2);
    assertThat(ConnectedComponents.label(fg, 2, 2, true).count()).isEqualTo(1);
  }

  @Test
  void distanceTransformIsExact() {
    boolean[] f = new boolean[5 * 7];
    f[1 * 7 + 1] = true;
    f[4 * 7 + 6] = true;
    float[] d = DistanceTransform.squared(f, 5, 7);
    for (int y = 0; y < 5; y++) {
      for (int x = 0; x < 7; x++) {
        int a = (y - 1) * (y - 1) + (x - 1) * (x - 1);
        int b = (y - 4) * (y - 4) + (x - 6) * (x - 6);
        assertThat(d[y * 7 + x]).as("(%d,%d)", y, x).isEqualTo((float) Math.min(a, b));
      }
    }
  }

  @Test
  void singleCellHasNoBorderTermAndIgnoredPixelsWeighZero() {
    int[] mask = {1, 1, 0, 0, 255, 0};
    float[] w = BorderWeightMap.unetPaper(255).compute(mask, 2, 3);
    // 5 counted pixels: 2 of class 1, 3 of class 0 -> w_1 = 5/(2*2), w_0 = 5/(2*3)
    assertThat(w).containsExactly(1.25f, 1.25f, 5f / 6f, 5f / 6f, 0f, 5f / 6f);
  }

  @Test
  void rejectsMaskValuesOutsideTheClasses() {
    assertThatThrownBy(() -> BorderWeightMap.unetPaper(-1).compute(new int[] {0, 255}, 1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("255");
  }
}
