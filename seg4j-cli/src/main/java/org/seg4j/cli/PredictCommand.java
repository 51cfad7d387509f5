package org.seg4j.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.seg4j.augment.Normalize;
import org.seg4j.data.ClassNames;
import org.seg4j.data.DatasetException;
import org.seg4j.data.ImageFiles;
import org.seg4j.data.Problem;
import org.seg4j.data.Sample;
import org.seg4j.infer.LoadedModel;
import org.seg4j.infer.Outputs;
import org.seg4j.infer.PixelCounts;
import org.seg4j.infer.PredictionMaps;
import org.seg4j.infer.TileOptions;
import org.seg4j.io.AtomicFiles;
import org.seg4j.io.ImageIo;
import org.seg4j.io.OutputFolder;
import org.seg4j.io.ProgressBars;
import org.seg4j.io.Provenance;
import org.seg4j.io.RawImage;
import org.seg4j.io.VideoReader;
import org.seg4j.io.VideoWriter;
import org.seg4j.io.Videos;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code seg4j predict}: masks and overlays for an image or a folder, from a run or a TorchScript
 * model, mapped back to each image's own size.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "predict",
    description =
        "Predict masks for an image or a folder. Writes <id>_mask.png (class index),"
            + " <id>_view.png (viewable mask) and <id>_overlay.png per image by default;"
            + " --save chooses the outputs (mask, view, overlay, prob, cutout, counts) and"
            + " --suffix their names.")
final class PredictCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  static final class Source {
    @Option(names = "--run", description = "a training run folder (runs/NAME)")
    Path run;

    @Option(names = "--torchscript", description = "a TorchScript model exported by PyTorch")
    Path torchscript;

    @Option(
        names = "--onnx",
        description = "an ONNX file written by seg4j export, run with ONNX Runtime on the CPU")
    Path onnx;
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

  @Option(
      names = "--input",
      paramLabel = "PATH",
      description =
          "an image, a video (H.264 MP4/MOV or MJPEG AVI: written as an overlay video), or a"
              + " folder of them (other files, and the masks and overlays seg4j wrote there, are"
              + " skipped)")
  Path input;

