package org.seg4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.seg4j.data.DatasetFactory;
import org.seg4j.data.FileDataset;
import org.seg4j.engine.Engines;
import org.seg4j.infer.PredictOptions;
import org.seg4j.infer.Segmenter;
import org.seg4j.io.SafeTensors;
import org.seg4j.model.Checkpoint;
import org.seg4j.model.ModelConfig;
import org.seg4j.report.EvalReport;
import org.seg4j.train.DataSetup;
import org.seg4j.train.RunFolder;
import org.seg4j.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code seg4j eval}: scores a run's checkpoint on a labelled split (or another folder), prints the
 * per-class table and writes the report folder (CSV, JSON, charts, panels, report.html).
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "eval",
    description = {
      "Evaluate a trained run on a labelled split: prints per-class IoU, recall (PA), precision,"
          + " Dice and their means, and writes metrics.txt/json, per_image_iou.csv, charts,"
          + " best/worst panels and a self-contained report.html into --out."
    })
final class EvalCommand implements Callable<Integer> {
  private static final List<String> SPLITS = List.of("val", "test", "train");

  @Option(names = "--run", required = true, description = "the run folder (runs/NAME)")
  Path run;

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
      description = "expected number of classes (must match the run's model)")
  Integer classes;

  @Option(names = "--out", description = "report folder (default: runs/NAME/eval_<split>)")
  Path out;

  @Option(
      names = {"-s", "--set"},
      description = "override a data key of the run's config, e.g. --set data.images=imgs")
  Map<String, String> set = new LinkedHashMap<>();

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
    RunFolder rf = RunFolder.existing(run);
    Path ckpt = checkpointFile(rf);
    ModelConfig mc = Checkpoint.read(ckpt);
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
    checkDeclaredClasses(cfg, k, ckpt);
    cfg.set("model.classes", Integer.toString(k));
    FileDataset ds = DataSetup.open(cfg, split, true);
    List<String> names = classNames(ds, k);
    PredictOptions opts = inference.options();
    Path dir = out != null ? out : rf.dir().resolve("eval_" + split);
    EvalReport.Context ctx =
        new EvalReport.Context(
            rf.dir().toAbsolutePath().normalize().getFileName().toString(),
            describe(rf, ckpt),
            split,
            ds.root().toString(),
            describe(opts),
            rf.log());
    Engines.setThreads(threads);
    EvalReport.Result r;
    try (Segmenter seg = Segmenter.fromRun(rf.dir(), ckpt, device, opts);
        ProgressBar bar = progress(ds.size())) {
      r =
          EvalReport.run(
              seg,
              ds,
              names,
              ds.ignoreIndex(),
              ctx,
              dir,
              done -> {
                if (bar != null) {
                  bar.stepTo(done);
                }
              });
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
    System.out.print(r.table());
    System.out.println("report: " + r.html().toAbsolutePath().normalize());
    return 0;
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
    List<String> numbered = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      numbered.add(Integer.toString(i));
    }
    return numbered;
  }

  private static String describe(RunFolder rf, Path ckpt) throws IOException {
    Path abs = ckpt.toAbsolutePath().normalize();
    Path dir = rf.dir().toAbsolutePath().normalize();
    String name = abs.startsWith(dir) ? dir.relativize(abs).toString() : abs.toString();
    String epoch = SafeTensors.readMetadata(ckpt).get("epoch");
    return epoch == null ? name : name + " (epoch " + epoch + ")";
  }

  private static String describe(PredictOptions o) {
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

  private ProgressBar progress(int max) {
    if (noProgress) {
      return null;
    }
    return new ProgressBarBuilder()
        .setTaskName("eval")
        .setInitialMax(max)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(500)
        .setConsumer(new ConsoleProgressBarConsumer(System.err))
        .build();
  }
}
