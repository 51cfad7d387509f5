package org.seg4j.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.seg4j.engine.Offline;

/** The loss factory and the input checks every loss shares. */
class LossesTest {

  @Test
  void buildsEveryNamedLoss() {
    for (String name : Losses.names()) {
      assertThat(Losses.create(name).name()).isEqualTo(name);
    }
    assertThat(Losses.names())
        .containsExactly("ce", "bce", "focal", "dice", "lovasz", "lovasz-softmax");
  }

  @Test
  void combinesWeightedTerms() {
    SegLoss loss = Losses.create(" 0.5*BCE + dice ");
    assertThat(loss).isInstanceOf(WeightedSumLoss.class);
    WeightedSumLoss sum = (WeightedSumLoss) loss;
    assertThat(sum.weights()).containsExactly(0.5, 1.0);
    assertThat(sum.name()).isEqualTo("0.5*bce+dice");
    assertThat(sum.supportsWeightMap()).isFalse();
    assertThat(Losses.create("ce+dice").supportsWeightMap()).isTrue();
  }

  @Test
  void unknownNameListsTheValidOnes() {
    assertThatThrownBy(() -> Losses.create("ce+dise"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown loss 'dise'")
        .hasMessageContaining("ce, bce, focal, dice, lovasz, lovasz-softmax");
    assertThatThrownBy(() -> Losses.create("x*ce")).hasMessageContaining("bad weight 'x'");
    assertThatThrownBy(() -> Losses.create(" ")).hasMessageContaining("valid losses");
  }

  @Test
  void targetOutsideTheClassesNamesTheValue() {
    Offline.ensure();
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray logits = m.zeros(new Shape(1, 2, 2, 2));
      NDArray target = m.create(new long[] {0, 1, 255, 1}, new Shape(1, 2, 2));
      assertThatThrownBy(() -> Losses.create("ce").compute(logits, target))
          .hasMessageContaining("target holds class 255")
          .hasMessageContaining("ignore index");
      NDArray ok =
          Losses.create("ce", LossOptions.defaults().withIgnoreIndex(255)).compute(logits, target);
      assertThat(ok.getFloat())
          .isCloseTo((float) Math.log(2), org.assertj.core.data.Offset.offset(1e-6f));
      assertThatThrownBy(() -> Losses.create("bce").compute(logits, target))
          .hasMessageContaining("single-channel");
      NDArray one = m.zeros(new Shape(1, 1, 2, 2));
      assertThatThrownBy(() -> Losses.create("bce").compute(one, target))
          .hasMessageContaining("binary target holds 255");
      assertThatThrownBy(() -> Losses.create("dice").compute(one, m.zeros(new Shape(1, 3, 2))))
          .hasMessageContaining("same N,H,W");
    }
  }

  @Test
  void allIgnoredBatchGivesZeroNotNaN() {
    Offline.ensure();
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray logits = m.ones(new Shape(1, 3, 2, 2));
      NDArray target = m.full(new Shape(1, 2, 2), 7L);
      LossOptions o = LossOptions.defaults().withIgnoreIndex(7);
      for (String name : new String[] {"ce", "focal", "dice", "lovasz-softmax"}) {
        assertThat(Losses.create(name, o).compute(logits, target).getFloat())
            .as(name)
            .isEqualTo(0f);
      }
    }
  }
}
