package org.seg4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import me.tongfei.progressbar.ProgressBar;
import org.seg4j.data.ClassNames;
import org.seg4j.data.DatasetFactory;
import org.seg4j.data.FileDataset;
import org.seg4j.engine.Engines;
import org.seg4j.infer.InputResize;
import org.seg4j.infer.LoadedModel;
import org.seg4j.infer.PredictionMaps;
import org.seg4j.infer.SavedPredictions;
import org.seg4j.infer.TileOptions;
import org.seg4j.io.OutputFolder;
import org.seg4j.io.ProgressBars;
import org.seg4j.io.SafeTensors;
import org.seg4j.metric.Evaluator;
import org.seg4j.model.Checkpoint;
import org.seg4j.model.ModelConfig;
import org.seg4j.report.EvalReport;
import org.seg4j.report.LevelScore;
import org.seg4j.report.Ranking;
import org.seg4j.run.InferenceSpec;
import org.seg4j.run.RunFolder;
import org.seg4j.run.TrainConfig;
import org.seg4j.train.DataSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code seg4j eval}: scores a run's checkpoint on a labelled split (or another folder), or masks
 * saved earlier ({@code --predictions}), prints the per-class table and writes the report folder
 * (CSV, JSON, charts, panels, report.html). Options compare U-Net++ prune levels, choose the class
 * the best/worst panels are ranked by, and resize the input for the model.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "eval",
    description = {
      "Evaluate a trained run, or saved predictions, on a labelled split: prints per-class IoU,"
          + " recall (PA), precision, Dice and their means, and writes metrics.txt/json,"
          + " per_image_iou.csv (mIoU and one column per class), charts, best/worst panels and a"
          + " self-contained report.html into --out.",
      "Modes: --run RUN (the model); --run RUN --prune-level 1..4|all (U-Net++ levels, IoU and"
          + " img/s per level); --predictions DIR with --run RUN or --data DIR (saved masks, no"
          + " model)."
    })
final class EvalCommand implements Callable<Integer> {
  private static final List<String> SPLITS = List.of("val", "test", "train");

  /** Options that need a model, refused with --predictions. */
  private static final List<String> MODEL_ONLY =
      List.of(
          "--checkpoint",
          "--prune-level",
          "--resize",
          "--letterbox",
          "--tile",
          "--overlap",
          "--blend",
          "--flip-tta",
          "--threshold",
          "--tile-batch",
          "--device",
          "--threads");

  @Spec CommandSpec spec;

  @Option(
      names = "--run",
      description =
          "the run folder (runs/NAME); with --predictions only its data, split and class names"
              + " are used")
  Path run;

  @Option(
      names = "--predictions",
      paramLabel = "DIR",
      description =
          "evaluate masks saved in DIR instead of running a model: {id}_mask.png (as seg4j"
              + " predict writes), {id}.png, {id}_seg.png or {id}_view.png, holding class indices"
              + " (0/255 for two classes); give --run RUN, or --data DIR with --mask and --classes")
  Path predictions;

  @Option(
      names = "--skip-missing",
      description =
          "with --predictions: evaluate only the images that have a saved mask and list the"
              + " others, instead of failing")
  boolean skipMissing;

  @Option(
      names = "--checkpoint",
      description = "best, last or a checkpoint file (default: best, else last)")
  String checkpoint;

  @Option(
      names = "--split",
      defaultValue = "val",
      description = "val, test or train: the ids of data.<split> in the run's config.yml")
  String split;

  @Option(names = "--data", description = "evaluate on this dataset folder instead (data.root)")
  String data;

  @Option(names = "--mask", description = "mask codec: index, binary255, threshold:N, palette, rgb")
  String mask;

  @Option(names = "--list", description = "ids file selecting the images to evaluate")
  String list;

  @Option(
      names = "--classes",
      description =
          "expected number of classes (must match the run's model); without --run, the number"
              + " of classes of the saved predictions")
  Integer classes;

  @Option(
      names = "--out",
      description = "report folder (default: runs/NAME/eval_<split>; DIR/eval for --predictions)")
  Path out;

  @Option(
      names = {"-s", "--set"},
      description = "override a data key of the run's config, e.g. --set data.images=imgs")
  Map<String, String> set = new LinkedHashMap<>();

  @Option(
      names = "--prune-level",
      paramLabel = "LEVEL",
      description =
          "U-Net++ trained with deep supervision: evaluate the network pruned at level 1..4 (4 is"
              + " the full network), or all to compare every level; the report gets IoU and img/s"
              + " per level")
  String pruneLevel;

