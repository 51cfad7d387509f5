package org.seg4j.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.seg4j.io.SafeTensors;
import org.seg4j.io.SafeTensors.Tensor;
import org.seg4j.nn.StateDicts;
import org.seg4j.testutil.Golden;

/**
 * A golden fixture from tools/gen_unet_fixtures.py (or tools/golden_case.py): the PyTorch twin's
 * state_dict, an input and its eval- and training-mode outputs, and for the newer fixtures an input
 * gradient; builds the seg4j model, imports the weights and compares.
 */
final class GoldenModel {
  /**
   * The per-element tolerance is {@link Golden#assertParity}'s ({@code 1e-4·|ref| + atol}, {@code
   * atol = 1e-5·max|ref|}), with {@code atol} raised to {@code NOISE_FACTOR} times the twin's own
   * float32 rounding error on that tensor when that is larger (metadata {@code fp32_noise}, from a
   * float64 run; Kaiming-initialised fixtures with calibrated BN amplify rounding to about 1e-5 of
   * max|ref|).
   */
  static final double NOISE_FACTOR = 3;

  final String name;
  final SafeTensors.Contents contents;
  final SegModel model;
  final NDArray input;

  GoldenModel(NDManager manager, String name) throws IOException {
    this(manager, "models", name);
  }

  /** Reads {@code golden/<dir>/<name>.safetensors}. */
  GoldenModel(NDManager manager, String dir, String name) throws IOException {
    this(manager, dir, name, Map.of());
  }

  /**
   * Reads a fixture but builds the model with {@code key=value} in place of the fixture's option,
   * for the mutation checks (ParityMutationTest).
   */
  GoldenModel(NDManager manager, String dir, String name, String key, String value)
      throws IOException {
    this(manager, dir, name, Map.of(key, value));
  }

  private GoldenModel(NDManager manager, String dir, String name, Map<String, String> override)
      throws IOException {
    this.name = name;
    Path file = Paths.get("src/test/resources/golden", dir, name + ".safetensors");
    contents = SafeTensors.read(file);
    Map<String, String> meta = contents.metadata();
    ModelConfig config = config(meta);
    for (Map.Entry<String, String> e : override.entrySet()) {
      config = config.with(e.getKey(), e.getValue());
    }
    model = ModelRegistry.create(config);
    int cin = Integer.parseInt(meta.get("in_channels"));
    model.init(manager, cin, 32);
    StateDicts.load(
        model,
        contents.tensors(),
        file.toString(),
        k -> k.startsWith("model.") ? k.substring("model.".length()) : null,
        true);
    input = array(manager, "input");
  }

  private static ModelConfig config(Map<String, String> meta) {
    Map<String, String> options = new LinkedHashMap<>();
    Matcher m = Pattern.compile("\"([^\"]+)\": \"([^\"]*)\"").matcher(meta.get("options"));
    while (m.find()) {
      options.put(m.group(1), m.group(2));
    }
    return new ModelConfig(
        meta.get("arch"),
        Integer.parseInt(meta.get("in_channels")),
        Integer.parseInt(meta.get("classes")),
        Integer.parseInt(meta.get("base")),
        options);
  }

  long torchParamCount() {
    return Long.parseLong(contents.metadata().get("param_count"));
  }

  NDArray array(NDManager manager, String key) {
    Tensor t = contents.tensors().get(key);
    assertThat(t).as("fixture %s has %s", name, key).isNotNull();
    return manager.create(t.toFloats(), new Shape(t.shape()));
  }

  /** The number of outputs stored for a mode ("eval" or "train"). */
  int heads(String mode) {
    int n = 0;
    while (contents.tensors().containsKey(mode + "." + n)) {
      n++;
    }
    return n;
  }

  /**
   * Checks the model against its PyTorch twin: the same parameter count, then forwardAll in eval
   * mode and in training mode (outputs and running stats), and the input gradient if stored.
   * Fixtures of models with dropout store no training-mode outputs (metadata {@code train} says
   * why): their masks are random.
   */
  void assertParity(NDManager manager) {
    assertThat(model.parameterCount()).as("parameters of %s", name).isEqualTo(torchParamCount());
    assertOutputs(manager, "eval", model.forwardAll(new NDList(input), false));
    assertInputGradient(manager);
    String train = contents.metadata().getOrDefault("train", "yes");
    if (!train.equals("yes")) {
      assertThat(contents.tensors().keySet())
          .as("%s: %s", name, train)
          .noneMatch(k -> k.startsWith("train.") || k.startsWith("after."));
      return;
    }
    assertOutputs(manager, "train", model.forwardAll(new NDList(input), true));
    int checked = 0;
    int expected = 0;
    for (String k : contents.tensors().keySet()) {
      expected += k.startsWith("after.") ? 1 : 0;
    }
    for (Map.Entry<String, Parameter> e : model.stateDict().entrySet()) {
      String key = "after." + e.getKey();
      if (contents.tensors().containsKey(key)) {
        assertClose(key, e.getValue().getArray(), array(manager, key));
        checked++;
      }
    }
    assertThat(checked).as("running stats checked").isEqualTo(expected);
  }

  /**
   * If the fixture holds {@code grad.input}: dL/dinput for {@code L = sum(y · eval.0)} in eval
   * mode, with {@code y} the output: the stored eval output is the upstream gradient.
   */
  void assertInputGradient(NDManager manager) {
    if (!contents.tensors().containsKey("grad.input")) {
      return;
    }
    try (NDManager m = manager.newSubManager()) {
      NDArray x = array(m, "input");
      x.setRequiresGradient(true);
      try (GradientCollector gc = m.getEngine().newGradientCollector()) {
        NDArray y = model.forwardAll(new NDList(x), false).get(0);
        gc.backward(y.mul(array(m, "eval.0")).sum());
      }
      assertClose("grad.input", x.getGradient(), array(m, "grad.input"));
    }
  }

  void assertOutputs(NDManager manager, String mode, NDList out) {
    assertThat(out.size()).as("%s %s heads", name, mode).isEqualTo(heads(mode));
    for (int i = 0; i < out.size(); i++) {
      assertClose(mode + "." + i, out.get(i), array(manager, mode + "." + i));
    }
  }

  void assertClose(String what, NDArray actual, NDArray expected) {
    Golden.assertParity(
        actual, expected, NOISE_FACTOR * fp32Noise(what.split(" ")[0]), name + " " + what);
  }

  /** The twin's float32 rounding error on a stored result, 0 if the fixture does not say. */
  double fp32Noise(String key) {
    String json = contents.metadata().getOrDefault("fp32_noise", "{}");
    Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\": ([-+.0-9eE]+)").matcher(json);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
