package org.seg4j.augment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The transform types the YAML config knows, each declared once with its keys, their defaults and a
 * one-line doc ({@link #table()} lists them; the README holds that table). Every type but {@code
 * resize} accepts {@code p}, the probability of applying it; geometric ones accept {@code
 * interpolation} for the image (default: the config's top-level {@code interpolation}, bilinear).
 */
final class TransformRegistry {
  /**
   * One key of a transform type.
   *
   * @param name the key
   * @param defaultValue its default as YAML text, or null when it has none
   * @param doc what it sets, one line
   */
  record Key(String name, String defaultValue, String doc) {}

  private record Spec(
      String doc, List<Key> keys, ConfigNode defaults, Function<Args, PairedTransform> build) {
    boolean hasP() {
      return keys.stream().anyMatch(k -> k.name().equals("p"));
    }
  }

  /** What a builder gets: the node, its type's defaults and the config-wide settings. */
  record Args(ConfigNode node, ConfigNode defaults, Interpolation interpolation, int ignoreIndex) {
    Interpolation interp() {
      String name = node.text("interpolation", null);
      if (name == null) {
        return interpolation;
      }
      try {
        return Interpolation.parse(name);
      } catch (IllegalArgumentException e) {
        throw node.error(e.getMessage());
      }
    }

    double number(String key) {
      return node.number(key, defaults.number(key, Double.NaN));
    }

    int integer(String key) {
      return node.integer(key, defaults.integer(key, 0));
    }

    boolean bool(String key) {
      return node.bool(key, defaults.bool(key, false));
    }

    /** A range; one number r means [-r, r] when {@code symmetric}, else [r, r]. */
    Range range(String key, boolean symmetric) {
      return node.range(key, defaults.range(key, null, symmetric), symmetric);
    }
  }

  private static final Key INTERPOLATION =
      new Key("interpolation", null, "image resampling (default: the top-level interpolation)");
  private static final Key SIZE = new Key("size", null, "output side (or height and width)");
  private static final Key HEIGHT = new Key("height", null, "output height, with width");
  private static final Key WIDTH = new Key("width", null, "output width, with height");

  private static final Map<String, Spec> SPECS = new LinkedHashMap<>();

  static {
    add("hflip", "mirror left-right", 0.5, a -> new Flip(true));
    add("vflip", "mirror top-bottom", 0.5, a -> new Flip(false));
    add("rot90", "k × 90 degrees, k uniform in 0..3", 0.5, a -> new Rot90());
    add(
        "rotate",
        "rotation by a uniform angle",
        0.5,
        a -> new Rotate(a.range("degrees", true), a.interp(), a.ignoreIndex()),
        new Key("degrees", "30", "angle range: r means [-r, r], or [lo, hi]"),
        INTERPOLATION);
    add(
        "scale",
        "zoom about the centre, size kept",
        0.5,
        a -> new Scale(a.range("range", false), a.interp(), a.ignoreIndex()),
        new Key("range", "[0.9, 1.1]", "zoom factor range [lo, hi]"),
        INTERPOLATION);
    add(
        "translate",
        "whole-pixel shift",
        0.5,
        a -> new Translate(a.number("fraction"), a.ignoreIndex()),
        new Key("fraction", "0.1", "largest shift as a fraction of each side"));
    add(
        "random_crop",
        "a random window; pads with void when the image is smaller",
        1.0,
        a -> {
          int[] hw = size(a.node());
          return new RandomCrop(hw[0], hw[1], a.ignoreIndex());
        },
        SIZE,
        HEIGHT,
        WIDTH);
    add(
        "resize",
        "resize to a fixed size, always applied",
        Double.NaN,
        a -> {
          int[] hw = size(a.node());
          return new Resize(hw[0], hw[1], a.bool("keep_aspect"), a.interp(), a.ignoreIndex());
        },
        SIZE,
        HEIGHT,
        WIDTH,
        new Key("keep_aspect", "false", "letterbox: keep the aspect ratio, pad with void"),
        INTERPOLATION);
    add(
        "gaussian_noise",
        "additive Gaussian noise on the image",
        0.5,
        a -> new GaussianNoise(a.range("std", false)),
        new Key("std", "0.03", "noise std, or a range [lo, hi] to draw it from"));
    add(
        "brightness_contrast",
        "random brightness and contrast",
        0.5,
        a -> new BrightnessContrast(a.number("brightness"), a.number("contrast")),
        new Key("brightness", "0.2", "largest brightness change"),
        new Key("contrast", "0.2", "largest contrast change"));
    add(
        "hsv",
        "hue, saturation and value jitter",
        0.5,
        a -> new HsvJitter(a.number("hue"), a.number("saturation"), a.number("value")),
        new Key("hue", "0.02", "largest hue shift, in turns"),
        new Key("saturation", "0.3", "largest saturation change"),
        new Key("value", "0.3", "largest value change"));
    add(
        "gaussian_blur",
        "Gaussian blur of the image",
        0.5,
        a -> new GaussianBlur(a.range("sigma", false)),
        new Key("sigma", "[0.5, 1.5]", "blur sigma range [lo, hi]"));
    add(
        "elastic",
        "Simard et al.'s smoothed random displacement field",
        0.5,
        a -> new ElasticDeform(a.number("alpha"), a.number("sigma"), a.interp(), a.ignoreIndex()),
        new Key("alpha", "34", "displacement scale in pixels"),
        new Key("sigma", "4", "smoothing of the field in pixels"),
        INTERPOLATION);
    add(
        "elastic_grid",
        "the U-Net paper's coarse-grid deformation, bicubic",
        0.5,
        a ->
            new GridElasticDeform(
                a.integer("points"), a.number("std"), a.interp(), a.ignoreIndex()),
        new Key("points", "3", "grid points per side"),
        new Key("std", "10", "displacement std in pixels"),
        INTERPOLATION);
  }

  private TransformRegistry() {}

  private static void add(
      String type,
      String doc,
      double defaultP,
      Function<Args, PairedTransform> build,
      Key... keys) {
    List<Key> all = new ArrayList<>();
    if (!Double.isNaN(defaultP)) {
      all.add(
          new Key(
              "p", defaultP == 1.0 ? "1" : String.valueOf(defaultP), "probability of applying it"));
    }
    all.addAll(List.of(keys));
    ObjectMapper json = new ObjectMapper();
    ObjectNode defaults = json.createObjectNode();
    for (Key k : all) {
      if (k.defaultValue() != null) {
        try {
          defaults.set(k.name(), json.readTree(k.defaultValue()));
        } catch (JsonProcessingException e) {
          throw new IllegalStateException("default of " + type + "." + k.name(), e);
        }
      }
    }
    SPECS.put(
        type, new Spec(doc, List.copyOf(all), new ConfigNode(defaults, type + " defaults"), build));
  }

  /** The valid type names, in documentation order. */
  static List<String> types() {
    return List.copyOf(SPECS.keySet());
  }

  /** Every type with its keys as a Markdown table (type, key, default, what). */
  static String table() {
    StringBuilder sb = new StringBuilder("| type | key | default | what |\n|---|---|---|---|\n");
    SPECS.forEach(
        (type, spec) -> {
          sb.append("| `").append(type).append("` | | | ").append(spec.doc()).append(" |\n");
          for (Key k : spec.keys()) {
            sb.append("| | `")
                .append(k.name())
                .append("` | ")
                .append(k.defaultValue() == null ? "" : k.defaultValue())
                .append(" | ")
                .append(k.doc())
                .append(" |\n");
          }
        });
    return sb.toString();
  }

  /**
   * Every transform type with its keys as plain text for a command's help: the type and what it
   * does, then one indented {@code key=default what} line per key.
   */
  static String help() {
    StringBuilder sb = new StringBuilder();
    SPECS.forEach(
        (type, spec) -> {
          sb.append(String.format("  %-14s %s%n", type, spec.doc()));
          for (Key k : spec.keys()) {
            String key = k.name() + (k.defaultValue() == null ? "" : "=" + k.defaultValue());
            sb.append(String.format("      %-18s %s%n", key, k.doc()));
          }
        });
    return sb.toString();
  }

  /** Builds one list entry, wrapped in {@link RandomApply} unless p is 1. */
  static PairedTransform build(ConfigNode node, Interpolation interpolation, int ignoreIndex) {
    String type = node.text("type", null);
    if (type == null) {
      throw node.error("missing 'type'; valid types: " + String.join(", ", types()));
    }
    Spec spec = SPECS.get(type);
    if (spec == null) {
      throw node.error("unknown type '" + type + "'; valid types: " + String.join(", ", types()));
    }
    ConfigNode typed = new ConfigNode(node.node, node.where + " (" + type + ")");
    List<String> valid = new ArrayList<>(List.of("type"));
    spec.keys().forEach(k -> valid.add(k.name()));
    typed.checkKeys(valid);
    PairedTransform t;
    try {
      t = spec.build().apply(new Args(typed, spec.defaults(), interpolation, ignoreIndex));
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(typed.where)) {
        throw e;
      }
      throw typed.error(e.getMessage());
    }
    if (!spec.hasP()) {
      return t;
    }
    double p = typed.number("p", spec.defaults().number("p", 1));
    if (!(p >= 0 && p <= 1)) {
      throw typed.error("'p' must be in [0, 1], got " + p);
    }
    return p == 1 ? t : new RandomApply(t, p);
  }

  private static int[] size(ConfigNode n) {
    if (n.has("size")) {
      if (n.has("height") || n.has("width")) {
        throw n.error("give either 'size' or 'height' and 'width', not both");
      }
      int s = n.integer("size", 0);
      return new int[] {s, s};
    }
    if (!n.has("height") || !n.has("width")) {
      throw n.error("needs 'size' or both 'height' and 'width'");
    }
    return new int[] {n.integer("height", 0), n.integer("width", 0)};
  }
}
