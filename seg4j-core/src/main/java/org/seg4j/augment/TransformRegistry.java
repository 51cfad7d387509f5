package org.seg4j.augment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The transform types the YAML config knows, with their keys and defaults. Every type accepts
 * {@code p} (probability; 0.5 unless noted); geometric ones accept {@code interpolation} for the
 * image (default from the config's top level, bilinear).
 *
 * <pre>
 * hflip, vflip                 mirror left-right / top-bottom
 * rot90                        k x 90 degrees, k uniform in 0..3
 * rotate       degrees: 30     angle uniform in [-30, 30] (or [lo, hi])
 * scale        range: [0.9, 1.1]  zoom about the centre, size kept
 * translate    fraction: 0.1   whole-pixel shift up to 10% of each side
 * random_crop  size | height, width   p defaults to 1; pads with void when the image is smaller
 * resize       size | height, width, keep_aspect: false   always applied (no p)
 * gaussian_noise  std: 0.03    (or [lo, hi])
 * brightness_contrast  brightness: 0.2, contrast: 0.2
 * hsv          hue: 0.02 (turns), saturation: 0.3, value: 0.3
 * gaussian_blur  sigma: [0.5, 1.5]
 * elastic      alpha: 34, sigma: 4      Simard et al. smoothed random field
 * elastic_grid points: 3, std: 10       U-Net paper: 3x3 grid, 10 px std, bicubic
 * </pre>
 */
final class TransformRegistry {
  private record Spec(List<String> keys, double defaultP, Function<Args, PairedTransform> build) {}

  /** What a builder gets: the node plus the config-wide settings. */
  record Args(ConfigNode node, Interpolation interpolation, int ignoreIndex) {
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
  }

  private static final Map<String, Spec> SPECS = new LinkedHashMap<>();

  static {
    add("hflip", 0.5, a -> new Flip(true));
    add("vflip", 0.5, a -> new Flip(false));
    add("rot90", 0.5, a -> new Rot90());
    add(
        "rotate",
        0.5,
        a ->
            new Rotate(
                a.node().range("degrees", Range.symmetric(30), true), a.interp(), a.ignoreIndex()),
        "degrees",
        "interpolation");
    add(
        "scale",
        0.5,
        a ->
            new Scale(
                a.node().range("range", new Range(0.9, 1.1), false), a.interp(), a.ignoreIndex()),
        "range",
        "interpolation");
    add(
        "translate",
        0.5,
        a -> new Translate(a.node().number("fraction", 0.1), a.ignoreIndex()),
        "fraction");
    add(
        "random_crop",
        1.0,
        a -> {
          int[] hw = size(a.node());
          return new RandomCrop(hw[0], hw[1], a.ignoreIndex());
        },
        "size",
        "height",
        "width");
    add(
        "resize",
        Double.NaN,
        a -> {
          int[] hw = size(a.node());
          return new Resize(
              hw[0], hw[1], a.node().bool("keep_aspect", false), a.interp(), a.ignoreIndex());
        },
        "size",
        "height",
        "width",
        "keep_aspect",
        "interpolation");
    add(
        "gaussian_noise",
        0.5,
        a -> new GaussianNoise(a.node().range("std", new Range(0.03, 0.03), false)),
        "std");
    add(
        "brightness_contrast",
        0.5,
        a ->
            new BrightnessContrast(
                a.node().number("brightness", 0.2), a.node().number("contrast", 0.2)),
        "brightness",
        "contrast");
    add(
        "hsv",
        0.5,
        a ->
            new HsvJitter(
                a.node().number("hue", 0.02),
                a.node().number("saturation", 0.3),
                a.node().number("value", 0.3)),
        "hue",
        "saturation",
        "value");
    add(
        "gaussian_blur",
        0.5,
        a -> new GaussianBlur(a.node().range("sigma", new Range(0.5, 1.5), false)),
        "sigma");
    add(
        "elastic",
        0.5,
        a ->
            new ElasticDeform(
                a.node().number("alpha", 34),
                a.node().number("sigma", 4),
                a.interp(),
                a.ignoreIndex()),
        "alpha",
        "sigma",
        "interpolation");
    add(
        "elastic_grid",
        0.5,
        a ->
            new GridElasticDeform(
                a.node().integer("points", 3),
                a.node().number("std", 10),
                a.interp(),
                a.ignoreIndex()),
        "points",
        "std",
        "interpolation");
  }

  private TransformRegistry() {}

  private static void add(
      String type, double defaultP, Function<Args, PairedTransform> build, String... keys) {
    List<String> all = new ArrayList<>();
    all.add("type");
    if (!Double.isNaN(defaultP)) {
      all.add("p");
    }
    all.addAll(List.of(keys));
    SPECS.put(type, new Spec(List.copyOf(all), defaultP, build));
  }

  /** The valid type names, in documentation order. */
  static List<String> types() {
    return List.copyOf(SPECS.keySet());
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
    typed.checkKeys(spec.keys());
    PairedTransform t;
    try {
      t = spec.build().apply(new Args(typed, interpolation, ignoreIndex));
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(typed.where)) {
        throw e;
      }
      throw typed.error(e.getMessage());
    }
    if (Double.isNaN(spec.defaultP())) {
      return t;
    }
    double p = typed.number("p", spec.defaultP());
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
