package org.seg4j.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seg4j.io.SafeTensors.Contents;
import org.seg4j.testutil.Golden;
import org.seg4j.testutil.GradCheck;

/** BatchNorm2d: training forward and gradients, running-stat update and eval forward. */
class BatchNorm2dTest {
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
  void trainingStepThenEvalMatchPyTorch() throws Exception {
    Contents c = Golden.load("golden/layers/batchnorm2d.safetensors");
    BatchNorm2d bn = new BatchNorm2d(Golden.metaInt(c, "channels"));
    bn.init(manager, 3, 5);
    GradCheck.check(manager, c, bn, x -> bn.forward(x.singletonOrThrow(), true), 1e-4, 1e-5, "x");

    Golden.assertClose(
        bn.stateDict().get("running_mean").getArray(),
        Golden.tensor(c, "running_mean_after"),
        1e-4,
        1e-6,
        "running_mean after one step");
    Golden.assertClose(
        bn.stateDict().get("running_var").getArray(),
        Golden.tensor(c, "running_var_after"),
        1e-4,
        1e-6,
        "running_var after one step");
    assertThat(bn.extraState())
        .containsEntry(
            "num_batches_tracked", Golden.tensor(c, "num_batches_tracked_after").toLongs()[0]);

    try (NDManager m = manager.newSubManager()) {
      NDArray y = bn.forward(Golden.array(m, c, "x"), false);
      Golden.assertClose(y, Golden.tensor(c, "y_eval"), 1e-4, 1e-5, "eval forward");
    }
  }
}
