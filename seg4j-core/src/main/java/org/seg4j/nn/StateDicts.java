package org.seg4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.seg4j.io.SafeTensors;
import org.seg4j.io.SafeTensors.Tensor;
import org.seg4j.io.WeightsFileException;

/**
 * Moves weights between a {@link TorchBlock} and PyTorch {@code state_dict}s stored as safetensors.
 * Names map one to one; a load checks every key and shape first and lists all missing, unexpected
 * and wrong-shape keys before anything is changed.
 */
public final class StateDicts {
  private StateDicts() {}

  /** The model's tensors (and batch-norm counters) as safetensors entries, PyTorch-named. */
  public static Map<String, Tensor> export(TorchBlock model) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    Map<String, Long> extra = model.extraState();
    for (Map.Entry<String, Parameter> e : model.stateDict().entrySet()) {
      NDArray a = e.getValue().getArray();
      out.put(
          e.getKey(),
          Tensor.ofFloats(
              a.getShape().getShape(), a.toType(DataType.FLOAT32, false).toFloatArray()));
      String prefix = e.getKey().substring(0, e.getKey().lastIndexOf('.') + 1);
      String nbt = prefix + "num_batches_tracked";
      if (e.getKey().endsWith("running_var") && extra.containsKey(nbt)) {
        out.put(nbt, Tensor.ofLongs(new long[0], new long[] {extra.get(nbt)}));
      }
    }
    return out;
  }

  /** Saves the model's state_dict to a safetensors file, atomically. */
  public static void save(TorchBlock model, Path file, Map<String, String> metadata)
      throws IOException {
    SafeTensors.write(file, export(model), metadata);
  }

  /** Loads a safetensors state_dict strictly (every key, every shape). */
  public static Map<String, String> load(TorchBlock model, Path file) throws IOException {
    SafeTensors.Contents c = SafeTensors.read(file);
    load(model, c.tensors(), file.toString(), UnaryOperator.identity(), true);
    return c.metadata();
  }

  /**
   * Loads tensors into the model. {@code rename} maps a file key to a model key (null drops it).
   * When {@code strict}, missing model keys are an error; unexpected and wrong-shape keys always
   * are. The model is untouched unless everything fits.
   */
  public static void load(
      TorchBlock model,
      Map<String, Tensor> tensors,
      String source,
      UnaryOperator<String> rename,
      boolean strict)
      throws WeightsFileException {
    Map<String, Parameter> params = model.stateDict();
    Map<String, Long> extra = model.extraState();
    Map<Parameter, Tensor> plan = new LinkedHashMap<>();
    Map<String, Long> extraPlan = new LinkedHashMap<>();
    List<String> unexpected = new ArrayList<>();
    List<String> wrongShape = new ArrayList<>();
    Set<String> matched = new HashSet<>();
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      String key = rename.apply(e.getKey());
      if (key == null) {
        continue;
      }
      Tensor t = e.getValue();
      if (extra.containsKey(key)) {
        extraPlan.put(key, t.numel() == 1 ? t.toLongs()[0] : 0L);
        continue;
      }
      if (key.endsWith("num_batches_tracked")) {
        unexpected.add(e.getKey());
        continue;
      }
      Parameter p = params.get(key);
      if (p == null) {
        unexpected.add(e.getKey());
        continue;
      }
      long[] want = p.getShape().getShape();
      if (!Arrays.equals(want, t.shape())) {
        wrongShape.add(
            e.getKey()
                + " is "
                + Arrays.toString(t.shape())
                + " in the file, the model needs "
                + Arrays.toString(want));
        matched.add(key); // present, so not also "missing"
        continue;
      }
      plan.put(p, t);
      matched.add(key);
    }
    List<String> missing = new ArrayList<>();
    if (strict) {
      for (String k : params.keySet()) {
        if (!matched.contains(k)) {
          missing.add(k);
        }
      }
    }
    if (!missing.isEmpty() || !unexpected.isEmpty() || !wrongShape.isEmpty()) {
      StringBuilder sb = new StringBuilder(source).append(" does not fit the model:");
      list(sb, "missing keys", missing, ", ");
      list(sb, "unexpected keys", unexpected, ", ");
      list(sb, "wrong shapes", wrongShape, "\n    ");
      sb.append(
          "\nCheck that model.arch, model.base, in_channels and model.classes match the run"
              + " that saved it.");
      throw new WeightsFileException(sb.toString());
    }
    for (Map.Entry<Parameter, Tensor> e : plan.entrySet()) {
      NDArray a = e.getKey().getArray();
      a.set(e.getValue().toFloats());
    }
    extraPlan.forEach(model::setExtraState);
  }

  private static void list(StringBuilder sb, String what, List<String> keys, String sep) {
    if (keys.isEmpty()) {
      return;
    }
    sb.append("\n  ").append(keys.size()).append(' ').append(what).append(':');
    sb.append(sep.startsWith("\n") ? sep : " ");
    int shown = Math.min(keys.size(), 20);
    sb.append(String.join(sep, keys.subList(0, shown)));
    if (keys.size() > shown) {
      sb.append(sep).append("… (").append(keys.size() - shown).append(" more)");
    }
  }
}