  @Option(
      names = "--rank-class",
      paramLabel = "CLASS",
      description =
          "rank the best/worst panels by this class's per-image IoU: a name, an index or miou"
              + " (default: the foreground of a binary run, miou otherwise); images where the"
              + " class is in neither truth nor prediction are not ranked")
  String rankClass;

  @Mixin ResizeOptions resizing;

  @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu")
  String device;

  @Option(names = "--threads", defaultValue = "0", description = "libtorch threads (0: all)")
  int threads;

  @Option(names = "--no-progress", description = "no progress bar (for logs)")
  boolean noProgress;

  @Mixin InferenceOptions inference;

  @Override
  public Integer call() throws Exception {
    if (!SPLITS.contains(split)) {
      throw new IllegalArgumentException(
          "--split " + split + " is not known: use val, test or train");
    }
    if (predictions != null) {
      return savedPredictions();
    }
    if (skipMissing) {
      throw new IllegalArgumentException(
          "--skip-missing applies to --predictions DIR only: drop it, or evaluate saved masks");
    }
    if (run == null) {
      throw new IllegalArgumentException(
          "give --run RUN to evaluate a trained run, or --predictions DIR (with --run RUN or"
              + " --data DIR) to evaluate saved masks");
    }
    List<Integer> levels = levels(pruneLevel);
    RunFolder rf = RunFolder.existing(run);
    Path ckpt = checkpointFile(rf);
    ModelConfig mc = Checkpoint.read(ckpt);
    checkPrunable(mc, rf, levels);
    int k = Math.max(2, mc.classes());
    if (classes != null && classes != mc.classes() && classes != k) {
      throw new IllegalArgumentException(
          "--classes "
              + classes
              + " differs from the run's model: "
              + ckpt
              + " predicts "
              + mc.classes()
              + " classes; drop --classes or evaluate a run trained with "
              + classes);
    }
    TrainConfig cfg = dataConfig(rf);
    List<String> notes = new ArrayList<>();
    InferenceSpec spec = InferenceSpec.read(ckpt, SafeTensors.readMetadata(ckpt), rf.config());
    InputResize rs = resizing.choose(InputResize.trainedAt(spec), notes);
    checkDeclaredClasses(cfg, k, ckpt);
    cfg.set("model.classes", Integer.toString(k));
    DataSetup.Checked checked = DataSetup.check(cfg, split, true);
    FileDataset ds = checked.data();
    notes.addAll(checked.remarks("split " + split, true, new HashSet<>()));
    List<String> names = classNames(ds, k);
    int rank = rankClass == null ? Ranking.defaultClass(k) : Ranking.parse(rankClass, names);
    TileOptions opts = inference.options();
    Path dir = out != null ? out : rf.dir().resolve("eval_" + split);
    OutputFolder.ensure(dir, "report folder", "--out"); // before the long pass
    String how = describe(opts) + (rs == null ? "" : ", " + rs.describe());
    if (!levels.isEmpty()) {
      how += levels.size() == 1 ? ", U-Net++ level " + levels.get(0) : ", U-Net++ levels 1-4";
    }
    EvalReport.Context ctx =
        new EvalReport.Context(
            rf.dir().toAbsolutePath().normalize().getFileName().toString(),
            describe(rf, ckpt),
            split,
            ds.root().toString(),
            how,
            rf.log());
    notes.forEach(System.out::println);
    Engines.setThreads(threads);
    EvalReport.Result r;
    try (LoadedModel seg = LoadedModel.fromRun(rf.dir(), ckpt, device, opts)) {
      seg.setInputResize(rs);
      Evaluator.MaskSource src = modelSource(seg, k);
      List<LevelScore> rows = new ArrayList<>();
      Evaluator main = null;
      try (ProgressBar bar = progress(ds.size() * Math.max(1, levels.size()))) {
        int passes = Math.max(1, levels.size());
        for (int pass = 0; pass < passes; pass++) {
          int offset = pass * ds.size();
          IntConsumer step = stepper(bar, offset);
          if (levels.isEmpty()) {
            main = score(src, ds, k, ctx, step);
            continue;
          }
          int level = levels.get(pass);
          seg.setPruneLevel(level);
          src.predict(0, ds.get(0)); // warm-up at this level, not timed
          main = score(src, ds, k, ctx, step);
          rows.add(
              new LevelScore(
                  level,
                  main.metrics(names),
                  main.meanPerImageIoU(),
                  main.images(),
                  main.seconds()));
        }
      }
      System.out.println(
          "run "
              + ctx.run()
              + ", "
              + ctx.checkpoint()
              + ", split "
              + split
              + ", "
              + ds.size()
              + " images");
      // the numbers first: a report that cannot be written (a full disk) still shows them
      System.out.print(EvalReport.table(main, names, rows));
      r = writeReport(src, ds, names, ctx, dir, main, rank, rows, notes);
    }
    print(r);
    return 0;
  }

