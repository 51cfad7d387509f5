package org.seg4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.seg4j.data.FileDataset;
import org.seg4j.data.Sample;
import org.seg4j.data.SyntheticShapes;
import org.seg4j.infer.LoadedModel;
import org.seg4j.infer.Outputs;
import org.seg4j.infer.PredictionMaps;
import org.seg4j.io.AtomicFiles;
import org.seg4j.metric.Evaluator;
import org.seg4j.report.EvalReport;
import org.seg4j.run.TrainConfig;
import org.seg4j.train.DataSetup;
import org.seg4j.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seg4j demo}: the whole job on a built-in synthetic set — generate, check, train a small
 * U-Net for about two minutes, evaluate, predict a few images — and say where everything is.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "demo",
    description =
        "Generate a synthetic dataset (shapes on textured, noisy backgrounds), train a small U-Net"
            + " for about two minutes, evaluate it and predict a few images.")
final class DemoCommand implements Callable<Integer> {
  private static final String MARKER = ".seg4j-demo";

  @Option(names = "--out", defaultValue = "runs/demo", description = "demo folder")
  Path out;

  @Option(names = "--minutes", defaultValue = "2", description = "training time budget")
  double minutes;

  @Option(
      names = "--binary",
      description = "2 classes (background, disc) instead of 4 (disc, box, triangle)")
  boolean binary;

  @Option(names = "--images", defaultValue = "96", description = "synthetic images to generate")
  int images;

  @Option(names = "--size", defaultValue = "96", description = "image side")
  int size;

  @Option(
      names = "--epochs",
      defaultValue = "150",
      description =
          "epoch cap (default: ${DEFAULT-VALUE}); --epochs 1 --images 8 --size 16 is a check that"
              + " takes seconds")
  int epochs;

  @Option(names = "--threads", defaultValue = "0", description = "libtorch threads (0: all)")
  int threads;

  @Override
  public Integer call() throws Exception {
    prepare();
    SyntheticShapes shapes = new SyntheticShapes(size, !binary, 0);
    Path data = out.resolve("data");
    shapes.write(data, images);
    int nTrain = images * 3 / 4;
    System.out.printf(
        Locale.ROOT,
        "demo: %d synthetic %dx%d images (%d classes: %s) in %s%n",
        images,
        size,
        size,
        shapes.classes(),
        String.join(", ", shapes.classNames()),
        data);
    TrainConfig cfg =
        TrainConfig.defaults()
            .set("name", "demo")
            .set("data.root", data.toString())
            .set("data.image_pattern", "synth_{id}.png")
            .set("data.mask_pattern", "synth_{id}.png")
            .set("data.train", "0.." + (nTrain - 1))
            .set("data.val", nTrain + ".." + (images - 1))
            .set("model.arch", "unet")
            .set("model.base", "8")
            .set("model.classes", Integer.toString(shapes.classes()))
            .set("model.options", "{depth: 3}")
            .set("augment", "[{type: hflip, p: 0.5}, {type: vflip, p: 0.5}, {type: rot90, p: 1.0}]")
            .set("optimizer.lr", "0.005")
            .set("schedule.name", "cosine")
            .set("train.batch", "8")
            .set("train.epochs", Integer.toString(epochs))
            .set("train.max_minutes", Double.toString(minutes))
            .set("threads", Integer.toString(threads));
    Path runDir = out.resolve("run");
    Trainer.Result r;
    try (Trainer t = Trainer.start(cfg, runDir, System.out)) {
      r = t.fit();
    }
    Path pred = out.resolve("predictions");
    Files.createDirectories(pred);
    EvalReport.Result report;
    try (LoadedModel seg = LoadedModel.fromRun(runDir)) {
      FileDataset val = DataSetup.open(cfg, "val", true);
      List<String> names = seg.classNames();
      int ignore = cfg.data().ignoreIndex();
      EvalReport.Context ctx =
          new EvalReport.Context(
              runDir.toString(),
              "checkpoints/best.safetensors",
              "val",
              data.toString(),
              "whole image",
              runDir.resolve("log.csv"));
      Evaluator.MaskSource src = EvalCommand.modelSource(seg, names.size());
      Evaluator scores =
          Evaluator.score(src, val, names.size(), ignore, ctx.split(), ctx.dataset(), done -> {});
      report =
          EvalReport.write(
              src,
              val,
              names,
              ignore,
              ctx,
              out.resolve("report"),
              scores,
              EvalReport.Options.defaults(names.size()));
      for (int i = nTrain; i < Math.min(images, nTrain + 4); i++) {
        Sample s = shapes.sample(i);
        PredictionMaps p = seg.predict(s);
        Outputs.viewableMask(pred.resolve(s.id() + "_view.png"), p);
        Outputs.overlay(pred.resolve(s.id() + "_overlay.png"), s, p, 0.5);
      }
    }
    System.out.println();
    System.out.println(report.table());
    System.out.printf(
        Locale.ROOT,
        "%ndemo done in %d epochs: best validation mIoU %.4f at %.1f train img/s.%n"
            + "  run folder:   %s (config.yml, log.csv, checkpoints/)%n"
            + "  report:       %s%n"
            + "  predictions:  %s%n"
            + "  next:         java -jar target/seg4j.jar predict --run %s --input IMAGE_OR_DIR"
            + " --output out/%n"
            + "  serve it:     java -jar target/seg4j.jar serve --run %s (web page at"
            + " http://127.0.0.1:8080/)%n",
        r.epochs(),
        r.bestMiou(),
        r.trainImgPerS(),
        runDir,
        report.html(),
        pred,
        runDir,
        runDir);
    return 0;
  }

  /** Clears a previous demo (only a folder this command made), so the demo can run again. */
  private void prepare() throws IOException {
    if (Files.exists(out)) {
      if (!Files.exists(out.resolve(MARKER))) {
        throw new IOException(
            out + " exists and is not a seg4j demo folder: pass another --out, or remove it");
      }
      try (Stream<Path> s = Files.walk(out)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(out);
    AtomicFiles.writeString(out.resolve(MARKER), "created by seg4j demo\n");
  }
}