  @Option(names = "--output", paramLabel = "DIR", description = "output folder")
  Path output;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "a dataset folder: predict its images (JPEGImages/, images/ or the folder itself),"
              + " or with --split/--list only those ids")
  Path data;

  @Option(
      names = "--split",
      paramLabel = "NAME",
      description =
          "only the ids of NAME.txt in ImageSets/Segmentation/ (as seg4j split writes), splits/"
              + " or the --data folder")
  String split;

  @Option(
      names = "--list",
      paramLabel = "FILE",
      description = "only the ids in FILE (one a line), found in --data or the --input folder")
  Path list;

  @Option(
      names = "--image-pattern",
      defaultValue = "{id}.*",
      paramLabel = "PATTERN",
      description = "image file names of listed ids, e.g. {id}.jpg (default: ${DEFAULT-VALUE})")
  String imagePattern;

  @Option(
      names = "--skip-bad",
      description =
          "skip unreadable files and listed ids without an image, list them at the end and exit 1"
              + " (default: stop at the first)")
  boolean skipBad;

  @Option(names = "--alpha", defaultValue = "0.5", description = "overlay opacity in [0, 1]")
  double alpha;

  @Option(names = "--probabilities", description = "also write per-class probability maps")
  boolean probabilities;

  @Option(
      names = "--save",
      defaultValue = PredictSaves.DEFAULT,
      split = ",",
      paramLabel = "KIND",
      description =
          "outputs to write, comma-separated: mask (<id>_mask.png, class index), view"
              + " (<id>_view.png, 0/255 or palette), overlay (<id>_overlay.png), prob"
              + " (<id>_prob_<class>.png), cutout (<id>_cutout.png, background transparent),"
              + " counts (counts.csv: pixels and fraction per class) (default: ${DEFAULT-VALUE})")
  List<String> save;

  @Option(
      names = "--suffix",
      paramLabel = "[KIND=]SUFFIX",
      description =
          "replace an output's name suffix: KIND=SUFFIX (repeatable), or SUFFIX alone when --save"
              + " names one image output; e.g. --save view --suffix _seg writes <id>_seg.png")
  List<String> suffix = new ArrayList<>();

  @Option(
      names = "--fps",
      paramLabel = "N",
      description =
          "measure instead of writing: N timed predictions of the first input image after"
              + " --warmup runs, img/s and latency p50/p95 for the network alone and for the whole"
              + " pipeline (read, preprocess, predict, outputs made in memory)")
  Integer fps;

  @Option(
      names = "--warmup",
      defaultValue = "3",
      paramLabel = "N",
      description = "untimed runs before --fps measures (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--prune-level", description = "U-Net++ pruned inference level 1..4")
  Integer pruneLevel;

  @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu")
  String device;

  @Mixin ResizeOptions resizing;

  @Mixin InferenceOptions inference;

  @Override
  public Integer call() throws Exception {
    if (alpha < 0 || alpha > 1) {
      throw new IllegalArgumentException("--alpha " + alpha + " must be in [0, 1]");
    }
    PredictSaves saves = PredictSaves.parse(save, suffix, probabilities);
    PredictInputs in =
        withoutOwnOutputs(PredictInputs.resolve(input, data, list, split, imagePattern), saves);
    if (fps != null) {
      return timing(in, saves);
    }
    if (output == null) {
      throw new IllegalArgumentException("give the output folder: --output DIR");
    }
    List<String> skipped = new ArrayList<>();
    for (Problem absent : in.absent()) {
      if (!skipBad) {
        throw new DatasetException(absent); // before the output folder is made
      }
      skipped.add(absent.message());
    }
    OutputFolder.ensure(output, "output folder", "--output"); // before the model, before image 1
    List<Path> files = in.files();
    TileOptions opts = inference.options();
    try (LoadedModel seg = open(opts)) {
      if (pruneLevel != null) {
        seg.setPruneLevel(pruneLevel);
      }
      List<String> names = new ArrayList<>(seg.classNames());
      while (names.size() < seg.classes()) {
        names.add(ClassNames.numberedName(names.size()));
      }
      names = names.subList(0, seg.classes());
      List<String> safeNames = names.stream().map(Outputs::fileSafe).toList();
      refuseOverwritingInputs(files, saves, safeNames);
      PixelCounts counts = new PixelCounts(names);
      List<Path> videos = files.stream().filter(Videos::isVideo).toList();
      List<Path> images = files.stream().filter(f -> !Videos.isVideo(f)).toList();
      if (!videos.isEmpty()
          && !saves.has(PredictSaves.Kind.OVERLAY)
          && !saves.has(PredictSaves.Kind.COUNTS)) {
        throw new IllegalArgumentException(
            "--save "
                + PredictSaves.names(saves.kinds())
                + " writes nothing for a video: add overlay (the overlay video) or counts");
      }
      long t0 = System.nanoTime();
      int done = 0;
      files = images;
      if (!images.isEmpty()) {
        try (ProgressBar bar = ProgressBars.builder("predict", files.size()).build()) {
          StreamedPredict streamed = new StreamedPredict(seg, saves, safeNames, output, alpha);
          for (Path f : files) {
            bar.step();
            ImageFiles.Opened opened = null;
            try {
              opened = ImageFiles.open(f);
              if (streamed.applies(opened.height(), opened.width())) {
                long[] c = streamed.predict(opened, bar);
                if (saves.has(PredictSaves.Kind.COUNTS)) {
                  counts.add(opened.id(), c);
                }
              } else {
                ImageFiles.Read read = opened.read(seg.inChannels());
                PredictionMaps p = predict(seg, read.model());
                write(read, p, saves, safeNames);
                if (saves.has(PredictSaves.Kind.COUNTS)) {
                  counts.add(read.model().id(), p);
                }
              }
            } catch (DatasetException e) {
              if (!skipBad) {
                throw e;
              }
              skipped.add(e.getMessage());
              continue;
            } catch (OutOfMemoryError e) {
              OutOfMemory oom = outOfMemory(f, opened, streamed, e);
              if (!skipBad) {
                throw oom;
              }
              skipped.add(oom.getMessage());
              continue;
            }
            done++;
          }
        }
      }
      double sec = (System.nanoTime() - t0) / 1e9;
      if (!images.isEmpty()) {
        System.out.printf(
            Locale.ROOT,
            "predicted %d image(s) in %.1fs (%.2f img/s) into %s%n",
            done,
            sec,
            done / Math.max(sec, 1e-9),
            output);
      }
      for (Path v : videos) {
        try {
          predictVideo(v, seg, saves, counts);
        } catch (IOException e) {
          if (!skipBad) {
            throw files.size() + videos.size() > 1
                ? new IOException(e.getMessage() + "; or pass --skip-bad to skip it", e)
                : e;
          }
          skipped.add(e.getMessage());
        }
      }
      if (!in.ignored().isEmpty()) {
        System.out.println(
            "ignored "
                + in.ignored().size()
                + " file(s) that are not images: "
                + String.join(", ", in.ignored()));
      }
      if (saves.has(PredictSaves.Kind.COUNTS)) {
        counts.write(output.resolve(PredictSaves.COUNTS_FILE));
        System.out.println(
            "pixels per class over "
                + counts.images()
                + (videos.isEmpty() ? " image(s)" : " image(s) and frame(s)")
                + ", per image in "
                + output.resolve(PredictSaves.COUNTS_FILE)
                + ":");
        System.out.print(counts.summary());
      }
      if (!skipped.isEmpty()) {
        System.out.println("skipped " + skipped.size() + " file(s) (--skip-bad):");
        skipped.forEach(m -> System.out.println("  " + Hints.adapt(m, spec)));
        return 1;
      }
      return 0;
    }
  }

  /**
   * Segments a video frame by frame into an overlay video in the same container, at the same size
   * and frame rate ({@code <stem><overlay suffix>.mp4} or {@code .avi}, written atomically), with a
   * progress bar over the frames and the frame rate at the end; {@code counts} adds a row per frame
   * ({@code <stem>_f000001}, ...).
   */
  private void predictVideo(Path file, LoadedModel seg, PredictSaves saves, PixelCounts counts)
      throws IOException {
    String name = file.getFileName().toString();
    String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
    long t0 = System.nanoTime();
    int[] frames = {0};
    Path out;
    try (VideoReader r = Videos.open(file);
        ProgressBar bar =
            ProgressBars.builder(name, r.frameCount()).setUnit(" frames", 1).build()) {
      out = output.resolve(stem + saves.suffix(PredictSaves.Kind.OVERLAY) + "." + r.container());
      if (out.toAbsolutePath().normalize().equals(file.toAbsolutePath().normalize())) {
        throw wouldReplace(out, file);
      }
      AtomicFiles.PathWriter frameLoop =
          tmp -> {
            try (VideoWriter w =
                tmp == null
                    ? null
                    : Videos.writer(r.container(), tmp, r.width(), r.height(), r.fps())) {
              BufferedImage frame;
              while ((frame = nextFrame(r)) != null) {
                String id = String.format(Locale.ROOT, "%s_f%06d", stem, frames[0] + 1);
                ImageFiles.Read read = ImageFiles.ofBoth(frame, id, seg.inChannels());
                PredictionMaps p = predict(seg, read.model());
                if (w != null) {
                  w.write(
                      ImageIo.toBgr(Outputs.overlay(read.display(), p.mask(), p.classes(), alpha)));
                }
                if (saves.has(PredictSaves.Kind.COUNTS)) {
                  counts.add(id, p);
                }
                frames[0]++;
                bar.step();
              }
            }
          };
      try {
        if (saves.has(PredictSaves.Kind.OVERLAY)) {
          AtomicFiles.writeVia(out, frameLoop);
        } else {
          frameLoop.write(null);
        }
      } catch (UncheckedIOException e) {
        throw e.getCause(); // a frame of the input could not be read: name the input, not out
      }
      if (frames[0] == 0) {
        throw new IOException(file + ": holds no frames: give a video with at least one");
      }
      double sec = (System.nanoTime() - t0) / 1e9;
      bar.close();
      System.out.printf(
          Locale.ROOT,
          "video %s: %d frames %dx%d at %.3g fps in %.1fs (%.2f fps)%s%n",
          name,
          frames[0],
          r.width(),
          r.height(),
          r.fps(),
          sec,
          frames[0] / Math.max(sec, 1e-9),
          saves.has(PredictSaves.Kind.OVERLAY) ? " into " + out : "");
    }
  }

  /** The next frame; a read error leaves the writer's temp file through an unchecked wrapper. */
  private static BufferedImage nextFrame(VideoReader r) {
    try {
      return r.next();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code --fps N}: times N runs of the first image, the network alone and the whole pipeline
   * (read, decode, normalise, predict, make the --save outputs in memory; nothing is written).
   */
  private int timing(PredictInputs in, PredictSaves saves) throws IOException {
    if (fps < 1 || warmup < 0) {
      throw new IllegalArgumentException(
          "--fps " + fps + " --warmup " + warmup + ": give --fps N with N >= 1 and --warmup >= 0");
    }
    Path file =
        in.files().stream()
            .filter(f -> !Videos.isVideo(f))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "--fps times an image: give --input IMAGE or a folder holding one"));
    try (LoadedModel seg = open(inference.options())) {
      if (pruneLevel != null) {
        seg.setPruneLevel(pruneLevel);
      }
      ImageFiles.Read first = ImageFiles.readBoth(file, seg.inChannels());
      Runnable network = seg.networkOnly(first.model());
      Runnable pipeline =
          () -> {
            ImageFiles.Read read = ImageFiles.readBoth(file, seg.inChannels());
            PredictionMaps p = predict(seg, read.model());
            render(read, p, saves);
          };
      long[] net = time(network);
      long[] all = time(pipeline);
      System.out.printf(
          Locale.ROOT,
          "fps: %d runs of %s (%dx%d) after %d warm-up run(s); tile %d, flip-tta %s%n",
          fps,
          file.getFileName(),
          first.model().width(),
          first.model().height(),
          warmup,
          seg.options().tile(),
          seg.options().flipTta() ? "on" : "off");
      report("network ", net, "tensor in, probabilities out");
      report(
          "pipeline",
          all,
          "read, preprocess, predict, "
              + PredictSaves.names(saves.kinds())
              + " in memory; nothing written");
      return 0;
    }
  }

  private long[] time(Runnable task) {
    for (int i = 0; i < warmup; i++) {
      task.run();
    }
    long[] ns = new long[fps];
    for (int i = 0; i < fps; i++) {
      long t = System.nanoTime();
      task.run();
      ns[i] = System.nanoTime() - t;
    }
    return ns;
  }

  private static void report(String what, long[] ns, String scope) {
    long[] s = ns.clone();
    Arrays.sort(s);
    long total = 0;
    for (long v : s) {
      total += v;
    }
    System.out.printf(
        Locale.ROOT,
        "  %s %8.2f img/s   p50 %8.2f ms   p95 %8.2f ms   (%s)%n",
        what,
        s.length / (total / 1e9),
        percentile(s, 50) / 1e6,
        percentile(s, 95) / 1e6,
        scope);
  }

  /** Nearest-rank percentile of sorted values. */
  static long percentile(long[] sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** The --save outputs of one image made in memory (what --fps times instead of writing). */
  private Object render(ImageFiles.Read read, PredictionMaps p, PredictSaves saves) {
    List<Object> made = new ArrayList<>();
    for (PredictSaves.Kind k : saves.kinds()) {
      switch (k) {
        case MASK -> made.add(Outputs.indexMask(p));
        case VIEW -> made.add(Outputs.viewableMask(p));
        case OVERLAY -> made.add(Outputs.overlay(read.display(), p.mask(), p.classes(), alpha));
        case CUTOUT -> made.add(Outputs.cutout(read.display(), p.mask()));
        case PROB -> {
          for (int c = 0; c < p.classes(); c++) {
            made.add(Outputs.probability(p, c));
          }
        }
        case COUNTS -> made.add(Outputs.pixelCounts(p.mask(), p.classes()));
      }
    }
    return made;
  }

  /**
   * Predicts one image; one larger than {@link TileOptions#MAX_WHOLE_SIDE} is tiled when --tile is
   * 0 ({@link TileOptions#forImage}).
   */
  private static PredictionMaps predict(LoadedModel seg, Sample s) {
    TileOptions opts = seg.options();
    TileOptions sized = opts.forImage(s.height(), s.width());
    if (sized == opts) {
      return seg.predict(s);
    }
    seg.setOptions(sized);
    try {
      return seg.predict(s);
    } finally {
      seg.setOptions(opts);
    }
  }

  /** The one-line out-of-memory error for image {@code f} ({@code opened}: null if not decoded). */
  private static OutOfMemory outOfMemory(
      Path f, ImageFiles.Opened opened, StreamedPredict streamed, OutOfMemoryError e) {
    if (opened == null) {
      return OutOfMemory.of("decoding " + f, 0, null, e);
    }
    boolean tiled = streamed.applies(opened.height(), opened.width());
    TileOptions o = tiled ? StreamedPredict.tiled(streamed.options()) : streamed.options();
    String smaller =
        tiled
            ? "a smaller --tile-batch (now " + o.batch() + ") or --tile (now " + o.tile() + ")"
            : "--tile 512 (or smaller) to predict it in tiles";
    return OutOfMemory.of(
        "predicting " + f + " (" + opened.width() + "x" + opened.height() + ")",
        streamed.need(opened, tiled),
        smaller,
        e);
  }

  /** Opens the model, with the input resize of --resize or of the run's training. */
  private LoadedModel open(TileOptions opts) throws IOException {
    List<String> notes = new ArrayList<>();
    LoadedModel seg = openModel(opts);
    try {
      seg.setInputResize(resizing.choose(seg.trainedResize(), notes));
    } catch (RuntimeException e) {
      seg.close();
      throw e;
    }
    notes.forEach(System.out::println);
    return seg;
  }

  private LoadedModel openModel(TileOptions opts) throws IOException {
    if (source.run != null) {
      return LoadedModel.fromRun(source.run, checkpoint, device, opts);
    }
    if (source.onnx != null) {
      return OnnxNetwork.open(source.onnx, opts);
    }
    if (classes == null) {
      throw new IllegalArgumentException(
          "--torchscript needs --classes K (the model's output channels)");
    }
    Normalize none = null;
    return LoadedModel.fromTorchScript(
        source.torchscript, classes, inChannels, sideMultiple, none, device, opts);
  }

  /** Writes the chosen outputs of one image, each atomically. */
  private void write(
      ImageFiles.Read read, PredictionMaps p, PredictSaves saves, List<String> safeNames)
      throws IOException {
    String id = read.model().id();
    for (PredictSaves.Kind k : saves.kinds()) {
      switch (k) {
        case MASK -> save(Outputs.indexMask(p), saves.file(output, k, id));
        case VIEW -> save(Outputs.viewableMask(p), saves.file(output, k, id));
        case OVERLAY ->
            save(
                Outputs.overlay(read.display(), p.mask(), p.classes(), alpha),
                saves.file(output, k, id));
        case CUTOUT -> save(Outputs.cutout(read.display(), p.mask()), saves.file(output, k, id));
        case PROB -> {
          for (int c = 0; c < p.classes(); c++) {
            String name = c < safeNames.size() ? safeNames.get(c) : ClassNames.numberedName(c);
            save(Outputs.probability(p, c), saves.probFile(output, id, name));
          }
        }
        case COUNTS -> {
          // one file for the run, written at the end
        }
      }
    }
  }

  /** Writes one output image atomically, marked as a prediction ({@link Provenance}). */
  private static void save(RawImage image, Path file) throws IOException {
    ImageIo.write(image, file, Provenance.PREDICTION);
  }

  /**
   * A folder's listing without the files seg4j wrote itself ({@link OwnOutputs}), saying how many
   * were left out; files named one by one (--input FILE, --list, --split) are kept as they are.
   */
  private PredictInputs withoutOwnOutputs(PredictInputs in, PredictSaves saves) throws IOException {
    boolean listing = list == null && split == null && (input == null || Files.isDirectory(input));
    if (!listing) {
      return in;
    }
    OwnOutputs own = OwnOutputs.of(in.files(), saves);
    if (own.skipped().isEmpty()) {
      return in;
    }
    Path folder = own.skipped().get(0).getParent();
    if (own.inputs().isEmpty()) {
      throw new IOException(
          folder
              + " holds only files seg4j wrote itself ("
              + own.skipped().size()
              + " predictions or report images, e.g. "
              + own.skipped().get(0).getFileName()
              + "): give the folder of the original images");
    }
    System.out.println(own.summary(folder));
    return new PredictInputs(own.inputs(), in.absent(), in.ignored(), in.source());
  }

  /** The error for an output file {@code out} that is the input file {@code input}. */
  private IllegalArgumentException wouldReplace(Path out, Path input) {
    return new IllegalArgumentException(
        "--output "
            + output
            + ": "
            + out.getFileName()
            + " would replace the input "
            + input
            + "; choose another --output or --suffix");
  }

  /** Refuses, before anything is written, outputs that would replace an input file. */
  private void refuseOverwritingInputs(
      List<Path> files, PredictSaves saves, List<String> safeNames) {
    Set<Path> in = new HashSet<>();
    for (Path f : files) {
      in.add(f.toAbsolutePath().normalize());
    }
    for (Path f : files) {
      String name = f.getFileName().toString();
      String id = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
      for (Path out : saves.files(output, id, safeNames)) {
        if (in.contains(out.toAbsolutePath().normalize())) {
          throw wouldReplace(out, out);
        }
      }
    }
  }
}
