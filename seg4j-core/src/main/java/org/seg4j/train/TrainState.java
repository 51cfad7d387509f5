package org.seg4j.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.seg4j.io.SafeTensors;
import org.seg4j.io.SafeTensors.Tensor;
import org.seg4j.model.SegModel;
import org.seg4j.nn.StateDicts;
import org.seg4j.train.optim.Optimizer;

/**
 * Everything needed to resume a run exactly, in one atomically written file ({@code
 * checkpoints/last.train.safetensors}): model tensors ({@code model/…}), optimiser state ({@code
 * optim/…}), and in the metadata the epochs done, best score, early-stopping count and schedule
 * state. The data order and augmentation follow from (seed, epoch), so they need no state.
 *
 * @param epochsDone epochs completed
 * @param bestMiou best validation mIoU so far (NaN before the first validation)
 * @param badValidations validations since the last improvement
 * @param schedule the schedule's own state
 */
record TrainState(
    int epochsDone, double bestMiou, int badValidations, Map<String, Double> schedule) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Writes the state, the model and the optimiser to one file, atomically. */
  public void save(Path file, SegModel model, Optimizer opt) throws IOException {
    Map<String, Tensor> t = new LinkedHashMap<>();
    StateDicts.export(model).forEach((k, v) -> t.put("model/" + k, v));
    opt.exportState().forEach((k, v) -> t.put("optim/" + k, v));
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", "seg4j-train-state");
    meta.put("epochs_done", Integer.toString(epochsDone));
    meta.put("best_miou", Double.toString(bestMiou));
    meta.put("bad_validations", Integer.toString(badValidations));
    meta.put("schedule", JSON.writeValueAsString(schedule));
    SafeTensors.write(file, t, meta);
  }

  /** Reads a state file into the model and optimiser and returns the counters. */
  public static TrainState load(Path file, SegModel model, Optimizer opt) throws IOException {
    SafeTensors.Contents c = SafeTensors.read(file);
    if (!"seg4j-train-state".equals(c.metadata().get("format"))) {
      throw new IOException(
          file
              + " is not a seg4j training state file: resume needs the run's"
              + " checkpoints/last.train.safetensors");
    }
    Map<String, Tensor> modelT = new LinkedHashMap<>();
    Map<String, Tensor> optT = new LinkedHashMap<>();
    c.tensors()
        .forEach(
            (k, v) -> {
              if (k.startsWith("model/")) {
                modelT.put(k.substring(6), v);
              } else if (k.startsWith("optim/")) {
                optT.put(k.substring(6), v);
              }
            });
    StateDicts.load(model, modelT, file.toString(), n -> n, true);
    opt.importState(optT);
    Map<String, String> m = c.metadata();
    try {
      return new TrainState(
          Integer.parseInt(m.get("epochs_done")),
          Double.parseDouble(m.get("best_miou")),
          Integer.parseInt(m.get("bad_validations")),
          JSON.readValue(m.get("schedule"), new TypeReference<Map<String, Double>>() {}));
    } catch (RuntimeException e) {
      throw new IOException(file + " has damaged metadata (" + e.getMessage() + "): train anew");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
