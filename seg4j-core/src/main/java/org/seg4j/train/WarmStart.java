package org.seg4j.train;

import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.seg4j.io.SafeTensors;
import org.seg4j.io.SafeTensors.Tensor;
import org.seg4j.io.WeightsFileException;
import org.seg4j.io.WeightsFiles;
import org.seg4j.model.Checkpoint;
import org.seg4j.model.ModelConfig;
import org.seg4j.model.SegModel;
import org.seg4j.model.encoder.EncoderWeights;
import org.seg4j.nn.StateDicts;
import org.seg4j.run.RunFolder;
import org.seg4j.run.TrainConfig;

/**
 * A new run's first weights. {@code model.encoder_weights} puts a torchvision VGG16 into the
 * encoder; {@code model.init_from} (CLI {@code --init-from}) copies a whole model from a run folder
 * (its best checkpoint, else its last), a seg4j checkpoint, a training-state file (its model part)
 * or a PyTorch state_dict with seg4j's names, in safetensors or a {@code .pth} ({@link
 * WeightsFiles}), as seed 002's "load U_net.pth if it exists" (another repository's names: import
 * it first with {@code seg4j import}). The load is strict: every tensor of the model must be in the
 * file with the same shape and the file may hold nothing else, or one error lists the missing,
 * unexpected and wrong-shape keys. With {@code model.init_partial} ({@code --init-partial}) only
 * the tensors that fit by name and shape are copied and the rest are printed, as bubbliiiing's
 * train.py loads {@code model_path}. Only weights move: the optimiser state, epochs and schedule of
 * the source are not used.
 */
final class WarmStart {
  /** Keys shown per kind of mismatch; the count tells how many there are in all. */
  private static final int SHOWN = 3;

  private WarmStart() {}

  /**
   * Checks {@code model.init_from} against {@code shapes} (a model built from the run's config,
   * initialised or not: only names and shapes are read) before the run folder is written, and
   * returns a copy of {@code cfg} whose {@code model.init_from} names the file that will be read (a
   * run folder becomes its best or last checkpoint). Without init_from, returns {@code cfg}.
   */
  public static TrainConfig check(TrainConfig cfg, SegModel shapes) throws IOException {
    boolean partial = cfg.model().initPartial();
    String from = cfg.model().initFrom();
    if (from == null) {
      if (partial) {
        throw new IllegalArgumentException(
            "config key 'model.init_partial' is true but model.init_from is not set: it only"
                + " says how to load model.init_from; add model.init_from=RUN_OR_FILE or drop"
                + " model.init_partial");
      }
      return cfg;
    }
    if (cfg.model().encoderWeights() != null) {
      throw new IllegalArgumentException(
          "config keys 'model.init_from' ("
              + from
              + ") and 'model.encoder_weights' ("
              + cfg.model().encoderWeights()
              + ") are both set: init_from loads the whole model, encoder included, so drop"
              + " model.encoder_weights (or model.init_from)");
    }
    Source s = Source.read(resolve(from));
    match(s, shapes).check(s, shapes, partial);
    return cfg.copy().set("model.init_from", TextNode.valueOf(s.file.toString()).toString());
  }

  /**
   * Loads the configured first weights ({@code model.encoder_weights}, {@code model.init_from})
   * into the initialised model and prints one line about init_from.
   */
  public static void apply(TrainConfig cfg, SegModel model, PrintStream out) throws IOException {
    String enc = cfg.model().encoderWeights();
    if (enc != null) {
      EncoderWeights.load(model, Path.of(enc));
    }
    String from = cfg.model().initFrom();
    if (from == null) {
      return;
    }
    boolean partial = cfg.model().initPartial();
    Source s = Source.read(resolve(from));
    Match m = match(s, model);
    m.check(s, model, partial);
    StateDicts.load(model, m.fit, s.file.toString(), k -> k, false);
    out.println(m.summary(s, model, partial));
  }

  /** The file {@code model.init_from} names: itself, or a run folder's best (else last). */
  static Path resolve(String from) throws IOException {
    Path p = Path.of(from);
    String what =
        ": give a run folder (runs/NAME), a seg4j checkpoint or a PyTorch state_dict saved as"
            + " .safetensors or .pth";
    if (!Files.exists(p)) {
      throw new IOException("model.init_from=" + p.toAbsolutePath() + " does not exist" + what);
    }
    if (!Files.isDirectory(p)) {
      return p;
    }
    if (!Files.exists(p.resolve(RunFolder.CONFIG))) {
      throw new IOException(
          "model.init_from="
              + p
              + " is a folder but not a seg4j run folder (no "
              + RunFolder.CONFIG
              + ")"
              + what);
    }
    for (String tag : new String[] {"best", "last"}) {
      Path f = p.resolve("checkpoints").resolve(tag + ".safetensors");
      if (Files.isRegularFile(f)) {
        return f;
      }
    }
    throw new IOException(
        "model.init_from="
            + p
            + " is a run folder without a checkpoint (checkpoints/best.safetensors or"
            + " last.safetensors): it stopped before its first epoch ended; finish it with seg4j"
            + " train resume="
            + p
            + ", or start from another run or file");
  }