  private static void print(EvalReport.Result r) {
    System.out.println("panels: " + r.ranking().describe());
    System.out.println("report: " + r.html().toAbsolutePath().normalize());
  }

  /** The levels of --prune-level: none, one, or 1..4 for all. */
  private static List<Integer> levels(String value) {
    if (value == null) {
      return List.of();
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("all")) {
      return List.of(1, 2, 3, 4);
    }
    if (v.matches("[1-4]")) {
      return List.of(Integer.parseInt(v));
    }
    throw new IllegalArgumentException(
        "--prune-level " + value + " is not a level: use 1, 2, 3, 4 (the full network) or all");
  }

  /** Refuses prune levels for a model that has no pruned heads, before anything is predicted. */
  private static void checkPrunable(ModelConfig mc, RunFolder rf, List<Integer> levels) {
    if (levels.isEmpty()) {
      return;
    }
    String flag = "--prune-level " + (levels.size() == 1 ? levels.get(0) : "all");
    if (!mc.arch().equals("nested-unet")) {
      throw new IllegalArgumentException(
          flag
              + ": only U-Net++ (nested-unet) trained with deep supervision has prune levels, but "
              + rf.dir()
              + " is a "
              + mc.arch()
              + ": drop --prune-level");
    }
    if (!mc.boolOption("deep_supervision", false)) {
      throw new IllegalArgumentException(
          flag
              + ": "
              + rf.dir()
              + " is a nested-unet without deep supervision, so it has one head (final) and"
              + " cannot be pruned: drop --prune-level, or train with model.options"
              + " {deep_supervision: true}");
    }
  }

