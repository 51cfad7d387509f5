package org.seg4j.nn;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.seg4j.io.SafeTensors.Contents;
import org.seg4j.testutil.Golden;
import org.seg4j.testutil.GradCheck;

/** CropConcat against torch slicing + cat, including an odd size difference. */
class CropConcatTest {
  private static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"cropconcat_9_to_5", "cropconcat_8_to_5"})
  void matchesPyTorch(String name) throws Exception {
    Contents c = Golden.load("golden/layers/" + name + ".safetensors");
    GradCheck.check(
        manager, c, null, in -> CropConcat.apply(in.get(0), in.get(1)), 0, 0, "skip", "up");
  }

  @Test
  void refusesASkipSmallerThanTheDecoderMap() {
    try (NDManager m = manager.newSubManager()) {
      assertThatThrownBy(
              () ->
                  CropConcat.apply(m.zeros(new Shape(1, 1, 4, 4)), m.zeros(new Shape(1, 1, 5, 5))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("4x4")
          .hasMessageContaining("5x5");
    }
  }
}
