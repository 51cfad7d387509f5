package org.seg4j.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.seg4j.io.Words;

/**
 * What a model is built from: architecture name, input channels, classes, base width and the
 * architecture's own options (e.g. {@code bn=false}, {@code up=bilinear}), as strings so they
 * round-trip through config files and checkpoints.
 */
public record ModelConfig(
    String arch, int inChannels, int classes, int base, Map<String, String> options) {

  /** Validates the numbers and freezes the options. */
  public ModelConfig {
    if (inChannels < 1) {
      throw new IllegalArgumentException(
          "in_channels=" + inChannels + " must be at least 1: use 1 for grey, 3 for RGB");
    }
    if (classes < 1) {
      throw new IllegalArgumentException(
          "model.classes=" + classes + " must be at least 1: use 2 for a binary mask");
    }
    if (base < 1) {
      throw new IllegalArgumentException(
          "model.base=" + base + " must be at least 1: e.g. 32 or 64");
    }
    options =
        Collections.unmodifiableMap(new LinkedHashMap<>(options == null ? Map.of() : options));
  }

  /** A config with no options. */
  public static ModelConfig of(String arch, int inChannels, int classes, int base) {
    return new ModelConfig(arch, inChannels, classes, base, Map.of());
  }

  /** Returns a copy with one option set. */
  public ModelConfig with(String key, String value) {
    Map<String, String> o = new LinkedHashMap<>(options);
    o.put(key, value);
    return new ModelConfig(arch, inChannels, classes, base, o);
  }

  /** A string option or its default. */
  public String option(String key, String def) {
    return options.getOrDefault(key, def);
  }

  /** An integer option or its default; a bad value names the key. */
  public int intOption(String key, int def) {
    String v = options.get(key);
    if (v == null) {
      return def;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "model option " + key + "=" + v + " is not a whole number: e.g. " + key + "=" + def);
    }
  }

  /** An integer option in [lo, hi] or its default; out of range names the key and the range. */
  public int intOption(String key, int def, int lo, int hi, String hint) {
    int v = intOption(key, def);
    if (v < lo || v > hi) {
      throw new IllegalArgumentException(
          "model option "
              + key
              + "="
              + v
              + " is out of range: use "
              + lo
              + " to "
              + hi
              + " ("
              + hint
              + ")");
    }
    return v;
  }

  /** A float option or its default; a bad value names the key. */
  public float floatOption(String key, float def) {
    String v = options.get(key);
    if (v == null) {
      return def;
    }
    try {
      return Float.parseFloat(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "model option " + key + "=" + v + " is not a number: e.g. " + key + "=" + def);
    }
  }

  /** A boolean option (true/false/on/off/yes/no/1/0) or its default. */
  public boolean boolOption(String key, boolean def) {
    String v = options.get(key);
    if (v == null) {
      return def;
    }
    switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true":
      case "on":
      case "yes":
      case "1":
        return true;
      case "false":
      case "off":
      case "no":
      case "0":
        return false;
      default:
        throw new IllegalArgumentException(
            "model option " + key + "=" + v + " is not a boolean: use true or false");
    }
  }

  /**
   * A string option that must be one of {@code def} and {@code alternatives} (case-insensitive,
   * returned in lower case); any other value fails with the valid ones.
   */
  public String choiceOption(String key, String def, String... alternatives) {
    String v = option(key, def).trim().toLowerCase(Locale.ROOT);
    if (v.equals(def) || Arrays.asList(alternatives).contains(v)) {
      return v;
    }
    List<String> valid = new ArrayList<>(List.of(def));
    valid.addAll(List.of(alternatives));
    throw new IllegalArgumentException(
        "model option "
            + key
            + "="
            + v
            + " is not known for "
            + arch
            + ": use "
            + Words.either(valid));
  }

  /** Fails with the list of known keys when an option is not one of {@code known}. */
  public void checkOptions(List<ModelOption> known) {
    Set<String> names = new TreeSet<>();
    known.forEach(o -> names.add(o.name()));
    for (String k : options.keySet()) {
      if (!names.contains(k)) {
        throw new IllegalArgumentException(
            "model option '" + k + "' is not known for " + arch + ": valid options are " + names);
      }
    }
  }
}
