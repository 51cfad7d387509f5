package org.seg4j.cli;

import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Puts the settings a library message names the way the command that prints it takes them. The
 * library (seg4j-core) names config keys and API parameters, never flags: a setting to make is
 * written {@code key=value} ({@code data.mask=binary255}, {@code in_channels=3}, {@code
 * data.skip_bad=true}, {@code tile=100}; a value in capitals such as {@code DIR} stands for one the
 * user picks). Here each becomes the command's flag ({@code --mask binary255}, {@code --skip-bad}),
 * or, for a config key the command has no flag for, {@code --set key=value}; {@code override
 * key=value} (a key given as an override) always reads {@code --set key=value}. Flags named in the
 * CLI's own messages that the command lacks turn into their {@code --set} keys as well, so in eval
 * {@code --skip-bad} reads {@code --set data.skip_bad=true}.
 */
final class Hints {
  /**
   * The flag of each config key and API parameter a library message may name; where commands name
   * it differently, the flags to try in order.
   */
  static final Map<String, List<String>> FLAGS =
      Map.ofEntries(
          Map.entry("data.root", List.of("--data")),
          Map.entry("data.format", List.of("--format")),
          Map.entry("data.mask", List.of("--mask")),
          Map.entry("data.mask_pattern", List.of("--mask-pattern")),
          Map.entry("data.image_pattern", List.of("--image-pattern")),
          Map.entry("data.masks", List.of("--masks")),
          Map.entry("data.classes_file", List.of("--classes-file")),
          Map.entry("data.channels", List.of("--channels", "--in-channels")),
          Map.entry("data.convert", List.of("--convert")),
          Map.entry("data.skip_bad", List.of("--skip-bad")),
          Map.entry("data.follow_links", List.of("--follow-links")),
          Map.entry("data.ignore_index", List.of("--ignore-index")),
          Map.entry("model.arch", List.of("--arch")),
          Map.entry("model.classes", List.of("--classes")),
          Map.entry("in_channels", List.of("--in-channels")),
          Map.entry("model.base", List.of("--base")),
          Map.entry("model.init_from", List.of("--init-from")),
          Map.entry("model.init_partial", List.of("--init-partial")),
          Map.entry("model.encoder_weights", List.of("--encoder-weights")),
          Map.entry("train.epochs", List.of("--epochs")),
          Map.entry("optimizer.lr", List.of("--lr")),
          Map.entry("name", List.of("--name")),
          Map.entry("device", List.of("--device")),
          Map.entry("threads", List.of("--threads")),
          Map.entry("tile", List.of("--tile")),
          Map.entry("overlap", List.of("--overlap")),
          Map.entry("tile_batch", List.of("--tile-batch")),
          Map.entry("resize", List.of("--resize")),
          Map.entry("prune_level", List.of("--prune-level")),
          Map.entry("opset", List.of("--opset")),
          Map.entry("dynamic_size", List.of("--dynamic-size")),
          Map.entry("size", List.of("--size")),
          Map.entry("side_multiple", List.of("--side-multiple")),
          Map.entry("checkpoint", List.of("--checkpoint")),
          Map.entry("predictions", List.of("--predictions")),
          Map.entry("output", List.of("--output")),
          Map.entry("rank_class", List.of("--rank-class")),
          Map.entry("ratios", List.of("--ratios")),
          Map.entry("copies", List.of("--copies")),
          Map.entry("copy", List.of("--copy")),
          Map.entry("into", List.of("--into")),
          Map.entry("out", List.of("--out")),
          Map.entry("overwrite", List.of("--overwrite")),
          Map.entry("resume", List.of("--resume")),
          Map.entry("config", List.of("--config")),
          Map.entry("from", List.of("--from")),
          Map.entry("normalize", List.of("--normalize")),
          Map.entry("port", List.of("--port")),
          Map.entry("max_batch", List.of("--max-batch")),
          Map.entry("max_delay_ms", List.of("--max-delay-ms")),
          Map.entry("queue", List.of("--queue")),
          Map.entry("max_image_pixels", List.of("--max-image-pixels")),
          Map.entry("max_body_mb", List.of("--max-body-mb")));

  /** Settings that are switches: {@code key=true} is the bare flag. */
  static final Set<String> SWITCHES =
      Set.of(
          "data.convert",
          "data.skip_bad",
          "data.follow_links",
          "model.init_partial",
          "dynamic_size",
          "copy",
          "into",
          "overwrite");

  /** The sections of the run config: a {@code section.key=value} is a config key. */
  private static final Pattern CONFIG_KEY =
      Pattern.compile("(?:data|model|loss|optimizer|schedule|train|augment)\\.[a-z0-9_.]+");

  /** A setting in a library message, {@code [override ]key=value}. */
  private static final Pattern SETTING =
      Pattern.compile(
          "(?<![\\w.-])(override )?([a-z][a-z0-9_]*(?:\\.[a-z][a-z0-9_]*)*)="
              + "([A-Za-z0-9_:.{}*+/<>'-]*[A-Za-z0-9_{}*+/<>'-])");

