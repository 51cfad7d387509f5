package org.seg4j.run;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.seg4j.augment.Normalize;
import org.seg4j.engine.Engines;
import org.seg4j.io.SafeTensors.Tensor;
import org.seg4j.io.WeightsFiles;
import org.seg4j.model.Checkpoint;
import org.seg4j.model.ModelConfig;
import org.seg4j.model.ModelRegistry;
import org.seg4j.model.SegModel;
import org.seg4j.model.imports.FileShapes;
import org.seg4j.model.imports.ImportFormat;
import org.seg4j.model.imports.ImportFormats;

/**
 * {@code seg4j import}: turns a PyTorch state_dict from another repository ({@code .pth} or
 * safetensors, see {@link ImportFormats}) into a run folder that eval, predict and the Java API use
 * like a trained run: {@code config.yml} and {@code checkpoints/best} and {@code last} with the
 * same metadata a trained run's have ({@link InferenceSpec}), plus {@code imported_from} and {@code
 * import_format}. Everything is checked before anything is written, and the folder is written
 * beside the target and renamed into place, so a failure leaves no partial run.
 */
public final class ImportedRun {
  /**
   * What to import.
   *
   * @param weights the .pth or safetensors file
   * @param format the {@code --from} format
   * @param arch the seg4j architecture
   * @param options its options ({@code -O})
   * @param classes the head's classes, or 0 to read them from the file
   * @param inChannels the input channels, or 0 to read them from the file
   * @param normalize the {@code normalize} config value as YAML ({@code {preset: imagenet}}, {@code
   *     null} for none), or absent (Java null) for the format's repository default
   * @param classNames the class names, or empty for numbered ones
   * @param out the run folder to create
   * @param overwrite whether an existing run folder at {@code out} is replaced
   */
  public record Request(
      Path weights,
      String format,
      String arch,
      Map<String, String> options,
      int classes,
      int inChannels,
      String normalize,
      List<String> classNames,
      Path out,
      boolean overwrite) {}

  private ImportedRun() {}

  /**
   * Creates the run folder and returns what was done, one line each.
   *
   * @throws IOException or IllegalArgumentException naming the file, the value and the fix
   */
  public static List<String> create(Request r) throws IOException {
    ImportFormat format = ImportFormats.of(r.format());
    ModelRegistry.entry(r.arch());
    checkOut(r);
    Map<String, Tensor> tensors = WeightsFiles.read(r.weights()).tensors();
    format.checkArch(r.arch(), tensors.keySet());
    ModelConfig mc = config(r, FileShapes.of(tensors));
    TrainConfig cfg = runConfig(r, format, mc);
    InferenceSpec spec = InferenceSpec.of(cfg, classNames(r, mc));
    List<String> lines = new ArrayList<>();
    Engine.getInstance().setRandomSeed(0);
    try (NDManager m = NDManager.newBaseManager(Engines.device("cpu"))) {
      SegModel model = ModelRegistry.create(mc);
      model.init(m, mc.inChannels(), model.nearestSide(64));
      List<String> notes = format.load(model, tensors, r.weights());
      Map<String, String> meta = new LinkedHashMap<>(spec.toMetadata());
      meta.put("imported_from", r.weights().toAbsolutePath().normalize().toString());
      meta.put("import_format", format.name());
      write(r, cfg, model, meta);
      lines.add(
          "imported "
              + r.weights()
              + " ("
              + format.name()
              + " names, "
              + tensors.size()
              + " tensors) into "
              + r.out()
              + ": "
              + mc.arch()
              + ", base "
              + mc.base()
              + ", "
              + mc.inChannels()
              + " input channel(s), "
              + mc.classes()
              + " classes"
              + (mc.options().isEmpty() ? "" : ", options " + mc.options()));
      lines.add(
          "normalize: "
              + (spec.normalize() == null ? "none (pixels in [0, 1])" : cfg.at("normalize"))
              + (r.normalize() == null && format.normalize() != null
                  ? (spec.normalize() == null
                      ? " (" + format.name() + " trains RGB models with " + format.normalize() + ")"
                      : " (what " + format.name() + " trains with)")
                  : ""));
      notes.forEach(n -> lines.add("note: " + n));
    }
    return lines;
  }

  /** Refuses an existing {@code --out} unless overwriting a run folder. */
  private static void checkOut(Request r) {
    Path out = r.out();
    if (!Files.exists(out)) {
      return;
    }
    if (!r.overwrite()) {
      throw new IllegalArgumentException(
          "out="
              + out
              + " already exists: pick another out=RUN, or replace that run with"
              + " overwrite=true");
    }
    if (!Files.isRegularFile(out.resolve(RunFolder.CONFIG))) {
      throw new IllegalArgumentException(
          out
              + " exists and is not a seg4j run folder (no "
              + RunFolder.CONFIG
              + "): overwrite=true replaces run folders only; pick another out=RUN");
    }
  }

