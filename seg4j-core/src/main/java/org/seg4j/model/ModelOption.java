package org.seg4j.model;

import java.util.ArrayList;
import java.util.List;

/**
 * One architecture option ({@code -O name=value}, {@code model.options}), declared once: its name,
 * default, allowed values and a one-line doc. Architectures read their options through it, and
 * {@code seg4j models}, its help and the README tables list the same declarations.
 *
 * @param name the key
 * @param defaultValue the default as text (e.g. {@code 4}, {@code 64·base})
 * @param allowed the allowed values in words (e.g. {@code 1..6}, {@code relu|leaky})
 * @param doc what it does, one line
 * @param choices for a choice option its values, the default first; otherwise empty
 * @param range for a whole-number option its bounds {@code {lo, hi}}; otherwise null
 */
public record ModelOption(
    String name,
    String defaultValue,
    String allowed,
    String doc,
    List<String> choices,
    int[] range) {

  /** A whole-number option in [lo, hi]. */
  public static ModelOption integer(String name, int def, int lo, int hi, String doc) {
    return new ModelOption(
        name, String.valueOf(def), lo + ".." + hi, doc, List.of(), new int[] {lo, hi});
  }

  /** A whole-number or decimal option whose default and allowed values are given in words. */
  public static ModelOption number(String name, String def, String allowed, String doc) {
    return new ModelOption(name, def, allowed, doc, List.of(), null);
  }

  /** A true/false option. */
  public static ModelOption bool(String name, boolean def, String doc) {
    return new ModelOption(name, String.valueOf(def), "true|false", doc, List.of(), null);
  }

  /** An option with named values; the first is the default. */
  public static ModelOption choice(String name, String doc, String def, String... others) {
    List<String> all = new ArrayList<>(List.of(def));
    all.addAll(List.of(others));
    return new ModelOption(name, def, String.join("|", all), doc, List.copyOf(all), null);
  }

  /**
   * The value set in {@code c}, or the declared default; checked against the range {@code lo..hi}
   * of an {@link #integer} option.
   */
  public int intValue(ModelConfig c) {
    int def = Integer.parseInt(defaultValue);
    return range == null ? c.intOption(name, def) : c.intOption(name, def, range[0], range[1], doc);
  }

  /** The value set in {@code c}, or {@code def} for a default that depends on the config. */
  public int intValue(ModelConfig c, int def) {
    return c.intOption(name, def);
  }

  /** The value set in {@code c}, or the declared default. */
  public float floatValue(ModelConfig c) {
    return c.floatOption(name, Float.parseFloat(defaultValue));
  }

  /** The value set in {@code c}, or the declared default. */
  public boolean boolValue(ModelConfig c) {
    return c.boolOption(name, Boolean.parseBoolean(defaultValue));
  }

  /**
   * The value set in {@code c} (lower case), or the default; another value lists the valid ones.
   */
  public String choiceValue(ModelConfig c) {
    return c.choiceOption(
        name, choices.get(0), choices.subList(1, choices.size()).toArray(String[]::new));
  }

  /** Whether {@code c} sets this option. */
  public boolean isSet(ModelConfig c) {
    return c.options().containsKey(name);
  }
}
