package org.seg4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.seg4j.data.SyntheticShapes;
import org.seg4j.run.TrainConfig;

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
  public static Trainer.Result train(TrainConfig cfg, Path dir) throws IOException {
    try (Trainer t = Trainer.start(cfg, dir, quiet())) {
      return t.fit();
    }
  }

  /**
   * The validation mIoU of a model that predicts background everywhere on samples {@code from} to
   * {@code to} (inclusive) of {@code shapes}: the background IoU is the background fraction, the
   * other class scores 0, so the mean is half the fraction. A learning test's threshold is this
   * plus a margin.
   */
  public static double allBackgroundMiou(SyntheticShapes shapes, int from, int to) {
    long bg = 0;
    long all = 0;
    for (int i = from; i <= to; i++) {
      for (int v : shapes.sample(i).mask()) {
        bg += v == 0 ? 1 : 0;
        all++;
      }
    }
    return bg / (double) all / 2;
  }

  /** The column {@code name} of a run's log.csv, one value per epoch. */
  public static List<String> logColumn(Path run, String name) throws IOException {
    List<String> lines = Files.readAllLines(run.resolve("log.csv"));
    int c = List.of(lines.get(0).split(",")).indexOf(name);
    assertThat(c).as("column %s in %s", name, lines.get(0)).isNotNegative();
    return lines.subList(1, lines.size()).stream().map(l -> l.split(",")[c]).toList();
  }

  /** Swallows a trainer's console output. */
  public static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }
}
