package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.run.TrainConfig;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every flag a message names exists on the command that can print it. Flags are collected from
 * picocli; hint texts are the string literals of {@code src/main/java}. The library's literals name
 * settings ({@code data.mask=binary255}), which are checked as {@link Hints} puts them for each
 * command that prints them. A literal's flags belong to the command named in it ({@code seg4j train
 * --resume ...}), else to the command class the file is, else to every command using the mixin the
 * file is, else to the commands {@link #SHARED} lists, else (dataset code) to every command that
 * opens a dataset.
 */
class HintFlagsTest {
  /** The sources of both modules (tests run at the repository root), read below org/seg4j. */
  private static final List<Path> SRC =
      List.of(
          Path.of("seg4j-cli/src/main/java/org/seg4j"),
          Path.of("seg4j-core/src/main/java/org/seg4j"));

  private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern FLAG = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*");
  private static final Pattern MISSING_VALUE = Pattern.compile("(?<=[a-z_]=)(?![\\w'])");
  private static final Pattern INVOCATION =
      Pattern.compile("seg4j(?:\\.jar)? ((?:dataset )?[a-z][a-z-]*)((?:(?!seg4j).)*)");

  /** Commands that open a dataset and so can print the data package's hints. */
  private static final List<String> DATASET_COMMANDS =
      List.of("dataset check", "split", "augment", "train", "eval");

  /** Shared files outside data/ whose hints are checked, and the commands that reach them. */
  private static final Map<String, List<String>> SHARED =
      Map.ofEntries(
          Map.entry("cli/PredictInputs.java", List.of("predict")),
          Map.entry("cli/PredictSaves.java", List.of("predict")),
          Map.entry("data/Splits.java", List.of("split")),
          Map.entry("engine/Engines.java", List.of("train", "eval")),
          Map.entry("augment/MergeAugment.java", List.of("augment")),
          Map.entry("model/ModelConfig.java", List.of("train")),
          Map.entry("model/SegModel.java", List.of("train")),
          Map.entry("model/Checkpoint.java", List.of("predict")),
          Map.entry("model/encoder/EncoderWeights.java", List.of("train")),
          Map.entry("infer/InputResize.java", List.of("predict", "eval")),
          Map.entry("infer/Predictor.java", List.of("predict", "eval")),
          Map.entry("infer/TileOptions.java", List.of("predict", "eval")),
          Map.entry("infer/SavedPredictions.java", List.of("eval")),
          Map.entry("infer/LoadedModel.java", List.of("predict")),
          Map.entry("infer/TorchScriptNetwork.java", List.of("predict")),
          Map.entry("report/Ranking.java", List.of("eval")),
          Map.entry("run/RunFolder.java", List.of("train")),
          Map.entry("run/RunLock.java", List.of("train")),
          Map.entry("run/TrainConfig.java", List.of("train", "eval")),
          Map.entry("train/DataSetup.java", List.of("train", "eval")),
          Map.entry("train/FreezePhases.java", List.of("train")),
          Map.entry("train/Recipe.java", List.of("train")),
          Map.entry("train/RunExtension.java", List.of("train")),
          Map.entry("train/Trainer.java", List.of("train")),
          Map.entry("train/WarmStart.java", List.of("train")));

  /** Command lines built piece by piece: flags in these files' pieces belong to this command. */
  private static final Map<String, String> BUILT_LINES =
      Map.of("cli/SplitCommand.java --set", "train");

  /** Flags a command never gets in a hint, and why. */
  private static final Map<String, String> UNREACHABLE =
      Map.of(
          "train --convert", "DataSetup always converts grey/RGB, so no channel hint reaches train",
          "eval --convert", "eval opens data through DataSetup, which always converts");

  static Map<String, CommandSpec> commands() {
    Map<String, CommandSpec> out = new LinkedHashMap<>();
    collect(new CommandLine(new Seg4j()), "", out);
    return out;
  }

  private static void collect(CommandLine cl, String prefix, Map<String, CommandSpec> out) {
    for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
      String name = prefix + e.getKey();
      out.put(name, e.getValue().getCommandSpec());
      collect(e.getValue(), name + " ", out);
    }
  }

  static boolean has(CommandSpec spec, String flag) {
    return spec.findOption(flag) != null;
  }

  /**
   * The text of each statement's string literals, joined (so "seg4j train" in one literal and its
   * flags in the next stay together), outside comments and annotations.
   */
  static List<String> literals(Path file) throws IOException {
    List<String> out = new ArrayList<>();
    StringBuilder statement = new StringBuilder();
    int annotationDepth = 0;
    for (String line : Files.readAllLines(file)) {
      String t = line.strip();
      if (annotationDepth > 0 || t.startsWith("@")) {
        // annotations (option names and descriptions) are not messages
        annotationDepth += count(t, '(') - count(t, ')');
        continue;
      }
      if (t.startsWith("*") || t.startsWith("//") || t.startsWith("/*")) {
        continue;
      }
      Matcher m = LITERAL.matcher(line);
      while (m.find()) {
        statement.append(' ').append(m.group(1));
      }
      if (t.endsWith(";") || t.endsWith("{") || t.endsWith("}") || t.endsWith("->")) {
        if (statement.length() > 0) {
          out.add(statement.toString());
        }
        statement.setLength(0);
      }
    }
    return out;
  }

  private static int count(String s, char c) {
    return (int) s.chars().filter(x -> x == c).count();
  }

  @Test
  void everyFlagInAHintExistsOnTheCommandThatPrintsIt() throws IOException {
    Map<String, CommandSpec> commands = commands();
    Map<String, String> classToCommand = new TreeMap<>();
    Map<String, List<String>> mixinUsers = new TreeMap<>();
    for (Map.Entry<String, CommandSpec> e : commands.entrySet()) {
      classToCommand.put(e.getValue().userObject().getClass().getSimpleName(), e.getKey());
      for (CommandSpec mixin : e.getValue().mixins().values()) {
        mixinUsers
            .computeIfAbsent(mixin.userObject().getClass().getSimpleName(), k -> new ArrayList<>())
            .add(e.getKey());
      }
    }
    assertThat(classToCommand).containsEntry("PredictCommand", "predict");
    assertThat(mixinUsers.get("DatasetOptions")).contains("dataset check", "split", "augment");
    List<String> wrong = new ArrayList<>();
    Set<String> checked = new HashSet<>();
    Map<Path, Path> files = new TreeMap<>();
    for (Path root : SRC) {
      try (Stream<Path> s = Files.walk(root)) {
        s.filter(p -> p.toString().endsWith(".java")).forEach(p -> files.put(p, root));
      }
    }
    assertThat(files.keySet()).anyMatch(p -> p.endsWith("data/Splits.java"));
    for (Path file : files.keySet()) {
      String rel = files.get(file).relativize(file).toString().replace('\\', '/');
      String cls = file.getFileName().toString().replace(".java", "");
      List<String> owners;
      if (rel.startsWith("cli/") && classToCommand.containsKey(cls)) {
        owners = List.of(classToCommand.get(cls));
      } else if (rel.startsWith("cli/") && mixinUsers.containsKey(cls)) {
        owners = mixinUsers.get(cls);
      } else if (SHARED.containsKey(rel)) {
        owners = SHARED.get(rel);
      } else if (rel.startsWith("data/")) {
        owners = DATASET_COMMANDS;
      } else {
        owners = List.of();
      }
      boolean library = files.get(file).startsWith("seg4j-core");
      for (String raw : literals(file)) {
        // a value the code appends ("tile=" + tile) is missing from the literal: V stands for it
        String lit = library ? MISSING_VALUE.matcher(raw).replaceAll("V") : raw;
        Matcher inv = INVOCATION.matcher(lit);
        String rest = lit;
        while (inv.find()) {
          // flags written after "seg4j NAME" belong to that command
          String name = inv.group(1).strip();
          CommandSpec spec = commands.get(name);
          if (spec == null) {
            continue; // "seg4j checkpoint", "seg4j run folder": prose, not a command line
          }
          String line = library ? Hints.adapt(inv.group(2), spec) : inv.group(2);
          for (String flag : flags(line)) {
            checked.add(rel + " " + flag);
            if (!has(spec, flag)) {
              wrong.add(rel + ": " + flag + " is not an option of seg4j " + name);
            }
          }
          rest = rest.replace(inv.group(), "");
        }
        for (String owner : owners) {
          CommandSpec spec = commands.get(owner);
          String text = library ? Hints.adapt(rest, spec) : rest;
          for (String flag : flags(text)) {
            if (BUILT_LINES.containsKey(rel + " " + flag)) {
              continue; // checked below, for the command it belongs to
            }
            checked.add(rel + " " + flag);
            boolean viaSet = has(spec, "--set") && Hints.CONFIG_KEYS.containsKey(flag);
            if (!has(spec, flag) && !viaSet && !UNREACHABLE.containsKey(owner + " " + flag)) {
              wrong.add(
                  rel + ": \"" + text.strip() + "\" names " + flag + ", which " + owner + " lacks");
            }
          }
        }
        for (String flag : flags(rest)) {
          String built = BUILT_LINES.get(rel + " " + flag);
          if (built != null) {
            checked.add(rel + " " + flag);
            if (!has(commands.get(built), flag)) {
              wrong.add(rel + ": " + flag + " is not an option of seg4j " + built);
            }
          }
        }
      }
    }
    assertThat(wrong).as("hints naming flags the command does not have").isEmpty();
    assertThat(checked).as("the scan found the hints").hasSizeGreaterThan(60);
    assertThat(checked)
        .as("library settings are checked as flags")
        .contains("data/MaskAdvisor.java --mask", "infer/TileOptions.java --tile");
  }

  private static List<String> flags(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = FLAG.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  @Test
  void everySettingMapsToAFlagACommandHasAndEveryConfigKeyIsOne() {
    Map<String, CommandSpec> c = commands();
    TrainConfig defaults = TrainConfig.defaults();
    for (Map.Entry<String, List<String>> e : Hints.FLAGS.entrySet()) {
      for (String flag : e.getValue()) {
        assertThat(c.values())
            .as("a command with %s (for %s)", flag, e.getKey())
            .anyMatch(spec -> has(spec, flag));
      }
      if (e.getKey().contains(".") || List.of("name", "device", "threads").contains(e.getKey())) {
        assertThat(defaults.at(e.getKey()).isMissingNode())
            .as("config key %s", e.getKey())
            .isFalse();
      }
    }
    assertThat(Hints.FLAGS.keySet()).containsAll(Hints.SWITCHES);
  }

  @Test
  void librarySettingsReadAsTheCommandsFlags() {
    Map<String, CommandSpec> c = commands();
    String hint =
        "model.classes=0 must be at least 1; set data.channels=3 data.convert=true, tile=36;"
            + " override data.mask=x: bad value; seg4j train resume=runs/a.";
    assertThat(Hints.adapt(hint, c.get("train")))
        .isEqualTo(
            "--classes 0 must be at least 1; set --in-channels 3 --set data.convert=true,"
                + " --tile 36; --set data.mask=x: bad value; seg4j train --resume runs/a.");
    assertThat(Hints.adapt(hint, c.get("dataset check")))
        .isEqualTo(
            "--classes 0 must be at least 1; set --channels 3 --convert, --tile 36;"
                + " --set data.mask=x: bad value; seg4j train --resume runs/a.");
    assertThat(Hints.adapt("model.options and -Dseg4j.mkldnn=on", c.get("train")))
        .isEqualTo("model.options and -Dseg4j.mkldnn=on");
  }

  @Test
  void trainAndEvalGetDatasetHintsAsSetKeys() {
    Map<String, CommandSpec> c = commands();
    String hint =
        "x.png cannot be read: replace or remove the file, or pass data.skip_bad=true to skip it;"
            + " set data.ignore_index=255 if 255 marks void, check data.mask_pattern=PATTERN, use"
            + " data.mask=threshold:128";
    // train has --skip-bad as a flag of its own; eval takes it as a config key
    assertThat(Hints.adapt(hint, c.get("train")))
        .isEqualTo(
            "x.png cannot be read: replace or remove the file, or pass --skip-bad"
                + " to skip it; set --set data.ignore_index=255 if 255 marks void, check --set"
                + " data.mask_pattern=PATTERN, use --mask threshold:128");
    assertThat(Hints.adapt(hint, c.get("eval")))
        .isEqualTo(
            "x.png cannot be read: replace or remove the file, or pass --set data.skip_bad=true"
                + " to skip it; set --set data.ignore_index=255 if 255 marks void, check --set"
                + " data.mask_pattern=PATTERN, use --mask threshold:128");
    String asFlags =
        "x.png cannot be read: replace or remove the file, or pass --skip-bad to skip it;"
            + " set --ignore-index 255 if 255 marks void, check --mask-pattern PATTERN, use --mask"
            + " threshold:128";
    assertThat(Hints.adapt(hint, c.get("dataset check"))).isEqualTo(asFlags);
    assertThat(Hints.adapt(hint, c.get("predict"))).isEqualTo(asFlags);
  }

  @Test
  void aVocPaletteMaskWithTooFewClassesAsksForMoreClassesNotAThreshold(@TempDir Path dir)
      throws Exception {
    Path voc = TinyData.voc(dir.resolve("voc"));
    CliRun check =
        CliRun.of(
            "dataset", "check", "--data", voc.toString(), "--format", "voc", "--classes", "2");
    assertThat(check.code()).isEqualTo(1);
    assertThat(check.out())
        .contains("holds values {0, 1, 2, 255} but classes=2 (ignore index 255)")
        .contains("use --classes 3 if these are real classes")
        .doesNotContain("threshold");
    CliRun train =
        CliRun.of(
            "train",
            "--data",
            voc.toString(),
            "--format",
            "voc",
            "--classes",
            "2",
            "--runs",
            dir.resolve("runs").toString());
    assertThat(train.code()).isEqualTo(2);
    assertThat(train.err()).contains("use --classes 3").doesNotContain("threshold");
  }

  @Test
  void trainNamesItsOwnSkipBadFlag(@TempDir Path dir) throws Exception {
    Path data = TinyData.synthetic(dir.resolve("d"), 4);
    Files.writeString(data.resolve("images/synth_0002.png"), "broken");
    CliRun train =
        CliRun.of(
            "train",
            "--data",
            data.toString(),
            "--runs",
            dir.resolve("runs").toString(),
            "--epochs",
            "1");
    assertThat(train.code()).isEqualTo(2);
    assertThat(train.err())
        .contains("synth_0002.png")
        .contains("pass --skip-bad")
        .doesNotContain("data.skip_bad");
  }
}
