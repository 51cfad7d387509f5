package org.seg4j.api;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.seg4j.augment.Normalize;
import org.seg4j.infer.LoadedModel;
import org.seg4j.infer.TileOptions;

/**
 * A trained segmentation model, ready to predict images. Load a seg4j run folder, a checkpoint file
 * on its own, or a TorchScript model exported from PyTorch, through a builder:
 *
 * <pre>{@code
 * try (Segmenter s = Segmenter.fromRun(Path.of("runs/isbi")).device(Device.CPU).build()) {
 *   Prediction p = s.predict(ImageIO.read(new File("cells.png")));
 *   int[] mask = p.mask();
 * }
 * }</pre>
 *
 * A run or checkpoint brings its own class names, normalisation, input size and threshold; a
 * TorchScript model is told its classes, input channels and normalisation. Not thread-safe: use one
 * per thread, or share one behind a lock.
 */
public final class Segmenter implements AutoCloseable {
  private final LoadedModel model;

  private Segmenter(LoadedModel model) {
    this.model = model;
  }

  /** A builder for a run folder's best checkpoint (else its last). */
  public static Builder fromRun(Path runDir) {
    return new Builder(Source.RUN, runDir);
  }

  /** A builder for a checkpoint file on its own: its metadata says everything inference needs. */
  public static Builder fromCheckpoint(Path checkpoint) {
    return new Builder(Source.CHECKPOINT, checkpoint);
  }

  /**
   * A builder for a TorchScript model exported by PyTorch ({@code torch.jit.trace} or {@code
   * script}) that maps {@code (N, inChannels, H, W)} to {@code (N, classes, H, W)} logits.
   */
  public static Builder fromTorchScript(Path file, int classes, int inChannels) {
    Builder b = new Builder(Source.TORCHSCRIPT, file);
    b.classes = classes;
    b.inChannels = inChannels;
    return b;
  }

  /** Predicts an in-memory image at its own size. */
  public Prediction predict(BufferedImage image) {
    return Prediction.of(model.predict(image));
  }

  /**
   * Predicts an in-memory image at its own size with other options for this call only (e.g. tiles
   * for a large image, or flip TTA); the next call uses the Segmenter's own options again. A NaN
   * {@link PredictOptions#threshold()} takes the model's own.
   *
   * @throws IllegalArgumentException naming the parameter when the tile side does not suit the
   *     model
   */
  public Prediction predict(BufferedImage image, PredictOptions options) {
    TileOptions own = model.options();
    TileOptions t = options.tiles();
    model.setOptions(t.withThreshold(t.thresholdOr(own.threshold())));
    try {
      return Prediction.of(model.predict(image));
    } finally {
      model.setOptions(own);
    }
  }

  /**
   * Predicts several in-memory images, each at its own size; the result's {@code i}-th prediction
   * equals {@link #predict(BufferedImage)} of the {@code i}-th image (the same mask, probabilities
   * within float rounding). Images of one size under whole-image inference without flip TTA run as
   * one forward pass of N images, which is faster per image; a list of mixed sizes, or options with
   * tiles or TTA, are predicted one by one.
   *
   * @param images the images, in order
   * @return one prediction per image, in the same order
   */
  public List<Prediction> predict(List<BufferedImage> images) {
    return model.predictAll(images).stream().map(Prediction::of).toList();
  }

  /**
   * Predicts an image file at its own size.
   *
   * @throws org.seg4j.data.DatasetException naming the file when it cannot be read or decoded
   */
  public Prediction predict(Path imageFile) {
    return Prediction.of(model.predict(imageFile));
  }

  /** Class names, index = class. */
  public List<String> classNames() {
    return List.copyOf(model.classNames());
  }

  /** Classes in a prediction (2 for a single-logit sigmoid head). */
  public int classes() {
    return model.classes();
  }

  /** Input channels the model takes (1 grey, 3 RGB). */
  public int inChannels() {
    return model.inChannels();
  }

  /** The options in use, with the model's own threshold filled in. */
  public PredictOptions options() {
    return PredictOptions.of(model.options());
  }

  @Override
  public void close() {
    model.close();
  }

  private enum Source {
    RUN("fromRun"),
    CHECKPOINT("fromCheckpoint"),
    TORCHSCRIPT("fromTorchScript");

    private final String factory;

    Source(String factory) {
      this.factory = factory;
    }
  }

  /** Says where and how a {@link Segmenter} runs; {@link #build} loads it. */
  public static final class Builder {
    private final Source source;
    private final Path path;
    private Device device = Device.AUTO;
    private PredictOptions options = PredictOptions.defaults();
    private Path checkpoint;
    private int pruneLevel;
    private boolean trainedResize = true;
    private int classes;
    private int inChannels;
    private int sideMultiple = 1;
    private Normalize normalize;

    private Builder(Source source, Path path) {
      this.source = source;
      this.path = path;
    }

    /** Where the model runs; default {@link Device#AUTO}. */
    public Builder device(Device device) {
      this.device = device;
      return this;
    }

    /** How images are predicted; default {@link PredictOptions#defaults()}. */
    public Builder options(PredictOptions options) {
      this.options = options;
      return this;
    }

    /** A run's checkpoint file other than its best (e.g. {@code last.safetensors}); runs only. */
    public Builder checkpoint(Path file) {
      need(Source.RUN, "checkpoint");
      this.checkpoint = file;
      return this;
    }

    /** U-Net++ with deep supervision: predict from the head at level 1..4 (pruned inference). */
    public Builder pruneLevel(int level) {
      this.pruneLevel = level;
      return this;
    }

    /**
     * Whether images are resized to the size the model trained at (its augment {@code resize} step,
     * if any) and the prediction back to the image's size; default true. Off predicts at the
     * image's own size.
     */
    public Builder resizeToTrainedSize(boolean on) {
      this.trainedResize = on;
      return this;
    }

    /** TorchScript only: the input is padded to a multiple of this side; default 1. */
    public Builder sideMultiple(int multiple) {
      need(Source.TORCHSCRIPT, "sideMultiple");
      this.sideMultiple = multiple;
      return this;
    }

    /** TorchScript only: per-channel mean and std applied to [0, 1] pixels; default none. */
    public Builder normalize(float[] mean, float[] std) {
      need(Source.TORCHSCRIPT, "normalize");
      this.normalize = new Normalize(mean, std);
      return this;
    }

    private void need(Source s, String parameter) {
      if (source != s) {
        throw new IllegalStateException(
            parameter
                + " applies to a Segmenter."
                + s.factory
                + " model only; "
                + path
                + " is loaded with Segmenter."
                + source.factory);
      }
    }

    /**
     * Loads the model.
     *
     * @throws IOException when a file cannot be read
     * @throws IllegalArgumentException naming the file and the fix when it is not a usable model
     */
    public Segmenter build() throws IOException {
      LoadedModel m =
          switch (source) {
            case RUN -> LoadedModel.fromRun(path, checkpoint, device.key(), options.tiles());
            case CHECKPOINT -> LoadedModel.fromCheckpoint(path, device.key(), options.tiles());
            case TORCHSCRIPT ->
                LoadedModel.fromTorchScript(
                    path,
                    classes,
                    inChannels,
                    sideMultiple,
                    normalize,
                    device.key(),
                    options.tiles());
          };
      try {
        if (!trainedResize) {
          m.setInputResize(null);
        }
        if (pruneLevel != 0) {
          m.setPruneLevel(pruneLevel);
        }
        return new Segmenter(m);
      } catch (RuntimeException e) {
        m.close();
        throw e;
      }
    }
  }
}
