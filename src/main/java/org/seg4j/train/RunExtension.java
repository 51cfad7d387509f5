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
import java.util.Locale;
import java.util.Set;
import org.seg4j.io.SafeTensors;

/**
 * {@code seg4j train --resume RUN --epochs N}: a finished or unfinished run trains on to N epochs
 * in total. The change goes into the run's {@code config.yml} ({@code train.epochs} and a dated
 * line under {@code history:}), written atomically once the resumed run has been set up.
 *
 * <p>Refused, before anything is written: N below the epochs done, and any change of N for a run
 * whose schedule lays its curve over {@code train.epochs} ({@code cosine}, {@code poly}) once an
 * epoch has been trained: the epochs done followed the old curve, so neither keeping nor
 * recomputing it gives a run that its config.yml reproduces. Such a run trains on as a new run from
 * its weights ({@code --init-from}) with a schedule of its own. For the other schedules the
 * extended run equals an uninterrupted run of N epochs bit for bit.
 */
final class RunExtension {
  /** Schedules whose rate at a given epoch depends on train.epochs. */
  private static final Set<String> SPAN_SCHEDULES = Set.of("cosine", "poly");

  private final TrainConfig config;
  private final String change;

  private RunExtension(TrainConfig config, String change) {
    this.config = config;
    this.change = change;
  }

  /**
   * Checks {@code --epochs epochs} against the run and returns the extension, or null when there is
   * nothing to change ({@code epochs} null or equal to train.epochs).
   */
  static RunExtension plan(TrainConfig cfg, RunFolder run, Integer epochs) throws IOException {
    if (epochs == null) {
      return null;
    }
    if (epochs < 1) {
      throw new IllegalArgumentException(
          "--epochs " + epochs + " must be >= 1: it is the total number of epochs of the run");
    }
    int total = cfg.positive("train.epochs");
    int done = epochsDone(run);
    if (epochs < done) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "--epochs %d is below the %d epochs %s has done already: --epochs is the total"
                  + " to reach, not the number to add; give at least %d (e.g. --epochs %d for"
                  + " %d more)",
              epochs,
              done,
              run.dir(),
              done,
              done + epochs,
              epochs));
    }
    if (epochs == total) {
      return null;
    }
    String schedule = cfg.str("schedule.name").toLowerCase(Locale.ROOT);
    if (done > 0 && SPAN_SCHEDULES.contains(schedule)) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "--epochs %d: %s uses schedule.name '%s', which lays its learning-rate curve over"
                  + " train.epochs (%d), and the %d epoch%s done followed that curve. A curve"
                  + " stretched to %d epochs would change the rates of epochs already trained,"
                  + " so the result would not be the run its config.yml describes. Train on as a"
                  + " new run from its weights with a schedule of its own: seg4j train --config"
                  + " %s --name NEW --init-from %s --epochs N",
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
    String change =
        String.format(
            Locale.ROOT,
            "%s: train.epochs %d -> %d (seg4j train --resume --epochs %d, after epoch %d)",
            Instant.now().truncatedTo(ChronoUnit.SECONDS),
            total,
            epochs,
            epochs,
            done);
    JsonNode old = cfg.at("history");
    ArrayNode history =
        old.isArray() ? ((ArrayNode) old).deepCopy() : JsonNodeFactory.instance.arrayNode();
    history.add(change);
    TrainConfig next =
        cfg.copy().set("train.epochs", Integer.toString(epochs)).set("history", history.toString());
    return new RunExtension(next, change);
  }

  /** The run's config with the new total and its history line. */
  TrainConfig config() {
    return config;
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
