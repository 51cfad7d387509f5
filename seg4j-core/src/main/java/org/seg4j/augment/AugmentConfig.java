package org.seg4j.augment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.seg4j.data.DatasetSpec;

/**
 * The augmentation section of a YAML config: an ordered list of paired transforms (each with its
 * own probability) and an optional normalisation, for example
 *
 * <pre>
 * augment:
 *   - {type: hflip, p: 0.5}
 *   - {type: rot90, p: 1.0}
 *   - {type: rotate, p: 0.3, degrees: 30}
 *   - {type: elastic, p: 0.2, alpha: 34, sigma: 4}
 *   - {type: random_crop, size: 256}
 * normalize: {preset: imagenet}   # or {mean: [0.5], std: [0.5]}
 * ignore_index: 255               # mask value for void pixels (default 255)
 * interpolation: bilinear         # image interpolation of geometric transforms
 * </pre>
 *
 * The transform types and their keys are listed in {@link TransformRegistry}. Unknown types and
 * keys fail with the list of valid ones.
 */
public record AugmentConfig(Compose augment, Normalize normalize, int ignoreIndex) {
  /** Top-level keys. */
  public static final List<String> KEYS =
      List.of("augment", "normalize", "ignore_index", "interpolation");

  /** No augmentation, no normalisation. */
  public static AugmentConfig none() {
    return new AugmentConfig(new Compose(List.of()), null, DatasetSpec.DEFAULT_IGNORE_INDEX);
  }

  /** The valid transform type names. */
  public static List<String> types() {
    return TransformRegistry.types();
  }

  /**
   * Every transform type with its keys, defaults and what they do, as a Markdown table (the
   * README's).
   */
  public static String transformTable() {
    return TransformRegistry.table();
  }

  /** Every transform type with its keys, defaults and what they do, as plain text for a help. */
  public static String transformHelp() {
    return TransformRegistry.help();
  }

  /** Reads a YAML file. */
  public static AugmentConfig load(Path file) {
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read augmentation config: " + e, e);
    }
  }

  /** Parses YAML text; {@code source} names it in error messages. */
  public static AugmentConfig parse(String yaml, String source) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + ": invalid YAML: " + e.getOriginalMessage(), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return none();
    }
    return fromNode(root, source);
  }

  /** Reads an already parsed mapping (e.g. a section of a larger training config). */
  public static AugmentConfig fromNode(JsonNode root, String source) {
    ConfigNode top = new ConfigNode(root, source);
    top.checkKeys(KEYS);
    int ignore = top.integer("ignore_index", DatasetSpec.DEFAULT_IGNORE_INDEX);
    Interpolation interp;
    try {
      interp = Interpolation.parse(top.text("interpolation", "bilinear"));
    } catch (IllegalArgumentException e) {
      throw top.error(e.getMessage());
    }
    List<PairedTransform> steps = new ArrayList<>();
    JsonNode list = root.get("augment");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        throw top.error("'augment' must be a list of {type: ..., p: ...} entries, got " + list);
      }
      for (int i = 0; i < list.size(); i++) {
        ConfigNode entry = new ConfigNode(list.get(i), source + ": augment[" + i + "]");
        steps.add(TransformRegistry.build(entry, interp, ignore));
      }
    }
    Normalize norm = root.hasNonNull("normalize") ? normalize(root.get("normalize"), source) : null;
    return new AugmentConfig(new Compose(steps), norm, ignore);
  }

  /** The training-time transform: the augmentations followed by the normalisation, if any. */
  public PairedTransform pipeline() {
    if (normalize == null) {
      return augment;
    }
    List<PairedTransform> all = new ArrayList<>(augment.transforms());
    all.add(normalize);
    return new Compose(all);
  }

  private static Normalize normalize(JsonNode node, String source) {
    String where = source + ": normalize";
    if (node.isTextual()) {
      return preset(node.asText(), where);
    }
    ConfigNode n = new ConfigNode(node, where);
    n.checkKeys(List.of("preset", "mean", "std"));
    if (n.has("preset")) {
      if (n.has("mean") || n.has("std")) {
        throw n.error("give either 'preset' or 'mean' and 'std', not both");
      }
      return preset(n.text("preset", null), where);
    }
    if (!n.has("mean") || !n.has("std")) {
      throw n.error("needs 'preset: imagenet' or both 'mean' and 'std'");
    }
    try {
      return new Normalize(n.numbers("mean"), n.numbers("std"));
    } catch (IllegalArgumentException e) {
      throw n.error(e.getMessage());
    }
  }

  private static Normalize preset(String name, String where) {
    if ("imagenet".equals(name.toLowerCase(Locale.ROOT))) {
      return Normalize.IMAGENET;
    }
    throw new IllegalArgumentException(
        where + ": unknown preset '" + name + "'; valid presets: imagenet");
  }
}