  /** Dataset flags and their config keys; a key ending in '=' takes the flag's value. */
  static final Map<String, String> CONFIG_KEYS =
      Map.ofEntries(
          Map.entry("--skip-bad", "data.skip_bad=true"),
          Map.entry("--follow-links", "data.follow_links=true"),
          Map.entry("--convert", "data.convert=true"),
          Map.entry("--ignore-index", "data.ignore_index="),
          Map.entry("--mask-pattern", "data.mask_pattern="),
          Map.entry("--image-pattern", "data.image_pattern="),
          Map.entry("--classes-file", "data.classes_file="),
          Map.entry("--channels", "data.channels="),
          Map.entry("--format", "data.format="),
          Map.entry("--mask", "data.mask="),
          Map.entry("--classes", "model.classes="),
          Map.entry("--data", "data.root="));

  /** What stands for a value the message does not give. */
  private static final Map<String, String> PLACEHOLDERS =
      Map.of(
          "data.mask_pattern=", "PATTERN",
          "data.image_pattern=", "PATTERN",
          "data.classes_file=", "FILE",
          "data.root=", "DIR");

  private static final Pattern FLAG =
      Pattern.compile("(?<![\\w-])(--[a-z][a-z0-9-]*)(?: ([A-Za-z0-9_:.{}*+/-]+))?");

  private static final Set<String> WORDS =
      Set.of("to", "if", "or", "and", "the", "with", "for", "of", "in", "is", "on", "a");

  private Hints() {}

  /**
   * The message with its settings put as {@code spec} takes them (null: as flags, for a command
   * without {@code --set}), and flags {@code spec} lacks turned into its --set keys.
   */
  static String adapt(String message, CommandSpec spec) {
    if (message == null) {
      return null;
    }
    return cliFlagsAsKeys(settingsAsFlags(message, spec), spec);
  }

  /** The library's {@code key=value} settings as {@code spec}'s flags or {@code --set} keys. */
  static String settingsAsFlags(String message, CommandSpec spec) {
    boolean set = spec != null && spec.findOption("--set") != null;
    Matcher m = SETTING.matcher(message);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String key = m.group(2);
      String value = m.group(3);
      List<String> flags = FLAGS.getOrDefault(key, List.of());
      String flag =
          flags.stream()
              .filter(f -> spec != null && spec.findOption(f) != null)
              .findFirst()
              .orElse(null);
      String text;
      if (m.start() >= 6 && message.startsWith("--set ", m.start() - 6)) {
        text = m.group(); // already a --set of the CLI's own
      } else if (m.group(1) != null) {
        text = "--set " + key + "=" + value;
      } else if (flag == null && set && CONFIG_KEY.matcher(key).matches()) {
        text = "--set " + key + "=" + value;
      } else if (flag != null || !flags.isEmpty()) {
        // the command's flag; else the usual one, as for a command without --set
        String f = flag != null ? flag : flags.get(0);
        text = f + (SWITCHES.contains(key) && value.equals("true") ? "" : " " + value);
      } else {
        text = m.group();
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(text));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /**
   * A stream that prints to {@code out} what the library writes to it (a run's progress and
   * remarks), its settings put as {@code spec} takes them.
   */
  static PrintStream adapting(PrintStream out, CommandSpec spec) {
    String encoding = System.getProperty("sun.stdout.encoding");
    Charset charset = encoding != null ? Charset.forName(encoding) : Charset.defaultCharset();
    return new PrintStream(out, true, charset) {
      @Override
      public void print(String s) {
        super.print(adapt(s, spec));
      }

      @Override
      public PrintStream format(String format, Object... args) {
        print(String.format(format, args));
        return this;
      }

      @Override
      public PrintStream format(Locale locale, String format, Object... args) {
        print(String.format(locale, format, args));
        return this;
      }
    };
  }

  /** Flags {@code spec} lacks turned into its --set keys, where it has --set. */
  private static String cliFlagsAsKeys(String message, CommandSpec spec) {
    if (spec == null || spec.findOption("--set") == null) {
      return message;
    }
    Matcher m = FLAG.matcher(message);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String flag = m.group(1);
      String key = CONFIG_KEYS.get(flag);
      if (spec.findOption(flag) != null || key == null) {
        m.appendReplacement(sb, Matcher.quoteReplacement(m.group()));
        continue;
      }
      String value = m.group(2);
      String rest = "";
      if (value != null && WORDS.contains(value)) {
        rest = " " + value;
        value = null;
      }
      String text;
      if (!key.endsWith("=")) {
        text = "--set " + key + (value == null ? "" : " " + value);
      } else {
        // a trailing full stop or comma ends the sentence, not the value
        String tail = "";
        if (value != null && (value.endsWith(".") || value.endsWith(","))) {
          tail = value.substring(value.length() - 1);
          value = value.substring(0, value.length() - 1);
        }
        text =
            "--set " + key + (value != null ? value : PLACEHOLDERS.getOrDefault(key, "N")) + tail;
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(text + rest));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