  /** --predictions: scores saved masks against the labelled images; no model is loaded. */
  private Integer savedPredictions() throws IOException {
    for (String o : MODEL_ONLY) {
      if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
        throw new IllegalArgumentException(
            o
                + " needs a model, but --predictions "
                + predictions
                + " evaluates saved masks: drop "
                + o
                + ", or evaluate the run's model without --predictions");
      }
    }
    TrainConfig cfg;
    String runName;
    Path log = null;
    String splitName = split;
    int k;
    if (run != null) {
      RunFolder rf = RunFolder.existing(run);
      cfg = dataConfig(rf);
      int modelClasses = Math.max(2, cfg.model().classes());
      if (classes != null && Math.max(2, classes) != modelClasses) {
        throw new IllegalArgumentException(
            "--classes "
                + classes
                + " differs from the run: "
                + rf.config()
                + " has model.classes "
                + cfg.model().classes()
                + "; drop --classes");
      }
      k = modelClasses;
      checkDeclaredClasses(cfg, k, rf.config());
      cfg.set("model.classes", Integer.toString(k));
      runName = rf.dir().toAbsolutePath().normalize().getFileName().toString();
      log = rf.log();
    } else {
      if (data == null) {
        throw new IllegalArgumentException(
            "--predictions "
                + predictions
                + " needs the labelled images to score against: give --data DIR (with --mask"
                + " CODEC and --classes K as needed), or --run RUN to use the run's data");
      }
      cfg = TrainConfig.defaults();
      cfg.set("data.root", Path.of(data).toAbsolutePath().normalize().toString());
      cfg.set("data.image_pattern", null);
      cfg.set("data.mask_pattern", null);
      cfg.set("data.channels", "0");
      cfg.setIf("data.mask", mask);
      String key = "data." + split;
      if (list != null) {
        cfg.set(key, Path.of(list).toAbsolutePath().normalize().toString());
      }
      set.forEach(cfg::set);
      cfg.warnings().forEach(w -> System.out.println(Hints.adapt("note: " + w, spec)));
      cfg.set("model.classes", classes == null ? "0" : Integer.toString(Math.max(2, classes)));
      splitName = cfg.str(key) == null ? "all images" : split;
      runName = predictions.toAbsolutePath().normalize().getFileName().toString();
      k = -1;
    }
    DataSetup.Checked checked = DataSetup.check(cfg, split, true);
    FileDataset ds = checked.data();
    if (k < 0) {
      k = savedClasses(ds);
    }
    List<String> names = classNames(ds, k);
    int rank = rankClass == null ? Ranking.defaultClass(k) : Ranking.parse(rankClass, names);
    SavedPredictions saved = new SavedPredictions(predictions, k);
    List<String> notes =
        new ArrayList<>(checked.remarks("split " + splitName, true, new HashSet<>()));
    List<Integer> keep = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    int firstMissing = -1;
    for (int i = 0; i < ds.size(); i++) {
      Path f = saved.find(ds.id(i), stem(ds.imagePath(i)));
      if (f == null) {
        missing.add(ds.id(i));
        firstMissing = firstMissing < 0 ? i : firstMissing;
      } else {
        keep.add(i);
        files.add(f);
      }
    }
    if (!missing.isEmpty()) {
      String first = missing.get(0);
      String tried = String.join(", ", saved.candidates(first, stem(ds.imagePath(firstMissing))));
      if (!skipMissing || keep.isEmpty()) {
        throw new IllegalArgumentException(
            predictions
                + " has no prediction for id "
                + first
                + " (looked for "
                + tried
                + ")"
                + (missing.size() > 1 ? " nor for " + (missing.size() - 1) + " other id(s)" : "")
                + (keep.isEmpty()
                    ? ": no image has a saved mask there; check the folder and the names"
                    : ": pass --skip-missing to evaluate the "
                        + keep.size()
                        + " image(s) that have one, or save the missing masks with seg4j predict"
                        + " --output "
                        + predictions));
      }
      notes.add(
          "Skipped "
              + missing.size()
              + " of "
              + ds.size()
              + " images without a saved prediction in "
              + predictions
              + ": "
              + String.join(", ", missing.subList(0, Math.min(10, missing.size())))
              + (missing.size() > 10 ? ", ..." : "")
              + ".");
      ds = ds.subset(keep);
    }
    Path dir = out != null ? out : predictions.resolve("eval");
    OutputFolder.ensure(dir, "report folder", "--out");
    EvalReport.Context ctx =
        new EvalReport.Context(
            runName,
            "none (saved predictions)",
            splitName,
            ds.root().toString(),
            "saved masks from " + predictions.toAbsolutePath().normalize(),
            log);
    notes.forEach(System.out::println);
    Evaluator.MaskSource src = (i, s) -> saved.read(files.get(i), s.width(), s.height());
    Evaluator scores;
    try (ProgressBar bar = progress(ds.size())) {
      scores = score(src, ds, k, ctx, stepper(bar, 0));
    }
    System.out.println(
        "saved predictions " + predictions + ", split " + splitName + ", " + ds.size() + " images");
    // the numbers first: a report that cannot be written (a full disk) still shows them
    System.out.print(EvalReport.table(scores, names, List.of()));
    EvalReport.Result r = writeReport(src, ds, names, ctx, dir, scores, rank, List.of(), notes);
    print(r);
    return 0;
  }

  /** The class count of saved predictions without a run: the dataset's, else 2 for binary masks. */
  private int savedClasses(FileDataset ds) {
    if (ds.numClasses() > 0) {
      return Math.max(2, ds.numClasses());
    }
    String codec = ds.codec().name();
    if (codec.startsWith("binary") || codec.startsWith("threshold")) {
      return 2;
    }
    throw new IllegalArgumentException(
        "--predictions "
            + predictions
            + ": the number of classes is not known ("
            + ds.root()
            + " has no classes.txt and --mask "
            + codec
            + " does not fix it): give --classes K");
  }

  private static String stem(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  private Path checkpointFile(RunFolder rf) throws IOException {
    if (checkpoint == null) {
      return rf.bestOrLast();
    }
    if (checkpoint.equals("best") || checkpoint.equals("last")) {
      Path f = rf.checkpoint(checkpoint);
      if (!Files.isRegularFile(f)) {
        throw new IOException(
            rf.dir()
                + " has no checkpoints/"
                + checkpoint
                + ".safetensors: "
                + (checkpoint.equals("best")
                    ? "the run never validated; use --checkpoint last"
                    : "the run stopped before its first epoch ended; train it again"));
      }
      return f;
    }
    Path f = Path.of(checkpoint);
    if (!Files.isRegularFile(f)) {
      throw new IOException(
          "--checkpoint " + checkpoint + " does not exist: give best, last or a .safetensors file");
    }
    return f;
  }

  /** The run's config with the data overrides of this command applied. */
  private TrainConfig dataConfig(RunFolder rf) {
    TrainConfig cfg = TrainConfig.load(rf.config());
    String key = "data." + split;
    if (data != null) {
      // absolute: the data section resolves its folders against the root once more
      cfg.set("data.root", Path.of(data).toAbsolutePath().normalize().toString());
      cfg.set(key, null);
    }
    cfg.setIf("data.mask", mask);
    if (list != null) {
      cfg.set(key, Path.of(list).toAbsolutePath().normalize().toString());
    }
    set.forEach(cfg::set);
    cfg.warnings().forEach(w -> System.out.println(Hints.adapt("note: " + w, spec)));
    if (cfg.str(key) == null && data == null && !split.equals("train")) {
      throw new IllegalArgumentException(
          rf.config()
              + " has no "
              + key
              + " (it is null): set "
              + key
              + " there (a range like 20..23 or an ids file), give --list FILE, or evaluate"
              + " another folder with --data DIR");
    }
    return cfg;
  }

  /** Fails when the dataset declares (classes file, format) a class count the model lacks. */
  private void checkDeclaredClasses(TrainConfig cfg, int k, Path ckpt) {
    TrainConfig undeclared = cfg.copy().set("model.classes", "0");
    FileDataset declared = DatasetFactory.open(DataSetup.spec(undeclared));
    int n = declared.numClasses();
    if (n > 0 && n != k) {
      throw new IllegalArgumentException(
          "the dataset "
              + declared.root()
              + " declares "
              + n
              + " classes ("
              + String.join(", ", declared.classNames().names())
              + ") but the run's model "
              + ckpt
              + " predicts "
              + k
              + ": evaluate on data with the run's classes, or fix the dataset's classes.txt");
    }
  }

  private static List<String> classNames(FileDataset ds, int k) {
    List<String> names = ds.classNames().names();
    if (names.size() == k) {
      return names;
    }
    return ClassNames.numbered(k).names();
  }

  private static String describe(RunFolder rf, Path ckpt) throws IOException {
    Path abs = ckpt.toAbsolutePath().normalize();
    Path dir = rf.dir().toAbsolutePath().normalize();
    String name = abs.startsWith(dir) ? dir.relativize(abs).toString() : abs.toString();
    String epoch = SafeTensors.readMetadata(ckpt).get("epoch");
    return epoch == null ? name : name + " (epoch " + epoch + ")";
  }

  private static String describe(TileOptions o) {
    String base =
        o.tile() == 0
            ? "whole image"
            : String.format(
                Locale.ROOT,
                "tiles %d, overlap %.2f, %s blending",
                o.tile(),
                o.overlap(),
                o.blend().name().toLowerCase(Locale.ROOT));
    return o.flipTta() ? base + ", flip TTA" : base;
  }

  /** Predicts every image of {@code ds} once with {@code src} and scores it. */
  private static Evaluator score(
      Evaluator.MaskSource src, FileDataset ds, int k, EvalReport.Context ctx, IntConsumer step)
      throws IOException {
    return Evaluator.score(src, ds, k, ds.ignoreIndex(), ctx.split(), ctx.dataset(), step);
  }

  /** A model as a mask source, checking that it predicts {@code classes} classes. */
  static Evaluator.MaskSource modelSource(LoadedModel segmenter, int classes) {
    return (i, s) -> {
      PredictionMaps p = segmenter.predict(s);
      if (p.classes() != classes) {
        throw new IllegalArgumentException(
            "the model predicts "
                + p.classes()
                + " classes but "
                + classes
                + " class names were given: evaluate with the run's own classes");
      }
      return p.mask();
    };
  }

  /** Progress callback that moves {@code bar} (when shown) to {@code offset} + images done. */
  private static IntConsumer stepper(ProgressBar bar, int offset) {
    return done -> {
      if (bar != null) {
        bar.stepTo(offset + done);
      }
    };
  }

  /**
   * Writes the report of {@code scores} into {@code dir}; rows are the per-level scores, if any.
   */
  private static EvalReport.Result writeReport(
      Evaluator.MaskSource src,
      FileDataset ds,
      List<String> names,
      EvalReport.Context ctx,
      Path dir,
      Evaluator scores,
      int rank,
      List<LevelScore> rows,
      List<String> notes)
      throws IOException {
    return EvalReport.write(
        src,
        ds,
        names,
        ds.ignoreIndex(),
        ctx,
        dir,
        scores,
        new EvalReport.Options(rank, rows, notes));
  }

  private ProgressBar progress(int max) {
    if (noProgress) {
      return null;
    }
    return ProgressBars.builder("eval", max).setUpdateIntervalMillis(500).build();
  }
}
