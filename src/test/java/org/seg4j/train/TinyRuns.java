package org.seg4j.train;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Shared set-up of tests that train a tiny U-Net on the built-in synthetic shapes. */
public final class TinyRuns {
  private TinyRuns() {}

  /**
   * A config for a base-4, depth-2 U-Net on a {@code SyntheticShapes} folder at {@code data}.
   *
   * @param train training ids, e.g. {@code "0..19"}
   * @param val validation ids
   */
  public static TrainConfig config(Path data, String train, String val, int epochs) {
    return TrainConfig.defaults()
        .set("data.root", data.toString())
        .set("data.mask", "index")
        .set("data.train", train)
        .set("data.val", val)
        .set("data.image_pattern", "synth_{id}.png")
        .set("data.mask_pattern", "synth_{id}.png")
        .set("model.base", "4")
        .set("model.options", "{depth: 2}")
        .set("train.epochs", Integer.toString(epochs))
        .set("train.progress", "false")
        .set("optimizer.lr", "0.01")
        .set("threads", "2");
  }

  /** Starts a run of {@code cfg} in {@code dir} and trains it to the end, quietly. */
  public static Trainer.Result train(TrainConfig cfg, Path dir) throws java.io.IOException {
    try (Trainer t = Trainer.start(cfg, dir, quiet())) {
      return t.fit();
    }
  }

  /** Swallows a trainer's console output. */
  public static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }
}
