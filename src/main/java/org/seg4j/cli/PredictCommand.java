package org.seg4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.seg4j.augment.Normalize;
import org.seg4j.data.DatasetException;
import org.seg4j.data.ImageFiles;
import org.seg4j.data.Sample;
import org.seg4j.infer.Outputs;
import org.seg4j.infer.PredictOptions;
import org.seg4j.infer.Prediction;
import org.seg4j.infer.Segmenter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code seg4j predict}: masks and overlays for an image or a folder, from a run or a TorchScript
 * model, mapped back to each image's own size.
 */
@Command(
    name = "predict",
    description =
        "Predict masks for an image or a folder. Writes <id>_mask.png (class index),"
            + " <id>_view.png (viewable mask) and <id>_overlay.png per image, plus probability"
            + " maps with --probabilities.")
final class PredictCommand implements Callable<Integer> {
  /** Largest side predicted in one piece; larger images are tiled automatically. */
  static final int MAX_WHOLE_SIDE = 1024;

  static final class Source {
    @Option(names = "--run", description = "a training run folder (runs/NAME)")
    Path run;

    @Option(names = "--torchscript", description = "a TorchScript model exported by PyTorch")
    Path torchscript;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(names = "--checkpoint", description = "checkpoint file (default: best, else last)")
  Path checkpoint;

  @Option(names = "--classes", description = "classes of the TorchScript model's output")
  Integer classes;

  @Option(names = "--in-channels", defaultValue = "1", description = "TorchScript input channels")
  int inChannels;

  @Option(
      names = "--side-multiple",
      defaultValue = "32",
      description = "TorchScript: input sides must be multiples of this")
  int sideMultiple;

  @Option(names = "--input", required = true, description = "an image file or a folder")
  Path input;

  @Option(names = "--output", required = true, description = "output folder")
  Path output;

  @Option(names = "--alpha", defaultValue = "0.5", description = "overlay opacity in [0, 1]")
  double alpha;

  @Option(names = "--probabilities", description = "also write per-class probability maps")
  boolean probabilities;

  @Option(names = "--prune-level", description = "U-Net++ pruned inference level 1..4")
  Integer pruneLevel;

  @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu")
  String device;

  @Mixin InferenceOptions inference;

  @Override
  public Integer call() throws Exception {
    if (alpha < 0 || alpha > 1) {
      throw new IllegalArgumentException("--alpha " + alpha + " must be in [0, 1]");
    }
    List<Path> files = inputs(input);
    Files.createDirectories(output);
    PredictOptions opts = inference.options();
    try (Segmenter seg = open(opts)) {
      if (pruneLevel != null) {
        seg.setPruneLevel(pruneLevel);
      }
      List<String> skipped = new ArrayList<>();
      long t0 = System.nanoTime();
      int done = 0;
      try (ProgressBar bar =
          new ProgressBarBuilder()
              .setTaskName("predict")
              .setInitialMax(files.size())
              .setStyle(ProgressBarStyle.ASCII)
              .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
              .build()) {
        for (Path f : files) {
          bar.step();
          Sample s;
          try {
            s = ImageFiles.read(f, seg.inChannels());
          } catch (DatasetException e) {
            skipped.add(e.getMessage());
            continue;
          }
          boolean huge = Math.max(s.height(), s.width()) > MAX_WHOLE_SIDE && opts.tile() == 0;
          if (huge) {
            seg.setOptions(
                new PredictOptions(
                    512, opts.overlap(), opts.blend(), opts.flipTta(), opts.batch()));
          }
          Prediction p = seg.predict(s);
          if (huge) {
            seg.setOptions(opts);
          }
          write(s, p, seg.classNames());
          done++;
        }
      }
      double sec = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "predicted %d image(s) in %.1fs (%.2f img/s) into %s%n",
          done,
          sec,
          done / Math.max(sec, 1e-9),
          output);
      if (!skipped.isEmpty()) {
        System.out.println("skipped " + skipped.size() + " file(s):");
        skipped.forEach(m -> System.out.println("  " + m));
      }
      return done == 0 && !files.isEmpty() ? 1 : 0;
    }
  }

  private Segmenter open(PredictOptions opts) throws IOException {
    if (source.run != null) {
      return Segmenter.fromRun(source.run, checkpoint, device, opts);
    }
    if (classes == null) {
      throw new IllegalArgumentException(
          "--torchscript needs --classes K (the model's output channels)");
    }
    Normalize none = null;
    return Segmenter.fromTorchScript(
        source.torchscript, classes, inChannels, sideMultiple, none, device, opts);
  }

  private void write(Sample s, Prediction p, List<String> names) throws IOException {
    Outputs.indexMask(output.resolve(s.id() + "_mask.png"), p);
    Outputs.viewableMask(output.resolve(s.id() + "_view.png"), p);
    Outputs.overlay(output.resolve(s.id() + "_overlay.png"), s, p, alpha);
    if (probabilities) {
      Outputs.probabilities(output, s.id(), p, names);
    }
  }

  private static List<Path> inputs(Path input) throws IOException {
    if (Files.isRegularFile(input)) {
      return List.of(input);
    }
    if (!Files.isDirectory(input)) {
      throw new IOException(input + " does not exist: give an image file or a folder of images");
    }
    try (Stream<Path> s = Files.list(input)) {
      List<Path> files = s.filter(Files::isRegularFile).sorted().toList();
      if (files.isEmpty()) {
        throw new IOException(input + " holds no files: give a folder of images");
      }
      return files;
    }
  }
}
