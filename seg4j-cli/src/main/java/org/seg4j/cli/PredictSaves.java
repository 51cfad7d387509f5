package org.seg4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code seg4j predict --save ... --suffix ...} writes and under which names. Each per-image
 * kind is named {@code <id><suffix>.png} ({@code prob}: {@code <id><suffix>_<class>.png}), the
 * suffix being the kind's own ({@code _mask}, {@code _view}, {@code _overlay}, {@code _prob},
 * {@code _cutout}) unless {@code --suffix} gives another; {@code counts} is one {@code counts.csv}
 * for the whole run.
 */
final class PredictSaves {
  /** The outputs predict can write. */
  enum Kind {
    MASK("_mask", "class index per pixel (8-bit grey PNG)"),
    VIEW("_view", "viewable mask: 0/255 for two classes, VOC palette otherwise"),
    OVERLAY("_overlay", "the image with the classes blended in colour"),
    PROB("_prob", "one probability map per class, <id><suffix>_<class>.png"),
    CUTOUT("_cutout", "the image with background pixels transparent (RGBA PNG)"),
    COUNTS(null, "counts.csv: pixels and area fraction per class and image, and a total line");

    final String suffix;
    final String what;

    Kind(String suffix, String what) {
      this.suffix = suffix;
      this.what = what;
    }

    String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Kind parse(String flag, String value) {
      for (Kind k : values()) {
        if (k.key().equals(value.strip().toLowerCase(Locale.ROOT))) {
          return k;
        }
      }
      throw new IllegalArgumentException(
          flag + " " + value + " is not an output: use " + names(EnumSet.allOf(Kind.class)));
    }
  }

  /** The default of --save: what predict wrote before --save existed. */
  static final String DEFAULT = "mask,view,overlay";

  /** The name of the per-run pixel count file. */
  static final String COUNTS_FILE = "counts.csv";

  private final Set<Kind> kinds;
  private final Map<Kind, String> suffixes;

  private PredictSaves(Set<Kind> kinds, Map<Kind, String> suffixes) {
    this.kinds = kinds;
    this.suffixes = suffixes;
  }

  /**
   * Parses --save values (each may hold several, comma-separated) and --suffix values: {@code
   * KIND=SUFFIX} for one kind, or a bare {@code SUFFIX} when --save names a single per-image kind.
   */
  static PredictSaves parse(List<String> save, List<String> suffix, boolean probabilities) {
    Set<Kind> kinds = EnumSet.noneOf(Kind.class);
    for (String v : save) {
      for (String part : v.split(",")) {
        if (!part.isBlank()) {
          kinds.add(Kind.parse("--save", part));
        }
      }
    }
    if (probabilities) {
      kinds.add(Kind.PROB);
    }
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException(
          "--save names no output: give one or more of " + names(EnumSet.allOf(Kind.class)));
    }
    Map<Kind, String> suffixes = new EnumMap<>(Kind.class);
    Set<Kind> images = EnumSet.copyOf(kinds);
    images.remove(Kind.COUNTS);
    for (String s : suffix) {
      int eq = s.indexOf('=');
      Kind kind;
      String value;
      if (eq >= 0) {
        kind = Kind.parse("--suffix", s.substring(0, eq));
        value = s.substring(eq + 1);
        if (kind == Kind.COUNTS) {
          throw new IllegalArgumentException(
              "--suffix "
                  + s
                  + ": counts is always "
                  + COUNTS_FILE
                  + "; give a suffix for an"
                  + " image output: "
                  + names(images));
        }
        if (!kinds.contains(kind)) {
          throw new IllegalArgumentException(
              "--suffix " + s + ": --save does not write " + kind.key() + "; add it to --save");
        }
      } else if (images.size() == 1) {
        kind = images.iterator().next();
        value = s;
      } else {
        throw new IllegalArgumentException(
            "--suffix "
                + s
                + " is ambiguous: --save writes "
                + names(images)
                + "; name the output, e.g. --suffix "
                + (images.contains(Kind.VIEW) ? "view" : images.iterator().next().key())
                + "="
                + s);
      }
      if (value.contains("/") || value.contains("\\")) {
        throw new IllegalArgumentException(
            "--suffix " + s + ": a suffix is part of a file name and holds no folder");
      }
      if (suffixes.put(kind, value) != null) {
        throw new IllegalArgumentException(
            "--suffix gives " + kind.key() + " two suffixes; give it once");
      }
    }
    PredictSaves out = new PredictSaves(kinds, suffixes);
    for (Kind a : images) {
      for (Kind b : images) {
        if (a.ordinal() < b.ordinal() && out.suffix(a).equals(out.suffix(b))) {
          throw new IllegalArgumentException(
              "--suffix: "
                  + a.key()
                  + " and "
                  + b.key()
                  + " would both write <id>"
                  + out.suffix(a)
                  + ".png; give them different suffixes");
        }
      }
    }
    return out;
  }

  /** Whether this kind is written. */
  boolean has(Kind k) {
    return kinds.contains(k);
  }

  /** The kinds written, in declaration order. */
  Set<Kind> kinds() {
    return kinds;
  }

  /** The suffix of a per-image kind. */
  String suffix(Kind k) {
    return suffixes.getOrDefault(k, k.suffix);
  }

  /** The file of a single-file kind for an image id. */
  Path file(Path dir, Kind k, String id) {
    return dir.resolve(id + suffix(k) + ".png");
  }

  /** The probability map of class {@code safeName} (already file-safe) for an image id. */
  Path probFile(Path dir, String id, String safeName) {
    return dir.resolve(id + suffix(Kind.PROB) + "_" + safeName + ".png");
  }

  /** The per-image files an id gets, for the overwrite check ({@code prob} needs class names). */
  List<Path> files(Path dir, String id, List<String> safeClassNames) {
    List<Path> out = new ArrayList<>();
    for (Kind k : kinds) {
      if (k == Kind.PROB) {
        safeClassNames.forEach(n -> out.add(probFile(dir, id, n)));
      } else if (k != Kind.COUNTS) {
        out.add(file(dir, k, id));
      }
    }
    return out;
  }

  static String names(Set<Kind> kinds) {
    return kinds.stream().map(Kind::key).collect(Collectors.joining(", "));
  }
}
