package org.seg4j.infer;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.seg4j.augment.Letterbox;
import org.seg4j.augment.Normalize;
import org.seg4j.data.ClassNames;
import org.seg4j.data.ImageFiles;
import org.seg4j.data.Sample;
import org.seg4j.engine.Engines;
import org.seg4j.model.Checkpoint;
import org.seg4j.model.ModelConfig;
import org.seg4j.model.ModelRegistry;
import org.seg4j.model.NestedUNet;
import org.seg4j.model.SegModel;
import org.seg4j.run.InferenceSpec;
import org.seg4j.run.RunFolder;

/**
 * A model loaded for inference (a trained run, a checkpoint file or a TorchScript model) with its
 * normalisation, input resize and class names: {@code predict} turns a {@link BufferedImage}, a
 * file or a decoded sample into {@link PredictionMaps} at the image's own size, and {@code stream}
 * predicts a big image tile by tile. Behind {@code org.seg4j.api.Segmenter}, the CLI's {@code
 * predict} and {@code eval}, and validation.
 */
public final class LoadedModel implements AutoCloseable {
  private final NDManager manager;
  private final Network network;
  private final SegModel model;
  private final Normalize normalize;
  private final List<String> classNames;
  private Predictor predictor;
  private InputResize resize;
  private InputResize trainedResize;
  private InferenceSpec spec;

  private LoadedModel(
      NDManager manager,
      Network network,
      SegModel model,
      Normalize normalize,
      List<String> classNames,
      TileOptions options) {
    this.manager = manager;
    this.network = network;
    this.model = model;
    this.normalize = normalize;
    this.classNames = classNames;
    this.predictor = new Predictor(network, manager, options);
  }

  /**
   * Loads a run's best checkpoint (else last) on the {@code auto} device (the GPU when libtorch
   * sees one, else the CPU), whole-image inference.
   */
  public static LoadedModel fromRun(Path runDir) throws IOException {
    return fromRun(runDir, null, "auto", TileOptions.whole());
  }

  /**
   * Loads a run: {@code checkpoint} (null for best, else last), the device ({@code auto|cpu|gpu})
   * and the inference options.
   */
  public static LoadedModel fromRun(
      Path runDir, Path checkpoint, String device, TileOptions options) throws IOException {
    RunFolder run = RunFolder.existing(runDir);
    Path ckpt = checkpoint != null ? checkpoint : run.bestOrLast();
    return load(ckpt, run.config(), device, options);
  }

  /**
   * Loads a checkpoint file on its own, without its run folder: everything inference needs (model,
   * class names, normalisation, input resize, threshold) is in its metadata ({@link
   * InferenceSpec}). A checkpoint saved before seg4j recorded that reads it from the {@code
   * config.yml} of the run folder around it.
   */
  public static LoadedModel fromCheckpoint(Path checkpoint, String device, TileOptions options)
      throws IOException {
    return load(checkpoint, null, device, options);
  }

