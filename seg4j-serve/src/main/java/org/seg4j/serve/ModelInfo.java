package org.seg4j.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.seg4j.api.Segmenter;
import org.seg4j.infer.Outputs;
import org.seg4j.io.SafeTensors;
import org.seg4j.model.Checkpoint;
import org.seg4j.model.ModelConfig;
import org.seg4j.run.InferenceSpec;
import org.seg4j.run.RunFolder;

/**
 * What {@code GET /v1/models/{name}} says about a model, read once when it loads: architecture,
 * input channels, classes with their colours (predict's palette), normalisation, the size it
 * trained at, and a training summary from the run folder (epochs from {@code log.csv}, best epoch
 * and its validation mIoU from the best checkpoint's metadata; null where the run does not say,
 * e.g. an imported model).
 */
final class ModelInfo {
  private ModelInfo() {}

  /** The model's description, without {@code ready} (the caller adds it). */
  static ObjectNode of(String name, Path run, Segmenter segmenter) throws IOException {
    RunFolder folder = RunFolder.existing(run);
    Path ckpt = folder.bestOrLast();
    Map<String, String> meta = SafeTensors.readMetadata(ckpt);
    ModelConfig mc = Checkpoint.read(ckpt);
    InferenceSpec spec = InferenceSpec.read(ckpt, meta, run.resolve(RunFolder.CONFIG));
    ObjectNode n = Json.object();
    n.put("name", name);
    n.put("arch", mc.arch());
    n.put("in_channels", segmenter.inChannels());
    List<String> names = segmenter.classNames();
    int[] colours = Outputs.colours(names.size());
    ArrayNode classes = n.putArray("classes");
    for (int k = 0; k < names.size(); k++) {
      ObjectNode c = classes.addObject();
      c.put("index", k);
      c.put("name", names.get(k));
      c.put("color", String.format(Locale.ROOT, "#%06x", colours[k] & 0xFFFFFF));
    }
    if (spec.normalize() == null) {
      n.putNull("normalize");
    } else {
      ObjectNode norm = n.putObject("normalize");
      ArrayNode mean = norm.putArray("mean");
      ArrayNode std = norm.putArray("std");
      for (float v : spec.normalize().mean()) {
        mean.add(v);
      }
      for (float v : spec.normalize().std()) {
        std.add(v);
      }
    }
    Map<String, String> best = ckpt.equals(folder.checkpoint("best")) ? meta : Map.of();
    training(n.putObject("training"), folder, best);
    ObjectNode input = n.putObject("input");
    if (spec.resize() == null) {
      input.putNull("trained_size");
    } else {
      input.putArray("trained_size").add(spec.resize().height()).add(spec.resize().width());
    }
    return n;
  }

  /**
   * Epochs run, the best epoch and its val mIoU ({@code best}: the best checkpoint's metadata,
   * empty without one); each null when the run does not record it.
   */
  private static void training(ObjectNode t, RunFolder folder, Map<String, String> best) {
    Integer epochs = epochsLogged(folder);
    if (epochs == null) {
      epochs = integer(metadata(folder.checkpoint("last")).get("epoch"));
    }
    put(t, "epochs", epochs);
    put(t, "best_epoch", integer(best.get("epoch")));
    Double miou = null;
    try {
      miou = best.containsKey("val_miou") ? Double.valueOf(best.get("val_miou")) : null;
    } catch (NumberFormatException e) {
      // not recorded as a number: unknown
    }
    if (miou == null || miou.isNaN()) {
      t.putNull("best_val_miou");
    } else {
      t.put("best_val_miou", miou);
    }
  }

  private static void put(ObjectNode t, String key, Integer v) {
    if (v == null) {
      t.putNull(key);
    } else {
      t.put(key, v);
    }
  }

  private static Map<String, String> metadata(Path ckpt) {
    try {
      return Files.exists(ckpt) ? SafeTensors.readMetadata(ckpt) : Map.of();
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
  }

  /** The epoch of log.csv's last row, or null without a row or with a damaged log. */
  private static Integer epochsLogged(RunFolder folder) {
    try {
      return folder.lastLoggedEpoch();
    } catch (IOException e) {
      return null;
    }
  }

  private static Integer integer(String s) {
    try {
      return s == null ? null : Integer.valueOf(s.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
