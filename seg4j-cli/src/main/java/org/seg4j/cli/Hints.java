package org.seg4j.cli;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Makes the flags a message names fit the command that prints it. Shared code (datasets, masks)
 * names the dataset flags of {@code seg4j dataset check}, {@code split} and {@code augment}; {@code
 * train} and {@code eval} take most of them as config keys instead, so in eval {@code --skip-bad}
 * reads {@code --set data.skip_bad=true} (train has the flag itself) and {@code --ignore-index 255}
 * reads {@code --set data.ignore_index=255}. Flags the command has, and messages of commands
 * without {@code --set}, are left as they are.
 */
final class Hints {
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

  /** The message with flags {@code spec} lacks turned into its --set keys, where it has --set. */
  static String adapt(String message, CommandSpec spec) {
    if (message == null || spec == null || spec.findOption("--set") == null) {
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
