package org.seg4j.testutil;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.seg4j.io.SafeTensors.Contents;
import org.seg4j.io.WeightsFileException;
import org.seg4j.nn.StateDicts;
import org.seg4j.nn.TorchBlock;

/**
 * Checks a layer's forward output and its input and weight gradients against a PyTorch fixture
 * holding inputs, weights, {@code y}, an upstream gradient {@code g} and {@code grad_<name>} for
 * {@code L = sum(y * g)}.
 */
public final class GradCheck {
  private GradCheck() {}

  /**
   * Loads the fixture's weights into {@code block} (may be null for parameter-free ops), runs
   * {@code fn} on the named inputs with gradients on, back-propagates {@code sum(y * g)} and
   * compares {@code y}, every {@code grad_<input>} and every trainable {@code grad_<weight>}.
   */
  public static void check(
      NDManager manager,
      Contents fixture,
      TorchBlock block,
      Function<NDList, NDArray> fn,
      double rtol,
      double atol,
      String... inputs)
      throws WeightsFileException {
    if (block != null) {
      loadWeights(block, fixture);
    }
    try (NDManager m = manager.newSubManager()) {
      NDList in = new NDList();
      for (String name : inputs) {
        NDArray a = Golden.array(m, fixture, name);
        a.setRequiresGradient(true);
        in.add(a);
      }
      NDArray y;
      try (GradientCollector gc = m.getEngine().newGradientCollector()) {
        y = fn.apply(in);
        gc.backward(y.mul(Golden.array(m, fixture, "g")).sum());
      }
      Golden.assertClose(y, Golden.tensor(fixture, "y"), rtol, atol, "forward y");
      for (int i = 0; i < inputs.length; i++) {
        Golden.assertClose(
            in.get(i).getGradient(),
            Golden.tensor(fixture, "grad_" + inputs[i]),
            rtol,
            atol,
            "dL/d" + inputs[i]);
      }
      if (block != null) {
        for (Map.Entry<String, Parameter> e : block.stateDict().entrySet()) {
          if (e.getValue().requiresGradient()) {
            Golden.assertClose(
                e.getValue().getArray().getGradient(),
                Golden.tensor(fixture, "grad_" + e.getKey()),
                rtol,
                atol,
                "dL/d" + e.getKey());
          }
        }
      }
    }
  }

  /** Loads the block's tensors from a fixture that also holds other entries (x, y, g, ...). */
  public static void loadWeights(TorchBlock block, Contents fixture) throws WeightsFileException {
    Set<String> mine = block.stateDict().keySet();
    Set<String> extra = block.extraState().keySet();
    StateDicts.load(
        block,
        fixture.tensors(),
        "fixture",
        k -> mine.contains(k) || extra.contains(k) ? k : null,
        true);
  }
}
