package org.seg4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seg4j.io.SafeTensors.Contents;
import org.seg4j.testutil.Golden;
import org.seg4j.testutil.GradCheck;

/** Dropout2d: PyTorch's mask arithmetic, whole-channel drops at rate p, identity in eval. */
class Dropout2dTest {
  private static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @Test
  void sameMaskGivesPyTorchsOutputAndGradient() throws Exception {
    Contents c = Golden.load("golden/layers/dropout2d.safetensors");
    Dropout2d drop = new Dropout2d(Float.parseFloat(c.metadata().get("p")));
    NDArray mask = Golden.array(manager, c, "mask");
    GradCheck.check(manager, c, null, x -> drop.apply(x.singletonOrThrow(), mask), 1e-6, 1e-7, "x");
  }

  @Test
  void trainingDropsWholeChannelsAtRatePAndScalesTheRest() {
    float p = 0.3f;
    int n = 4;
    int channels = 250;
    Dropout2d drop = new Dropout2d(p);
    try (NDManager m = manager.newSubManager()) {
      m.getEngine().setRandomSeed(7);
      float[] y = drop.forward(m.ones(new Shape(n, channels, 3, 3)), true).toFloatArray();
      int dropped = 0;
      for (int ch = 0; ch < n * channels; ch++) {
        float first = y[ch * 9];
        for (int i = 1; i < 9; i++) {
          assertThat(y[ch * 9 + i])
              .as("channel %d is dropped or kept as a whole", ch)
              .isEqualTo(first);
        }
        if (first == 0f) {
          dropped++;
        } else {
          assertThat(first)
              .as("kept scale")
              .isCloseTo(1f / (1f - p), org.assertj.core.data.Offset.offset(1e-6f));
        }
      }
      // 1000 channels: the standard deviation of the drop rate is 0.0145; allow 5 of them.
      assertThat(dropped / (double) (n * channels)).isBetween(p - 0.0725, p + 0.0725);
    }
  }

  @Test
  void evalAndZeroRateAreTheIdentity() {
    try (NDManager m = manager.newSubManager()) {
      NDArray x = m.randomNormal(new Shape(2, 3, 4, 4));
      assertThat(new Dropout2d(0.5f).forward(x, false).toFloatArray())
          .containsExactly(x.toFloatArray());
      assertThat(new Dropout2d(0f).forward(x, true).toFloatArray())
          .containsExactly(x.toFloatArray());
    }
  }

  @Test
  void rejectsRateOutsideZeroToOne() {
    assertThatThrownBy(() -> new Dropout2d(1f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("p=1.0");
    assertThatThrownBy(() -> new Dropout2d(-0.1f)).isInstanceOf(IllegalArgumentException.class);
  }
}
