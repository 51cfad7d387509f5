package org.seg4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.seg4j.train.ResumeOptions;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The flags {@code seg4j train --resume RUN} takes. A resumed run goes on as its {@code config.yml}
 * says; {@code --epochs N} (a new total), {@code --lr} and {@code --set} of the keys in {@link
 * ResumeOptions#changeable()} (early stop, the save policy, ...) change the rest of the run and are
 * recorded in config.yml's history, and {@code --no-progress} is display only. Every other flag,
 * {@code --threads} and {@code --device} included (they change libtorch's floating-point sums, so
 * the run would no longer repeat bit for bit), is refused by name with the reason, never silently
 * dropped.
 */
final class ResumeFlags {
  private static final Set<String> ALLOWED =
      Set.of("--resume", "--epochs", "--lr", "--no-progress");

  private static final Map<String, String> WHY =
      Map.ofEntries(
          Map.entry("--config", "it would replace the run's settings"),
          Map.entry("--name", "the run is the folder --resume names"),
          Map.entry("--runs", "the run is the folder --resume names"),
          Map.entry("--data", "it would change the training data"),
          Map.entry("--skip-bad", "it would change the training data"),
          Map.entry("--overwrite", "it starts a new run, and --resume continues this one"),
          Map.entry("--format", "it would change how the data is read"),
          Map.entry("--mask", "it would change how the masks are read"),
          Map.entry("--arch", "it would change the model, whose weights are in the run"),
          Map.entry("--base", "it would change the model, whose weights are in the run"),
          Map.entry("--classes", "it would change the model, whose weights are in the run"),
          Map.entry("--in-channels", "it would change the model, whose weights are in the run"),
          Map.entry("--batch", "it would change the batches of the remaining epochs"),
          Map.entry("--optimizer", "it would change the optimizer, whose state is in the run"),
          Map.entry("--loss", "it would change the loss of the remaining epochs"),
          Map.entry("--schedule", "it would change the learning-rate schedule"),
          Map.entry("--encoder-weights", "the weights come from the run's resume file"),
          Map.entry("--init-partial", "the weights come from the run's resume file"),
          Map.entry("--seed", "it would change the data order and augmentation"),
          Map.entry(
              "--device",
              "another device sums in another order, so the run would no longer repeat bit for"
                  + " bit"),
          Map.entry(
              "--threads",
              "libtorch's thread count changes the order of its floating-point sums, so the run"
                  + " would no longer repeat bit for bit (edit threads in config.yml to accept"
                  + " that)"));

  private ResumeFlags() {}

  /** Fails naming every flag given with --resume that would change the run, and why. */
  static void check(ParseResult parsed, Path run, Map<String, String> sets) {
    if (parsed.hasMatchedOption("--init-from")) {
      throw new IllegalArgumentException(
          "--init-from "
              + parsed.matchedOptionValue("--init-from", "")
              + " cannot be used with --resume: --init-from starts a NEW run from another"
              + " model's weights with a fresh optimizer, --resume continues "
              + run
              + " from its own last epoch: use one of them");
    }
    List<String> refused = new ArrayList<>();
    for (OptionSpec o : parsed.matchedOptions()) {
      String name = o.longestName();
      if (ALLOWED.contains(name) || o.usageHelp() || o.versionHelp()) {
        continue;
      }
      if (name.equals("--set")) {
        sets.forEach(
            (k, v) -> {
              if (!ResumeOptions.changeable().containsKey(k)) {
                refused.add(
                    "--set " + k + "=" + v + ": it would change config key '" + k + "' of the run");
              }
            });
        continue;
      }
      String value = o.arity().max() == 0 ? "" : String.join(" ", o.originalStringValues());
      refused.add(
          name
              + (value.isEmpty() ? "" : " " + value)
              + ": "
              + WHY.getOrDefault(name, "it would change the run"));
    }
    if (refused.isEmpty()) {
      return;
    }
    throw new IllegalArgumentException(
        (refused.size() == 1 ? "this flag cannot" : "these flags cannot")
            + " be used with --resume, which continues "
            + run
            + " exactly as its config.yml says:\n  "
            + String.join("\n  ", refused)
            + "\nWith --resume only --epochs N (a new total), --lr, --no-progress and --set of "
            + String.join(", ", ResumeOptions.changeable().keySet().stream().sorted().toList())
            + " are allowed. To train on with other settings, start a new run from its weights:"
            + " seg4j train"
            + " --config "
            + run.resolve("config.yml")
            + " --name NEW --init-from "
            + run
            + " [flags]");
  }
}
