package org.seg4j.nn;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seg4j.io.SafeTensors.Contents;
import org.seg4j.testutil.Golden;
import org.seg4j.testutil.GradCheck;

/**
 * The mutation checks of issue 13 for layers: the parity comparison that {@link UpsampleTest} and
 * {@link Conv2dTest} make must fail when the layer has the one-line bug it exists to catch (a
 * swapped align_corners, a flipped input, the wrong padding mode). A fixture these bugs pass would
 * prove nothing.
 */
class LayerMutationTest {
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
  void aSwappedAlignCornersFailsTheUpsampleComparison() throws Exception {
    Contents c = Golden.load("golden/layers/upsample_bilinear_x2_align_true.safetensors");
    Upsample wrong = new Upsample(2, Upsample.Mode.BILINEAR, false);
    failsParity(c, null, x -> wrong.forward(x.singletonOrThrow(), true));
  }

  @Test
  void aFlippedInputFailsTheConvComparison() throws Exception {
    Contents c = Golden.load("golden/layers/conv2d_zeros_k3_s1_p1.safetensors");
    Conv2d conv = conv(c, Conv2d.PaddingMode.ZEROS);
    failsParity(c, conv, x -> conv.forward(x.singletonOrThrow().flip(3), true));
  }

  @Test
  void zeroPaddingInsteadOfReflectFailsTheConvComparison() throws Exception {
    Contents c = Golden.load("golden/layers/conv2d_reflect_k3_s1_p1.safetensors");
    Conv2d conv = conv(c, Conv2d.PaddingMode.ZEROS);
    failsParity(c, conv, x -> conv.forward(x.singletonOrThrow(), true));
  }

  /** Asserts that the layer fixture's parity comparison fails for {@code forward}. */
  private static void failsParity(Contents c, TorchBlock block, Function<NDList, NDArray> forward) {
    assertThatThrownBy(() -> GradCheck.check(manager, c, block, forward, 1e-4, 1e-5, "x"))
        .isInstanceOf(AssertionError.class);
  }

  private static Conv2d conv(Contents c, Conv2d.PaddingMode mode) {
    return Conv2dTest.fromFixture(manager, c, mode);
  }
}
