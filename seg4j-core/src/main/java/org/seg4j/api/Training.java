package org.seg4j.api;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.seg4j.run.TrainConfig;
import org.seg4j.train.Trainer;

/**
 * Trains a model from Java, as {@code seg4j train} does: start from the defaults (or a config
 * file), set what differs with typed methods, and {@link Builder#run} into a run folder that {@link
 * Segmenter#fromRun}, {@code seg4j eval} and {@code seg4j predict} then use.
 *
 * <pre>{@code
 * Training.Result r =
 *     Training.builder()
 *         .dataRoot(Path.of("data/isbi"))
 *         .trainSplit("0..24")
 *         .valSplit("25..29")
 *         .maskEncoding("binary255")
 *         .arch("unet")
 *         .classes(2)
 *         .epochs(40)
 *         .device(Device.CPU)
 *         .run(Path.of("runs/isbi"));
 * System.out.println(r.bestMiou());
 * }</pre>
 *
 * Every setting of {@code defaults.yml} (see {@code seg4j train --help}) can be set by its key with
 * {@link Builder#set}; each typed method sets one key. Values are checked when the run starts,
 * before anything is written, and a bad one fails naming the key, the value and the fix.
 */
public final class Training {
  private Training() {}

  /** What a finished run reports. */
  public record Result(
      Path runDir,
      int epochs,
      double bestMiou,
      double lastMiou,
      double trainImagesPerSecond,
      boolean stoppedEarly) {
    static Result of(Trainer.Result r) {
      return new Result(
          r.runDir(), r.epochs(), r.bestMiou(), r.lastMiou(), r.trainImgPerS(), r.stoppedEarly());
    }
  }

  /** A builder starting from seg4j's defaults. */
  public static Builder builder() {
    return new Builder(TrainConfig.defaults());
  }

  /** A builder starting from a config file ({@code seg4j train --config FILE}'s YAML). */
  public static Builder fromConfigFile(Path yaml) {
    return new Builder(TrainConfig.load(yaml));
  }

  /**
   * Resumes a run that was stopped or killed from its last finished epoch, to its planned end.
   *
   * @param log where the console lines go (null: nowhere)
   */
  public static Result resume(Path runDir, PrintStream log) throws IOException {
    try (Trainer t = Trainer.resume(runDir, orQuiet(log))) {
      return Result.of(t.fit());
    }
  }

  private static PrintStream orQuiet(PrintStream log) {
    return log != null
        ? log
        : new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
  }

  /** Sets up a training run; {@link #run} trains it. */
  public static final class Builder {
    private final TrainConfig cfg;
    private PrintStream log;

    private Builder(TrainConfig cfg) {
      this.cfg = cfg.set("train.progress", "false");
    }

    /**
     * Sets any key of {@code defaults.yml} in dotted form (e.g. {@code "schedule.name"}, {@code
     * "cosine"}); the value is read as YAML, so numbers, lists and maps work.
     *
     * @throws IllegalArgumentException naming the key and the valid ones when it is not known
     */
    public Builder set(String dottedKey, String value) {
      cfg.set(dottedKey, value);
      return this;
    }

    private Builder put(String key, Object value) {
      return set(key, String.valueOf(value));
    }

    /** The dataset folder ({@code data.root}). */
    public Builder dataRoot(Path folder) {
      return put("data.root", folder.toAbsolutePath());
    }

    /** The dataset layout: folder, voc, per-class or per-instance ({@code data.format}). */
    public Builder format(String format) {
      return put("data.format", format);
    }

    /** The folder format's image and mask folders under the root ({@code data.images/masks}). */
    public Builder folders(String images, String masks) {
      put("data.images", images);
      return put("data.masks", masks);
    }

    /** How mask pixels encode classes: index, binary255, threshold:N, palette, rgb. */
    public Builder maskEncoding(String encoding) {
      return put("data.mask", encoding);
    }

    /** The training images: a split name, a list file, a folder or an id range like "0..24". */
    public Builder trainSplit(String split) {
      return put("data.train", split);
    }

    /** The validation images, as {@link #trainSplit}. */
    public Builder valSplit(String split) {
      return put("data.val", split);
    }

    /** Input channels the model takes: 1 grey, 3 RGB ({@code data.channels}). */
    public Builder channels(int channels) {
      return put("data.channels", channels);
    }

    /** The architecture, one of {@link Registries#models()} ({@code model.arch}). */
    public Builder arch(String arch) {
      return put("model.arch", arch);
    }

    /** The width of the first stage ({@code model.base}). */
    public Builder base(int width) {
      return put("model.base", width);
    }

    /** Classes the model predicts; 1 is a single-logit sigmoid head ({@code model.classes}). */
    public Builder classes(int classes) {
      return put("model.classes", classes);
    }

    /** An option of the architecture (see {@code seg4j models --arch A}), e.g. "depth", "4". */
    public Builder modelOption(String key, String value) {
      return put("model.options." + key, value);
    }

    /** The loss, one of {@link Registries#losses()} ({@code loss.name}). */
    public Builder loss(String loss) {
      return put("loss.name", loss);
    }

    /** The optimizer, one of {@link Registries#optimizers()} ({@code optimizer.name}). */
    public Builder optimizer(String optimizer) {
      return put("optimizer.name", optimizer);
    }

    /** The base learning rate ({@code optimizer.lr}). */
    public Builder lr(double lr) {
      return put("optimizer.lr", lr);
    }

    /**
     * The learning-rate schedule, one of {@link Registries#schedules()} ({@code schedule.name}).
     */
    public Builder schedule(String schedule) {
      return put("schedule.name", schedule);
    }

    /** Epochs to train ({@code train.epochs}). */
    public Builder epochs(int epochs) {
      return put("train.epochs", epochs);
    }

    /** Images per step ({@code train.batch}). */
    public Builder batch(int batch) {
      return put("train.batch", batch);
    }

    /** Where the model trains. */
    public Builder device(Device device) {
      return put("device", device.key());
    }

    /** libtorch threads; 0 = all cores. */
    public Builder threads(int threads) {
      return put("threads", threads);
    }

    /** The seed of weights, shuffling and augmentation: the same seed gives the same run. */
    public Builder seed(long seed) {
      return put("seed", seed);
    }

    /** Starts from another model's weights: a run folder or a checkpoint ({@code init_from}). */
    public Builder initFrom(Path runOrCheckpoint) {
      return put("model.init_from", runOrCheckpoint.toAbsolutePath());
    }

    /** Where the per-epoch console lines go; default nowhere. */
    public Builder log(PrintStream out) {
      this.log = out;
      return this;
    }

    /** The configuration as the run's config.yml will hold it. */
    public String toYaml() {
      return cfg.toYaml();
    }

    /**
     * Trains into {@code runDir}, which must not hold a run already, and returns when the run ends
     * (its epochs, early stop or time budget).
     *
     * @throws IllegalArgumentException naming the key, the value and the fix for a bad setting
     * @throws IOException when the data or the run folder cannot be read or written
     */
    public Result run(Path runDir) throws IOException {
      try (Trainer t = Trainer.start(cfg, runDir, orQuiet(log))) {
        return Result.of(t.fit());
      }
    }
  }
}