  /** The tensors of an init_from file and what they are. */
  private record Source(Path file, Map<String, Tensor> tensors, String kind, ModelConfig config) {
    static Source read(Path file) throws IOException {
      SafeTensors.Contents c = WeightsFiles.read(file);
      Map<String, String> meta = c.metadata();
      String format = meta.get("format");
      if ("seg4j-train-state".equals(format)) {
        Map<String, Tensor> model = new LinkedHashMap<>();
        c.tensors()
            .forEach(
                (k, v) -> {
                  if (k.startsWith("model/")) {
                    model.put(k.substring(6), v);
                  }
                });
        return new Source(
            file,
            model,
            "training state after epoch " + meta.get("epochs_done") + ", model part",
            null);
      }
      if (Checkpoint.FORMAT.equals(format)) {
        ModelConfig mc = Checkpoint.read(file);
        StringBuilder kind = new StringBuilder("seg4j checkpoint of ").append(modelText(mc));
        if (meta.containsKey("epoch")) {
          kind.append(", epoch ").append(meta.get("epoch"));
        }
        if (meta.containsKey("val_miou")) {
          kind.append(
              String.format(
                  Locale.ROOT, ", val mIoU %.4f", Double.parseDouble(meta.get("val_miou"))));
        }
        return new Source(file, c.tensors(), kind.toString(), mc);
      }
      return new Source(file, c.tensors(), "state_dict", null);
    }
  }

  /** How the file's tensors meet the model's. */
  private record Match(
      Map<String, Tensor> fit,
      int fitParams,
      List<String> missing,
      List<String> unexpected,
      List<String> wrongShape) {

    boolean exact() {
      return missing.isEmpty() && unexpected.isEmpty() && wrongShape.isEmpty();
    }

    void check(Source s, SegModel model, boolean partial) throws WeightsFileException {
      if (exact()) {
        return;
      }
      if (partial && fitParams > 0) {
        return;
      }
      StringBuilder sb = new StringBuilder("model.init_from ").append(s.file);
      sb.append(" (").append(s.kind).append(")");
      if (partial) {
        sb.append(" has no tensor that fits this run's ").append(modelText(model.config()));
        sb.append(" by name and shape, so model.init_partial would load nothing:");
      } else {
        sb.append(" does not fit this run's ").append(modelText(model.config())).append(':');
      }
      list(sb, "with another shape", wrongShape, "\n    ");
      list(sb, "of the model missing from the file", missing, ", ");
      list(sb, "in the file but not in the model", unexpected, ", ");
      sb.append("\nBuild the model as the source was (");
      sb.append(
          s.config == null
              ? "model.arch, model.base, model.classes, in_channels, model.options"
              : "");
      sb.append(s.config == null ? "" : modelText(s.config));
      sb.append(")");
      if (!partial) {
        sb.append(", or load only the tensors that fit with model.init_partial=true");
      }
      sb.append('.');
      throw new WeightsFileException(sb.toString());
    }

    String summary(Source s, SegModel model, boolean partial) {
      int total = model.stateDict().size();
      StringBuilder sb = new StringBuilder("init: ");
      if (exact()) {
        sb.append("loaded all ").append(total).append(" tensors");
      } else {
        sb.append("loaded ").append(fitParams).append(" of ").append(total).append(" tensors");
      }
      sb.append(" from ").append(s.file).append(" (").append(s.kind).append(')');
      if (!exact()) {
        sb.append(" with model.init_partial=true; skipped:");
        list(sb, "with another shape", wrongShape, "\n    ");
        list(sb, "of the model not in the file (kept as initialised)", missing, ", ");
        list(sb, "in the file but not in the model", unexpected, ", ");
        sb.append("\n ");
      } else {
        sb.append(';');
      }
      sb.append(" optimizer state starts fresh");
      return sb.toString();
    }
  }

  private static Match match(Source s, SegModel model) {
    Map<String, Parameter> params = model.stateDict();
    Map<String, Long> extra = model.extraState();
    Map<String, Tensor> fit = new LinkedHashMap<>();
    List<String> unexpected = new ArrayList<>();
    List<String> wrongShape = new ArrayList<>();
    int fitParams = 0;
    for (Map.Entry<String, Tensor> e : s.tensors.entrySet()) {
      String k = e.getKey();
      Tensor t = e.getValue();
      if (extra.containsKey(k)) {
        if (t.numel() == 1) {
          fit.put(k, t);
        } else {
          wrongShape.add(k + " has " + t.numel() + " values in the file, the model needs 1");
        }
        continue;
      }
      Parameter p = params.get(k);
      if (p == null) {
        unexpected.add(k);
        continue;
      }
      long[] want = p.getShape().getShape();
      if (Arrays.equals(want, t.shape())) {
        fit.put(k, t);
        fitParams++;
      } else {
        wrongShape.add(
            k
                + " is "
                + Arrays.toString(t.shape())
                + " in the file, the model needs "
                + Arrays.toString(want));
      }
    }
    List<String> missing = new ArrayList<>();
    for (String k : params.keySet()) {
      if (!s.tensors.containsKey(k)) {
        missing.add(k);
      }
    }
    return new Match(fit, fitParams, missing, unexpected, wrongShape);
  }

  private static void list(StringBuilder sb, String what, List<String> keys, String sep) {
    if (keys.isEmpty()) {
      return;
    }
    sb.append("\n  ").append(keys.size()).append(keys.size() == 1 ? " tensor " : " tensors ");
    sb.append(what).append(':').append(sep.startsWith("\n") ? sep : " ");
    sb.append(String.join(sep, keys.subList(0, Math.min(SHOWN, keys.size()))));
    if (keys.size() > SHOWN) {
      sb.append(sep).append("... and ").append(keys.size() - SHOWN).append(" more");
    }
  }

  /** "unet, base 4, 1 input channel(s), 2 classes, options {depth=2}". */
  static String modelText(ModelConfig c) {
    return c.arch()
        + ", base "
        + c.base()
        + ", "
        + c.inChannels()
        + " input channel(s), "
        + c.classes()
        + " classes"
        + (c.options().isEmpty() ? "" : ", options " + c.options());
  }
}
