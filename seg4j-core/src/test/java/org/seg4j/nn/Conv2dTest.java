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

/** Conv2d with padding_mode zeros and reflect, and ReflectPad2d, against PyTorch. */
class Conv2dTest {
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
  @ValueSource(
      strings = {
        "conv2d_reflect_k3_s1_p1",
        "conv2d_reflect_k3_s2_p1",
        "conv2d_reflect_k5_s1_p2",
        "conv2d_reflect_k5_s2_p2",
        "conv2d_zeros_k3_s1_p1",
        "conv2d_zeros_k3_s2_p0",
        "conv2d_zeros_k1_s1_p0",
        "conv2d_zeros_k3_s1_p2_d2"
      })
  void matchesPyTorch(String name) throws Exception {
    Contents c = Golden.load("golden/layers/" + name + ".safetensors");
    Conv2d.PaddingMode mode =
        c.metadata().get("padding_mode").equals("reflect")
            ? Conv2d.PaddingMode.REFLECT
            : Conv2d.PaddingMode.ZEROS;
    Conv2d conv = fromFixture(manager, c, mode);
    GradCheck.check(
        manager, c, conv, x -> conv.forward(x.singletonOrThrow(), true), 1e-4, 1e-5, "x");
  }

  /** The conv a layer fixture describes (its metadata), with {@code mode} padding. */
  static Conv2d fromFixture(NDManager manager, Contents c, Conv2d.PaddingMode mode) {
    int in = Golden.metaInt(c, "in_channels");
    Conv2d conv =
        new Conv2d(
            in,
            Golden.metaInt(c, "out_channels"),
            Golden.metaInt(c, "kernel"),
            Golden.metaInt(c, "stride"),
            Golden.metaInt(c, "padding"),
            Golden.metaInt(c, "dilation"),
            1,
            true,
            mode);
    conv.init(manager, in, 7);
    return conv;
  }

  @ParameterizedTest(name = "padding {0}")
  @ValueSource(ints = {1, 4})
  void reflectPadMatchesPyTorch(int p) throws Exception {
    Contents c = Golden.load("golden/layers/reflectpad2d_p" + p + ".safetensors");
    ReflectPad2d pad = new ReflectPad2d(p);
    GradCheck.check(
        manager, c, null, x -> pad.forward(x.singletonOrThrow(), true), 1e-6, 1e-7, "x");
  }

  @Test
  void reflectPadTooLargeForTheInputSaysWhatToDo() {
    try (NDManager m = manager.newSubManager()) {
      assertThatThrownBy(() -> ReflectPad2d.pad(m.zeros(new Shape(1, 1, 3, 8)), 3))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("reflect padding 3")
          .hasMessageContaining("3x8")
          .hasMessageContaining("padding_mode zeros");
    }
  }

  @Test
  void channelsMustDivideGroups() {
    assertThatThrownBy(() -> new Conv2d(3, 4, 3, 1, 1, 1, 2, true, Conv2d.PaddingMode.ZEROS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("groups 2");
  }
}
