package org.seg4j.nn;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.seg4j.io.SafeTensors.Contents;
import org.seg4j.testutil.Golden;
import org.seg4j.testutil.GradCheck;

/** Bilinear (align_corners true and false) and nearest up-sampling against PyTorch. */
class UpsampleTest {
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
        "upsample_bilinear_x2_align_true",
        "upsample_bilinear_x2_align_false",
        "upsample_bilinear_x4_align_true",
        "upsample_bilinear_x4_align_false",
        "upsample_bilinear_11x13_align_true",
        "upsample_bilinear_11x13_align_false",
        "upsample_nearest_x2",
        "upsample_nearest_11x13"
      })
  void matchesPyTorch(String name) throws Exception {
    Contents c = Golden.load("golden/layers/" + name + ".safetensors");
    Upsample.Mode mode =
        c.metadata().get("mode").equals("nearest") ? Upsample.Mode.NEAREST : Upsample.Mode.BILINEAR;
    boolean align = Boolean.parseBoolean(c.metadata().get("align_corners"));
    if (c.metadata().containsKey("scale")) {
      Upsample up = new Upsample(Golden.metaInt(c, "scale"), mode, align);
      GradCheck.check(
          manager, c, null, x -> up.forward(x.singletonOrThrow(), true), 1e-4, 1e-5, "x");
    } else {
      Upsample up = new Upsample(1, mode, align);
      int h = Golden.metaInt(c, "height");
      int w = Golden.metaInt(c, "width");
      GradCheck.check(
          manager, c, null, x -> up.resize(x.singletonOrThrow(), h, w), 1e-4, 1e-5, "x");
    }
  }
}