  /** The model config: the request's values, else the file's shapes; a mismatch names both. */
  private static ModelConfig config(Request r, FileShapes s) {
    int in = pick(r.inChannels(), s.inChannels(), "in_channels", s.firstConv(), "input channels");
    int classes = pick(r.classes(), s.classes(), "model.classes", s.head(), "output channels");
    if (in == 0) {
      throw new IllegalArgumentException(
          r.weights() + " has no conv weight to read the input channels from: give in_channels=N");
    }
    if (classes == 0) {
      throw new IllegalArgumentException(
          r.weights()
              + " has no 1x1 head conv to read the classes from (a classification backbone): give"
              + " model.classes=K");
    }
    return new ModelConfig(r.arch(), in, classes, s.base() == 0 ? 32 : s.base(), r.options());
  }

  private static int pick(int given, int inFile, String key, String file, String what) {
    if (given != 0 && inFile != 0 && given != inFile) {
      throw new IllegalArgumentException(
          key
              + "="
              + given
              + " does not match the weights: "
              + file
              + " has "
              + inFile
              + " "
              + what
              + "; give "
              + key
              + "="
              + inFile
              + " or leave it out (the file's is used), or import the file it was meant for");
    }
    return given != 0 ? given : inFile;
  }

  private static List<String> classNames(Request r, ModelConfig mc) {
    int k = Math.max(2, mc.classes());
    if (!r.classNames().isEmpty() && r.classNames().size() != k) {
      throw new IllegalArgumentException(
          "the "
              + r.classNames().size()
              + " class names do not fit the model, which predicts "
              + k
              + " classes"
              + (mc.classes() == 1 ? " (a 1-logit sigmoid head: background and foreground)" : "")
              + ": give "
              + k
              + " names, comma-separated");
    }
    return r.classNames();
  }

  /** The run's config.yml: the defaults with the model, channels and normalisation set. */
  private static TrainConfig runConfig(Request r, ImportFormat f, ModelConfig mc) {
    TrainConfig cfg = TrainConfig.defaults();
    String name = r.out().toAbsolutePath().normalize().getFileName().toString();
    cfg.set("name", TextNode.valueOf(name).toString());
    cfg.set("data.channels", String.valueOf(mc.inChannels()));
    cfg.set("model.arch", TextNode.valueOf(mc.arch()).toString());
    cfg.set("model.base", String.valueOf(mc.base()));
    cfg.set("model.classes", String.valueOf(mc.classes()));
    StringBuilder options = new StringBuilder("{");
    mc.options()
        .forEach(
            (k, v) ->
                options
                    .append(options.length() > 1 ? ", " : "")
                    .append(TextNode.valueOf(k))
                    .append(": ")
                    .append(TextNode.valueOf(v)));
    cfg.set("model.options", options.append('}').toString());
    // the repository's preset (imagenet: 3 values) is the default for RGB models only
    boolean preset = f.normalize() != null && mc.inChannels() == 3;
    cfg.set(
        "normalize",
        r.normalize() != null
            ? r.normalize()
            : preset ? "{preset: " + f.normalize() + "}" : "null");
    Normalize n = cfg.augmentConfig().normalize(); // a bad normalize fails here, naming it
    if (n != null && n.mean().length != mc.inChannels()) {
      throw new IllegalArgumentException(
          "the normalisation "
              + cfg.at("normalize")
              + " has "
              + n.mean().length
              + " values but the model takes "
              + mc.inChannels()
              + " input channel(s): give a mean and std of "
              + mc.inChannels()
              + " value(s) each, or normalize=none");
    }
    return cfg;
  }

  /**
   * Writes the folder beside {@code out}, then renames it into place. A run being trained in {@code
   * out} is refused by the lock, held (unread, hence the suppression) while it moves.
   */
  @SuppressWarnings("try")
  private static void write(Request r, TrainConfig cfg, SegModel model, Map<String, String> meta)
      throws IOException {
    Path out = r.out().toAbsolutePath().normalize();
    Files.createDirectories(out.getParent());
    Path tmp = Files.createTempDirectory(out.getParent(), "." + out.getFileName() + ".import-");
    Path old = null;
    try {
      RunFolder run = RunFolder.at(tmp);
      run.writeConfig(cfg.toYaml());
      Checkpoint.save(run.checkpoint("best"), model, meta);
      Checkpoint.save(run.checkpoint("last"), model, meta);
      if (Files.exists(out)) {
        try (RunLock lock = RunLock.take(out)) {
          old = Files.createTempDirectory(out.getParent(), "." + out.getFileName() + ".old-");
          Files.move(out, old.resolve("run"), StandardCopyOption.ATOMIC_MOVE);
        }
      }
      try {
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        if (old != null) { // put the replaced run back
          Files.move(old.resolve("run"), out, StandardCopyOption.ATOMIC_MOVE);
        }
        throw e;
      }
      if (old != null) {
        deleteTree(old);
      }
    } finally {
      deleteTree(tmp);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
