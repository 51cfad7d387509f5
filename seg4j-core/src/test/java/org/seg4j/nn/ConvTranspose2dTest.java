package org.seg4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.seg4j.io.SafeTensors.Contents;
import org.seg4j.testutil.Golden;
import org.seg4j.testutil.GradCheck;

/** ConvTranspose2d (polyphase) against PyTorch: forward, dL/dx, dL/dW, dL/db. */
class ConvTranspose2dTest {
  private static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @ParameterizedTest(name = "k={0} s={1} p={2} op={3}")
  @CsvSource({
    "2, 2, 0, 0",
    "4, 2, 1, 0",
    "3, 2, 1, 1",
    "5, 3, 2, 2",
    "4, 2, 0, 0",
    "16, 8, 4, 0",
    "16, 8, 0, 0",
    "32, 16, 8, 0",
    "32, 16, 0, 0",
    "64, 32, 16, 0",
    "64, 32, 0, 0"
  })
  void matchesPyTorch(int k, int s, int p, int op) throws Exception {
    Contents c =
        Golden.load(
            "golden/layers/convtranspose2d_k"
                + k
                + "_s"
                + s
                + "_p"
                + p
                + "_op"
                + op
                + ".safetensors");
    ConvTranspose2d layer =
        new ConvTranspose2d(
            Golden.metaInt(c, "in_channels"), Golden.metaInt(c, "out_channels"), k, s, p, op, true);
    layer.init(manager, Golden.metaInt(c, "in_channels"), 4);
    GradCheck.check(
        manager, c, layer, in -> layer.forward(in.singletonOrThrow(), true), 1e-4, 1e-5, "x");
  }

  @Test
  void outputSizeIsPyTorchs() {
    // (in - 1) * s - 2p + k + op
    assertThat(new ConvTranspose2d(1, 1, 4, 2, 1, 0, true).outputSize(5)).isEqualTo(10);
    assertThat(new ConvTranspose2d(1, 1, 64, 32, 16, 0, true).outputSize(2)).isEqualTo(64);
    assertThat(new ConvTranspose2d(1, 1, 3, 2, 1, 1, true).outputSize(5)).isEqualTo(10);
  }

  @Test
  void rejectsOutputPaddingNotBelowStride() {
    assertThatThrownBy(() -> new ConvTranspose2d(1, 1, 3, 2, 1, 2, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("output_padding 2")
        .hasMessageContaining("stride 2");
  }
}
