package org.seg4j.train.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.io.SafeTensors;
import org.seg4j.io.SafeTensors.Tensor;
import org.seg4j.nn.Conv2d;
import org.seg4j.nn.StateDicts;

/** Five steps of each optimiser against torch.optim (tools/gen_optim_fixtures.py). */
class OptimizerParityTest {
  @TempDir Path tmp;

  private Map<String, Tensor> golden() throws Exception {
    Path f = tmp.resolve("optimizers.safetensors");
    try (InputStream in = getClass().getResourceAsStream("/golden/optim/optimizers.safetensors")) {
      Files.copy(in, f);
    }
    return SafeTensors.read(f).tensors();
  }

  @Test
  void adamMatchesTorch() throws Exception {
    check("adam", p -> new Adam(p, 0.01f, 0.9f, 0.999f, 1e-8f, 0.01f, false));
  }

  @Test
  void adamWithAStrongL2TermMatchesTorch() throws Exception {
    check("adam_l2", 1e-3f, p -> new Adam(p, 0.01f, 0.9f, 0.999f, 1e-8f, 1.0f, false));
  }

  /**
   * The mutation check of issue 13: the same comparison with the weight decay dropped (the bug this
   * test exists for) must fail, so the fixture is sensitive to it.
   */
  @Test
  void droppingTheWeightDecayFailsTheComparison() {
    assertThatThrownBy(
            () -> check("adam_l2", 1e-3f, p -> new Adam(p, 0.01f, 0.9f, 0.999f, 1e-8f, 0f, false)))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void adamwMatchesTorch() throws Exception {
    check("adamw", p -> new Adam(p, 0.01f, 0.9f, 0.999f, 1e-8f, 0.1f, true));
  }

  @Test
  void sgdNesterovMatchesTorch() throws Exception {
    check("sgd_nesterov", p -> new Sgd(p, 0.05f, 0.9f, 1e-3f, true));
  }

  @Test
  void sgdHighMomentumMatchesTorch() throws Exception {
    check("sgd_momentum", p -> new Sgd(p, 0.05f, 0.99f, 0f, false));
  }

  /**
   * A weight frozen for steps 1-3 and released for 4-5 under the same Adam (as an encoder after
   * train.freeze_epochs): torch counts its steps from its own first update, and so must seg4j, also
   * across a save and restore of the optimiser state in between.
   */
  @Test
  void adamCountsStepsPerParameterLikeTorchAcrossAFreeze() throws Exception {
    Map<String, Tensor> t = golden();
    try (NDManager m = NDManager.newBaseManager()) {
      Conv2d c = conv(m, t);
      Optimizer opt = Adam.of(c.stateDict(), 0.01f);
      NDArray x = array(m, t.get("x"));
      NDArray g = array(m, t.get("g"));
      for (int s = 1; s <= 5; s++) {
        c.weightParameter().freeze(s <= 3);
        if (s == 4) {
          Optimizer restored = Adam.of(c.stateDict(), 0.01f);
          restored.importState(opt.exportState());
          opt = restored;
        }
        step(c, opt, x, g, s);
        assertClose(c.stateDict().get("weight").getArray(), t.get("adam_frozen." + s + ".weight"));
        assertClose(c.stateDict().get("bias").getArray(), t.get("adam_frozen." + s + ".bias"));
      }
    }
  }

  @Test
  void stateRoundTripContinuesIdentically() throws Exception {
    Map<String, Tensor> t = golden();
    try (NDManager m = NDManager.newBaseManager()) {
      Conv2d a = conv(m, t);
      Optimizer oa = Adam.of(a.stateDict(), 0.01f);
      NDArray x = array(m, t.get("x"));
      NDArray g = array(m, t.get("g"));
      step(a, oa, x, g, 1);
      Conv2d b = conv(m, t);
      StateDicts.load(b, StateDicts.export(a), "copy", n -> n, true);
      Optimizer ob = Adam.of(b.stateDict(), 0.01f);
      ob.importState(oa.exportState());
      step(a, oa, x, g, 2);
      step(b, ob, x, g, 2);
      assertThat(b.weightParameter().getArray().toFloatArray())
          .containsExactly(a.weightParameter().getArray().toFloatArray());
      assertThat(ob.steps()).isEqualTo(2);
    }
  }

  private void check(String name, Function<Map<String, Parameter>, Optimizer> make)
      throws Exception {
    check(name, 1f, make);
  }

  /** Five steps on the loss {@code sum(conv(x) * g) * (1 + step) * scale} against torch's. */
  private void check(String name, float scale, Function<Map<String, Parameter>, Optimizer> make)
      throws Exception {
    Map<String, Tensor> t = golden();
    try (NDManager m = NDManager.newBaseManager()) {
      Conv2d c = conv(m, t);
      Optimizer opt = make.apply(c.stateDict());
      NDArray x = array(m, t.get("x"));
      NDArray g = array(m, t.get("g"));
      for (int s = 1; s <= 5; s++) {
        step(c, opt, x, g.mul(scale), s);
        assertClose(c.stateDict().get("weight").getArray(), t.get(name + "." + s + ".weight"));
        assertClose(c.stateDict().get("bias").getArray(), t.get(name + "." + s + ".bias"));
      }
    }
  }

  private static Conv2d conv(NDManager m, Map<String, Tensor> t) throws Exception {
    Conv2d c = new Conv2d(2, 3, 3, 1);
    c.init(m, 2, 5);
    StateDicts.load(
        c,
        Map.of("weight", t.get("init.weight"), "bias", t.get("init.bias")),
        "init",
        n -> n,
        true);
    return c;
  }

  private static void step(Conv2d c, Optimizer opt, NDArray x, NDArray g, int s) {
    try (NDManager batch = x.getManager().newSubManager()) {
      NDArray xb = x.duplicate();
      xb.attach(batch);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray y = c.forward(xb, true);
        gc.backward(y.mul(g).sum().mul(1f + s));
      }
      opt.step();
    }
  }

  private static NDArray array(NDManager m, Tensor t) {
    return m.create(t.toFloats(), new Shape(t.shape()));
  }

  private static void assertClose(NDArray actual, Tensor expected) {
    float[] a = actual.toFloatArray();
    float[] e = expected.toFloats();
    assertThat(a).hasSameSizeAs(e);
    for (int i = 0; i < a.length; i++) {
      assertThat((double) a[i])
          .as("element %d", i)
          .isCloseTo(e[i], org.assertj.core.data.Offset.offset(1e-6 + 1e-4 * Math.abs(e[i])));
    }
  }
}
