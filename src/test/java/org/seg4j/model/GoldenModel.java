package org.seg4j.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
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

/**
 * A golden fixture from tools/gen_unet_fixtures.py: the PyTorch twin's state_dict, an input and its
 * eval- and training-mode outputs; builds the seg4j model, imports the weights and compares.
 */
final class GoldenModel {
  static final double REL_TOL = 1e-4;

  final String name;
  final SafeTensors.Contents contents;
  final SegModel model;
  final NDArray input;

  GoldenModel(NDManager manager, String name) throws IOException {
    this.name = name;
    Path file =
        name.startsWith("dbg")
            ? Paths.get("/tmp/dbgfix", name + ".safetensors")
            : Paths.get("src/test/resources/golden/models", name + ".safetensors");
    contents = SafeTensors.read(file);
    Map<String, String> meta = contents.metadata();
    model = ModelRegistry.create(config(meta));
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
   * mode and in training mode (outputs and running stats).
   */
  void assertParity(NDManager manager) {
    assertThat(model.parameterCount()).as("parameters of %s", name).isEqualTo(torchParamCount());
    assertOutputs(manager, "eval", model.forwardAll(new NDList(input), false));
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

  void assertOutputs(NDManager manager, String mode, NDList out) {
    assertThat(out.size()).as("%s %s heads", name, mode).isEqualTo(heads(mode));
    for (int i = 0; i < out.size(); i++) {
      assertClose(mode + "." + i, out.get(i), array(manager, mode + "." + i));
    }
  }

  void assertClose(String what, NDArray actual, NDArray expected) {
    assertThat(actual.getShape()).as("%s %s shape", name, what).isEqualTo(expected.getShape());
    double scale = Math.max(expected.abs().max().getFloat(), 1e-6f);
    double diff = actual.sub(expected).abs().max().getFloat();
    assertThat(diff / scale)
        .as("%s %s: max |diff| %s vs max |ref| %s", name, what, diff, scale)
        .isLessThanOrEqualTo(REL_TOL);
  }
}
