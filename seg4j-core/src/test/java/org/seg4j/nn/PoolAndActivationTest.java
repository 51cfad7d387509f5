package org.seg4j.nn;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.seg4j.io.SafeTensors.Contents;
import org.seg4j.testutil.Golden;
import org.seg4j.testutil.GradCheck;

/** MaxPool2d (floor and ceil mode), ReLU and LeakyReLU against PyTorch. */
class PoolAndActivationTest {
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
  @ValueSource(strings = {"maxpool2d_k2_s2", "maxpool2d_k2_s2_ceil", "maxpool2d_k3_s2"})
  void maxPoolMatchesPyTorch(String name) throws Exception {
    Contents c = Golden.load("golden/layers/" + name + ".safetensors");
    MaxPool2d pool =
        new MaxPool2d(
            Golden.metaInt(c, "kernel"),
            Golden.metaInt(c, "stride"),
            Boolean.parseBoolean(c.metadata().get("ceil_mode")));
    GradCheck.check(
        manager, c, null, x -> pool.forward(x.singletonOrThrow(), true), 1e-6, 1e-7, "x");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"relu", "leakyrelu_0.1"})
  void activationMatchesPyTorch(String name) throws Exception {
    Contents c = Golden.load("golden/layers/" + name + ".safetensors");
    Activation act = Activation.of(Float.parseFloat(c.metadata().get("negative_slope")));
    GradCheck.check(
        manager, c, null, x -> act.forward(x.singletonOrThrow(), true), 1e-6, 1e-7, "x");
  }
}
