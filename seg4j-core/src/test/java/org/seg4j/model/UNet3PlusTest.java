package org.seg4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seg4j.engine.Offline;

class UNet3PlusTest {
  private static NDManager manager;

  @BeforeAll
  static void setUp() {
    Offline.ensure();
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  @Test
  void matchesPyTorchTwin() throws Exception {
    try (NDManager m = manager.newSubManager()) {
      GoldenModel g = new GoldenModel(m, "unet3plus");
      assertThat(g.model.stateDict())
          .containsKeys(
              "conv1.conv1.0.weight",
              "conv5.conv2.1.running_var",
              "h1_PT_hd4_conv.weight",
              "h4_Cat_hd4_bn.bias",
              "hd5_UT_hd1_conv.weight",
              "conv1d_1.weight",
              "bn4d_1.running_mean",
              "outconv1.weight");
      g.assertParity(m);
    }
  }

  @Test
  void deepSupervisionMatchesPyTorchTwin() throws Exception {
    try (NDManager m = manager.newSubManager()) {
      GoldenModel g = new GoldenModel(m, "unet3plus_ds");
      g.assertClose("eval.0 (forward)", g.model.forward(g.input, false), g.array(m, "eval.0"));
      g.assertParity(m);
    }
  }

  @Test
  void outputShapeAndSideErrors() {
    try (NDManager m = manager.newSubManager()) {
      UNet3Plus net =
          new UNet3Plus(new ModelConfig("unet3plus", 1, 3, 1, Map.of("deep_supervision", "on")));
      net.init(m, 1, 32);
      NDArray x = m.zeros(new Shape(1, 1, 32, 64));
      NDList heads = net.forwardAll(new NDList(x), false);
      assertThat(heads).hasSize(5);
      for (NDArray h : heads) {
        assertThat(h.getShape()).isEqualTo(new Shape(1, 3, 32, 64));
      }
      assertThatThrownBy(() -> net.checkInput(new Shape(1, 1, 32, 70)))
          .hasMessageContaining("multiples of 16")
          .hasMessageContaining("width is 70")
          .hasMessageContaining("nearest valid side is 64");
      assertThatThrownBy(
              () -> new UNet3Plus(new ModelConfig("unet3plus", 1, 3, 1, Map.of("depth", "3"))))
          .hasMessageContaining("valid options are [deep_supervision]");
    }
  }
}
