package org.seg4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seg4j.engine.Offline;

class UNetValidTest {
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

  private static UNetValid build(int base, int depth) {
    UNetValid m =
        new UNetValid(new ModelConfig("unet-valid", 1, 2, base, Map.of("depth", "" + depth)));
    m.init(manager, 1, 572);
    return m;
  }

  @Test
  void paperSizes() {
    UNetValid paper = new UNetValid(ModelConfig.of("unet-valid", 1, 2, 64));
    assertThat(paper.outputSide(572)).isEqualTo(388);
    assertThat(paper.acceptsSide(572)).isTrue();
    assertThat(paper.acceptsSide(570)).isFalse();
    assertThat(paper.acceptsSide(576)).isFalse();
    assertThat(paper.nearestSide(570)).isEqualTo(572);
    assertThat(paper.nearestSide(560)).isEqualTo(556);
    assertThat(paper.minSide()).isEqualTo(188);
    assertThat(paper.outputSide(188)).isEqualTo(4);
    assertThat(paper.acceptsSide(172)).isFalse();
  }

  @Test
  void sizeFormulaHoldsForEveryDepth() {
    for (int d = 1; d <= 6; d++) {
      UNetValid m = new UNetValid(new ModelConfig("unet-valid", 1, 2, 1, Map.of("depth", "" + d)));
      int offset = 4 * ((2 << d) - 1);
      for (int side = m.minSide(); side < m.minSide() + 200; side++) {
        boolean valid = side >= m.minSide() && (side - offset) % (1 << d) == 0;
        assertThat(m.acceptsSide(side)).as("depth %s side %s", d, side).isEqualTo(valid);
        if (valid) {
          assertThat(m.outputSide(side)).isEqualTo(side - 4 * (3 * (1 << d) - 2));
        }
      }
    }
  }

  @Test
  void paperInputGivesPaperOutputShape() {
    try (NDManager m = manager.newSubManager()) {
      UNetValid net = build(1, 4);
      NDArray x = m.zeros(new Shape(1, 1, 572, 572));
      assertThat(net.predictLogits(x).getShape()).isEqualTo(new Shape(1, 2, 388, 388));
    }
  }

  @Test
  void matchesPyTorchTwinAfterWeightImport() throws Exception {
    try (NDManager m = manager.newSubManager()) {
      GoldenModel g = new GoldenModel(m, "unet_valid");
      assertThat(g.model.outputSide(48)).isEqualTo(8);
      g.assertParity(m);
    }
  }

  @Test
  void badSideNamesTheRuleAndNearestValidSide() {
    UNetValid net = build(1, 4);
    assertThatThrownBy(() -> net.checkInput(new Shape(1, 1, 570, 572)))
        .hasMessageContaining("16·k + 124")
        .hasMessageContaining("height is 570")
        .hasMessageContaining("nearest valid side is 572");
    assertThatThrownBy(() -> net.outputSide(570)).hasMessageContaining("572");
  }
}