  private static LoadedModel load(Path ckpt, Path runConfig, String device, TileOptions options)
      throws IOException {
    Checkpoint c = Checkpoint.load(ckpt);
    InferenceSpec spec = InferenceSpec.read(ckpt, c.metadata(), runConfig);
    ModelConfig mc = c.config();
    Device d = Engines.device(device);
    NDManager m = NDManager.newBaseManager(d);
    try {
      SegModel model = ModelRegistry.create(mc);
      model.init(m, mc.inChannels(), model.nearestSide(64));
      c.loadInto(model);
      return assemble(m, Network.of(model), model, spec, options);
    } catch (IOException | RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /**
   * Any network (e.g. an ONNX Runtime session) with the inference settings saved with it: class
   * names, normalisation (null when the network normalises itself), trained resize, threshold.
   */
  public static LoadedModel fromNetwork(
      Network network, InferenceSpec spec, String device, TileOptions options) {
    return assemble(NDManager.newBaseManager(Engines.device(device)), network, null, spec, options);
  }

  private static LoadedModel assemble(
      NDManager m, Network network, SegModel model, InferenceSpec spec, TileOptions options) {
    List<String> classNames =
        spec.classNames().isEmpty()
            ? new ArrayList<>(ClassNames.numbered(Math.max(2, network.classes())).names())
            : new ArrayList<>(spec.classNames());
    TileOptions o = options.withThreshold(options.thresholdOr(spec.threshold()));
    LoadedModel seg = new LoadedModel(m, network, model, spec.normalize(), classNames, o);
    seg.trainedResize = InputResize.trainedAt(spec);
    seg.resize = seg.trainedResize;
    seg.spec = new InferenceSpec(classNames, spec.normalize(), spec.resize(), spec.threshold());
    return seg;
  }

  /** Loads a TorchScript model exported by PyTorch. */
  public static LoadedModel fromTorchScript(
      Path file,
      int classes,
      int inChannels,
      int sideMultiple,
      Normalize normalize,
      String device,
      TileOptions options)
      throws IOException {
    NDManager m = NDManager.newBaseManager(Engines.device(device));
    try {
      TorchScriptNetwork net = new TorchScriptNetwork(file, m, classes, inChannels, sideMultiple);
      return new LoadedModel(
          m,
          net,
          null,
          normalize,
          new ArrayList<>(ClassNames.numbered(Math.max(2, classes)).names()),
          options);
    } catch (IOException | RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /** Class names, index = class. */
  public List<String> classNames() {
    return classNames;
  }

  /** Classes in a prediction: the model's output channels, 2 for a single-logit sigmoid head. */
  public int classes() {
    return Math.max(2, network.classes());
  }

  /** Input channels the model takes. */
  public int inChannels() {
    return network.inChannels();
  }

  /** The seg4j model, or null for TorchScript. */
  public SegModel model() {
    return model;
  }

  /** The inference options in use (with the run's foreground threshold filled in). */
  public TileOptions options() {
    return predictor.options();
  }

  /** Switches the inference options (tiling, TTA). */
  public void setOptions(TileOptions options) {
    this.predictor = new Predictor(network, manager, options);
  }

  /**
   * The input resize the model trained at (its augment resize step, recorded in the checkpoint),
   * used until {@link #setInputResize} says otherwise; null when it trained without one.
   */
  public InputResize trainedResize() {
    return trainedResize;
  }

  /**
   * Resizes every image to the model's input before predicting, and the prediction back to the
   * image's own size (see {@link InputResize}); null predicts at the image's own size.
   */
  public void setInputResize(InputResize resize) {
    this.resize = resize;
  }

  /**
   * The inference settings the model was saved with (class names, normalisation, trained resize,
   * threshold), or null for a TorchScript model.
   */
  public InferenceSpec spec() {
    return spec;
  }

  /** The input resize in use, or null. */
  public InputResize inputResize() {
    return resize;
  }

  /** U-Net++ pruned inference at level 1..4 (deep supervision models only). */
  public void setPruneLevel(int level) {
    if (!(model instanceof NestedUNet)) {
      throw new IllegalArgumentException(
          "prune_level applies to nested-unet only, this run is "
              + (model == null ? "a TorchScript model" : model.config().arch()));
    }
    ((NestedUNet) model).setPruneLevel(level);
  }

  /**
   * Predicts a decoded sample (raw [0, 1] values; the input resize, if any, and the normalisation
   * are applied here). The prediction is at the sample's own size.
   */
  public PredictionMaps predict(Sample s) {
    Letterbox plan = resize == null ? null : resize.plan(s.height(), s.width());
    Sample in = input(s, plan);
    return restore(predictor.predict(in.channels(), in.height(), in.width(), in.image()), plan);
  }

  /** A sample as the network takes it: resized by {@code plan} (null: as it is), normalised. */
  private Sample input(Sample s, Letterbox plan) {
    Sample r = plan == null ? s : resize.apply(s, plan);
    return normalize == null ? r : normalize.apply(r, null);
  }

  /** A prediction back at the image's own size when {@code plan} resized it. */
  private PredictionMaps restore(PredictionMaps p, Letterbox plan) {
    return plan == null
        ? p
        : resize.restore(p, plan, network.classes() == 1, predictor.options().thresholdOr(0.5));
  }

  /**
   * The network alone on a decoded sample, for timing: normalisation and tiling are done here once;
   * each run of the task is the forward passes predict would make (see {@link
   * Predictor#networkOnly}).
   */
  public Runnable networkOnly(Sample s) {
    Sample in = input(s, null);
    return predictor.networkOnly(in.channels(), in.height(), in.width(), in.image());
  }

  /**
   * Predicts an opened image file at its own size tile by tile, handing each finished row to {@code
   * sink} (see {@link Predictor#stream}): the image is held in its compact decoded form, rows are
   * converted and normalised as tiles need them, and the blending band is one tile tall, so memory
   * does not grow with the image's float size. The rows are exactly those {@link #predict(Path)}
   * gives. Needs no input resize ({@link #inputResize} null).
   */
  public void stream(ImageFiles.Opened image, RowSink sink, Runnable onTile) {
    if (resize != null) {
      throw new IllegalStateException("a streamed prediction has no input resize");
    }
    int c = network.inChannels();
    int h = image.height();
    int w = image.width();
    IntFunction<float[]> rows =
        y -> {
          float[] r = image.rows(y, 1, c);
          return normalize == null
              ? r
              : normalize.apply(new Sample(image.id(), c, 1, w, r, null), null).image();
        };
    int capacity = predictor.tileInput(h, w)[0];
    predictor.stream(new RowCache(c, h, w, rows, capacity), sink, onTile);
  }

  /** Tiles a prediction of an {@code height x width} image runs with the current options. */
  public int tiles(int height, int width) {
    return predictor.tiles(height, width);
  }

  /** The input tile sides (height, width) for an image of this size with the current options. */
  public int[] tileInput(int height, int width) {
    return predictor.tileInput(height, width);
  }

  /** Predicts an in-memory image. */
  public PredictionMaps predict(BufferedImage image) {
    return predict(ImageFiles.of(image, "image", network.inChannels()));
  }

  /**
   * Predicts several in-memory images and gives what {@link #predict(BufferedImage)} gives for
   * each. Images of one size under whole-image inference without flip TTA run as one forward pass
   * ({@link Predictor#predictAll}); a list of mixed sizes, tiles or TTA run one by one.
   */
  public List<PredictionMaps> predictAll(List<BufferedImage> images) {
    List<Sample> samples = new ArrayList<>(images.size());
    for (BufferedImage image : images) {
      samples.add(ImageFiles.of(image, "image", network.inChannels()));
    }
    boolean sameSize =
        samples.stream().allMatch(s -> s.height() == samples.get(0).height())
            && samples.stream().allMatch(s -> s.width() == samples.get(0).width());
    if (samples.size() < 2 || !sameSize) {
      return samples.stream().map(this::predict).toList();
    }
    Letterbox plan =
        resize == null ? null : resize.plan(samples.get(0).height(), samples.get(0).width());
    List<Sample> inputs = samples.stream().map(s -> input(s, plan)).toList();
    Sample first = inputs.get(0);
    List<float[]> arrays = inputs.stream().map(Sample::image).toList();
    return predictor.predictAll(first.channels(), first.height(), first.width(), arrays).stream()
        .map(p -> restore(p, plan))
        .toList();
  }

  /** Predicts an image file. */
  public PredictionMaps predict(Path file) {
    return predict(ImageFiles.read(file, network.inChannels()));
  }

  @Override
  public void close() {
    if (network instanceof AutoCloseable) {
      try {
        ((AutoCloseable) network).close();
      } catch (Exception e) {
        // closing a native model cannot fail in a way the caller could act on
      }
    }
    manager.close();
  }
}
