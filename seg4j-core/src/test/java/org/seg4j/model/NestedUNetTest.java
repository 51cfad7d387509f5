package org.seg4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seg4j.engine.Offline;

class NestedUNetTest {
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
  void deepSupervisionMatchesPyTorchTwin() throws Exception {
    try (NDManager m = manager.newSubManager()) {
      GoldenModel g = new GoldenModel(m, "nested_unet_ds");
      g.assertParity(m);
    }
  }

  @Test
  void singleHeadMatchesPyTorchTwin() throws Exception {
    try (NDManager m = manager.newSubManager()) {
      GoldenModel g = new GoldenModel(m, "nested_unet");
      assertThat(g.model.stateDict()).containsKeys("final.weight", "conv0_4.bn2.running_mean");
      g.assertParity(m);
    }
  }

  @Test
  void prunedLevelsEqualTheirHeadAndNoOther() throws Exception {
    try (NDManager m = manager.newSubManager()) {
      GoldenModel g = new GoldenModel(m, "nested_unet_ds");
      NestedUNet net = (NestedUNet) g.model;
      for (int level = 1; level <= 4; level++) {
        net.setPruneLevel(level);
        NDArray y = net.forward(g.input, false);
        g.assertClose(
            "eval." + (level - 1) + " (prune level " + level + ")",
            y,
            g.array(m, "eval." + (level - 1)));
        assertThat(net.forwardAll(new NDList(g.input), false).size()).isEqualTo(level);
        // the wrong head (an off-by-one level) fails: every head depends on the input differently
        for (int head = 0; head < 4; head++) {
          NDArray other = g.array(m, "eval." + head);
          String what = "eval." + head + " (prune level " + level + ")";
          if (head != level - 1) {
            assertThat(catchThrowable(() -> g.assertClose(what, y, other)))
                .as("prune level %d against head %d", level, head)
                .isInstanceOf(AssertionError.class);
          }
        }
      }
    }
  }

  @Test
  void levelOneComputesOnlyItsNodes() {
    try (NDManager m = manager.newSubManager()) {
      NestedUNet net =
          new NestedUNet(
              new ModelConfig("nested-unet", 1, 2, 2, Map.of("deep_supervision", "true")));
      net.init(m, 1, 32);
      // poison every node level 1 does not need: its output must stay finite
      net.stateDict()
          .forEach(
              (k, p) -> {
                if (!k.startsWith("conv0_0.")
                    && !k.startsWith("conv1_0.")
                    && !k.startsWith("conv0_1.")
                    && !k.startsWith("final1.")) {
                  p.getArray().set(new float[(int) p.getShape().size()]);
                  p.getArray().divi(0f);
                }
              });
      NDArray x = m.randomUniform(0f, 1f, new Shape(2, 1, 32, 32));
      assertThat(net.forwardLevel(x, false, 1).isNaN().any().getBoolean()).isFalse();
      assertThat(net.forwardLevel(x, false, 2).isNaN().any().getBoolean()).isTrue();
    }
  }

  @Test
  void pruningNeedsDeepSupervision() {
    NestedUNet net = new NestedUNet(ModelConfig.of("nested-unet", 1, 2, 2));
    assertThatThrownBy(() -> net.setPruneLevel(2)).hasMessageContaining("deep_supervision=true");
    assertThatThrownBy(
            () ->
                new NestedUNet(
                    new ModelConfig(
                        "nested-unet",
                        1,
                        2,
                        2,
                        Map.of("deep_supervision", "true", "prune_level", "5"))))
        .hasMessageContaining("1, 2, 3 or 4");
  }

  @Test
  void outputShapeAndSideErrors() {
    try (NDManager m = manager.newSubManager()) {
      NestedUNet net = new NestedUNet(ModelConfig.of("nested-unet", 3, 4, 1));
      net.init(m, 3, 32);
      NDArray x = m.zeros(new Shape(2, 3, 48, 32));
      assertThat(net.predictLogits(x).getShape()).isEqualTo(new Shape(2, 4, 48, 32));
      assertThatThrownBy(() -> net.checkInput(new Shape(1, 3, 40, 32)))
          .hasMessageContaining("multiples of 16")
          .hasMessageContaining("nearest valid side is 48");
      assertThatThrownBy(() -> net.checkInput(new Shape(1, 1, 32, 32)))
          .hasMessageContaining("3 input channel");
    }
  }
}
