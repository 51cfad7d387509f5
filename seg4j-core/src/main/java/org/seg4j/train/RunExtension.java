package org.seg4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.seg4j.io.SafeTensors;
import org.seg4j.run.RunFolder;
import org.seg4j.run.TrainConfig;
import org.seg4j.train.schedule.Schedules;

/**
 * The changes {@code seg4j train --resume RUN} makes to a run: a new total ({@code --epochs N}) and
 * the keys of {@link #MAY_CHANGE} (the learning rate, early stop, the save policy, ...). They go
 * into the run's {@code config.yml}, with a dated line under {@code history:} that names each old
 * and new value and the epoch after which it applies, written atomically once the resumed run has
 * been set up.
 *
 * <p>Refused, before anything is written: N below the epochs done, and any change of N for a run
 * whose schedule lays its curve over {@code train.epochs} ({@code cosine}, {@code poly}) once an
 * epoch has been trained: the epochs done followed the old curve, so neither keeping nor
 * recomputing it gives a run that its config.yml reproduces. Such a run trains on as a new run from
 * its weights ({@code --init-from}) with a schedule of its own. For the other schedules a run
 * extended without other changes equals an uninterrupted run of N epochs bit for bit.
 */
final class RunExtension {

  /**
   * Keys a resumed run may change, and why each is safe: none changes the model, the data, the
   * optimiser's kind or the order of the batches, so the epochs done stay what they were.
   */
  static final Map<String, String> MAY_CHANGE =
      Map.of(
          "train.epochs", "the total to train to",
          "optimizer.lr", "the base learning rate of the remaining epochs",
          "train.early_stop", "when to stop",
          "train.max_minutes", "when to stop",
          "train.save_every", "which checkpoints are kept",
          "train.val_every", "how often the model is validated",
          "train.clip_grad", "the gradient clipping of the remaining epochs",
          "data.workers", "how many threads load batches (the batches stay the same)",
          "data.prefetch", "how many batches are loaded ahead (the batches stay the same)");

  private final TrainConfig config;
  private final String change;
  private final double lrRatio;

  private RunExtension(TrainConfig config, String change, double lrRatio) {
    this.config = config;
    this.change = change;
    this.lrRatio = lrRatio;
  }

  /** The keys {@code --resume} may change, for the CLI's checks and help. */
  static Set<String> keys() {
    return MAY_CHANGE.keySet();
  }

  /**
   * Checks the resume options against the run and returns the changes, or null when there is
   * nothing to change.
   */
  static RunExtension plan(TrainConfig cfg, RunFolder run, ResumeOptions options)
      throws IOException {
    Map<String, String> changes = new LinkedHashMap<>();
    if (options.epochs() != null) {
      changes.put("train.epochs", Integer.toString(options.epochs()));
    }
    changes.putAll(options.changes());
    int done = epochsDone(run);
    TrainConfig next = cfg.copy();
    List<String> what = new ArrayList<>();
    List<String> flags = new ArrayList<>();
    for (Map.Entry<String, String> e : changes.entrySet()) {
      String key = e.getKey();
      if (!MAY_CHANGE.containsKey(key)) {
        throw new IllegalArgumentException(
            "config key '"
                + key
                + "' cannot change when a run is resumed; these can: "
                + String.join(", ", MAY_CHANGE.keySet().stream().sorted().toList()));
      }
      String old = cfg.at(key).asText();
      next.set(key, e.getValue());
      String now = e.getValue().strip();
      if (key.equals("train.epochs")) {
        checkEpochs(cfg, run, next.integer(key), done);
      }
      if (!next.at(key).equals(cfg.at(key))) {
        what.add(key + " " + old + " -> " + now);
        flags.add(key.equals("train.epochs") ? "--epochs " + now : "--set " + key + "=" + now);
      }
    }
    if (what.isEmpty()) {
      return null;
    }
    next.checkRanges(); // a new value must be as valid as at the start of a run
    String change =
        String.format(
            Locale.ROOT,
            "%s: %s (seg4j train --resume %s, after epoch %d)",
            Instant.now().truncatedTo(ChronoUnit.SECONDS),
            String.join(", ", what),
            String.join(" ", flags),
            done);
    JsonNode old = cfg.at("history");
    ArrayNode history =
        old.isArray() ? ((ArrayNode) old).deepCopy() : JsonNodeFactory.instance.arrayNode();
    history.add(change);
    next.set("history", history.toString());
    double ratio = next.optimizer().lr() / cfg.optimizer().lr();
    return new RunExtension(next, change, ratio);
  }

  private static void checkEpochs(TrainConfig cfg, RunFolder run, int epochs, int done) {
    if (epochs < 1) {
      throw new IllegalArgumentException(
          "train.epochs=" + epochs + " must be >= 1: it is the total number of epochs of the run");
    }
    int total = cfg.training().epochs();
    if (epochs < done) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "train.epochs=%d is below the %d epochs %s has done already: train.epochs is the"
                  + " total to reach, not the number to add; give at least %d (e.g."
                  + " train.epochs=%d for"
                  + " %d more)",
              epochs,
              done,
              run.dir(),
              done,
              done + epochs,
              epochs));
    }
    String schedule = cfg.schedule().name().toLowerCase(Locale.ROOT);
    if (epochs != total && done > 0 && Schedules.spansEpochs(schedule)) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "train.epochs=%d: %s uses schedule.name '%s', which lays its learning-rate curve over"
                  + " train.epochs (%d), and the %d epoch%s done followed that curve. A curve"
                  + " stretched to %d epochs would change the rates of epochs already trained,"
                  + " so the result would not be the run its config.yml describes. Train on as a"
                  + " new run from its weights with a schedule of its own: seg4j train config=%s"
                  + " name=NEW model.init_from=%s train.epochs=N",
              epochs,
              run.dir(),
              schedule,
              total,
              done,
              done == 1 ? "" : "s",
              epochs,
              run.config(),
              run.dir()));
    }
  }

  /** The run's config with the changes and their history line. */
  TrainConfig config() {
    return config;
  }

  /** New base learning rate over old (1 when unchanged), for schedules that keep a rate. */
  double lrRatio() {
    return lrRatio;
  }

  /** Writes the changed config.yml atomically and says so. */
  void commit(RunFolder run, PrintStream out) throws IOException {
    run.writeConfig(config.toYaml());
    out.println(
        change.substring(change.indexOf(' ') + 1) + ": recorded under history: in " + run.config());
  }

  /** Epochs done as the run's resume file says; 0 when it has none yet. */
  static int epochsDone(RunFolder run) throws IOException {
    Path f = run.trainerState("last");
    if (!Files.exists(f)) {
      return 0;
    }
    String v = SafeTensors.readMetadata(f).get("epochs_done");
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IOException(f + " has damaged metadata (epochs_done=" + v + "): train anew");
    }
  }
}
