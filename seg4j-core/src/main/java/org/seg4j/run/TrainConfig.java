package org.seg4j.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.seg4j.augment.AugmentConfig;
import org.seg4j.model.ModelConfig;

/**
 * A training run's full configuration as a YAML tree: built-in defaults, overlaid by the user's
 * file, overlaid by flags ({@code key.path=value}). Unknown keys and bad values fail with the key
 * named; the merged tree is what a run folder's {@code config.yml} holds.
 *
 * <p>The config remembers which file gave each value ({@link #source}), so that a relative path in
 * a value is read from that file's folder ({@link #baseDir}); this is not a key and never reaches
 * config.yml, which holds resolved paths instead.
 */
public final class TrainConfig {
  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .disable(YAMLGenerator.Feature.SPLIT_LINES));

  private static final Pattern MALFORMED = Pattern.compile("Malformed numeric value '([^']*)'");

  private static final Pattern NON_FINITE =
      Pattern.compile("[-+]?\\.?(inf|infinity|nan)", Pattern.CASE_INSENSITIVE);

  private final ObjectNode tree;

  /** What {@link #set} noticed; not copied, never in config.yml. */
  private final List<String> warnings = new ArrayList<>();

  /** Dotted key to the config file (absolute) that set its value; flags and defaults are absent. */
  private final Map<String, Path> sources;

  private TrainConfig(ObjectNode tree, Map<String, Path> sources) {
    this.tree = tree;
    this.sources = sources;
  }

  /** The defaults alone. */
  public static TrainConfig defaults() {
    try (InputStream in = TrainConfig.class.getResourceAsStream("defaults.yml")) {
      return new TrainConfig((ObjectNode) YAML.readTree(in), new HashMap<>());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Defaults overlaid by a YAML file (null for none). */
  public static TrainConfig load(Path file) {
    TrainConfig c = defaults();
    if (file != null) {
      JsonNode user;
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException(
            file
                + " does not exist"
                + (Files.exists(file) ? " as a file" : "")
                + ": give the path of a YAML config (the recipes are in configs/)");
      }
      try {
        user = YAML.readTree(Files.readString(file));
      } catch (JsonProcessingException e) {
        String what = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
        Matcher m = MALFORMED.matcher(what);
        throw new IllegalArgumentException(
            file
                + (e.getLocation() == null ? "" : ": line " + e.getLocation().getLineNr())
                + (m.find() && NON_FINITE.matcher(m.group(1)).matches()
                    ? ": "
                        + m.group(1)
                        + " is infinite or not a number; config values must be"
                        + " finite numbers"
                    : ": cannot read the config: " + what.lines().findFirst().orElse(what)));
      } catch (IOException e) {
        throw new IllegalArgumentException(file + ": cannot read the config: " + e.getMessage());
      }
      if (user != null && !user.isNull() && !user.isMissingNode()) {
        if (!user.isObject()) {
          throw new IllegalArgumentException(file + ": the config must be a YAML mapping");
        }
        merge(
            c.tree,
            (ObjectNode) user,
            "",
            file.toString(),
            file.toAbsolutePath().normalize(),
            c.sources);
      }
    }
    return c;
  }

  /** Parses YAML text over the defaults (tests, embedded configs). */
  public static TrainConfig parse(String yaml, String source) {
    TrainConfig c = defaults();
    try {
      JsonNode user = YAML.readTree(yaml);
      if (user != null && user.isObject()) {
        merge(c.tree, (ObjectNode) user, "", source, null, c.sources);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": invalid YAML: " + e.getMessage());
    }
    return c;
  }

  private static void merge(
      ObjectNode base,
      ObjectNode over,
      String path,
      String source,
      Path file,
      Map<String, Path> sources) {
    for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      JsonNode have = base.get(e.getKey());
      boolean free =
          path.equals("model.options") || key.equals("augment") || key.equals("normalize");
      if (have == null && !free) {
        throw new IllegalArgumentException(
            source + ": unknown key '" + key + "': valid keys here are " + names(base));
      }
      if (!free && have.isObject() && e.getValue().isObject()) {
        merge((ObjectNode) have, (ObjectNode) e.getValue(), key, source, file, sources);
      } else {
        base.set(e.getKey(), e.getValue());
        forget(sources, key);
        if (file != null) {
          sources.put(key, file);
        }
      }
    }
  }

  /** Drops the recorded sources of {@code key} and of the keys below it. */
  private static void forget(Map<String, Path> sources, String key) {
    sources.keySet().removeIf(k -> k.equals(key) || k.startsWith(key + "."));
  }

  private static List<String> names(ObjectNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  /**
   * Sets {@code dotted.key=value} (a flag); the value is parsed as YAML, so numbers, booleans and
   * lists work. Unknown keys fail with the valid ones.
   */
  public TrainConfig set(String dottedKey, String value) {
    JsonNode v;
    try {
      v = YAML.readTree(value == null ? "null" : value);
    } catch (IOException e) {
      if (value != null && NON_FINITE.matcher(value.strip()).matches()) {
        throw new IllegalArgumentException(
            "override "
                + dottedKey
                + "="
                + value
                + ": "
                + value.strip()
                + " is infinite or not a number; config values must be finite numbers");
      }
      throw new IllegalArgumentException("override " + dottedKey + "=" + value + ": bad value");
    }
    String[] parts = dottedKey.split("\\.");
    ObjectNode n = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode c = n.get(parts[i]);
      if (c == null || !c.isObject()) {
        throw new IllegalArgumentException(
            "unknown config key '" + dottedKey + "': valid keys here are " + names(n));
      }
      n = (ObjectNode) c;
    }
    String last = parts[parts.length - 1];
    boolean open = dottedKey.startsWith("model.options.") || dottedKey.equals("normalize");
    if (!open && !n.has(last)) {
      throw new IllegalArgumentException(
          "unknown config key '" + dottedKey + "': valid keys here are " + names(n));
    }
    JsonNode have = n.get(last);
    if (have != null && have.isTextual() && v != null && v.isContainerNode()) {
      // e.g. --set data.mask_pattern={id}.jpg: YAML reads {id} as a mapping, the key wants text
      v = YAML.getNodeFactory().textNode(value);
    }
    if (value != null && v != null && !open) {
      v = asWanted(dottedKey, value, have, v);
    }
    n.set(last, v == null || v.isMissingNode() ? YAML.nullNode() : v);
    forget(sources, dottedKey);
    return this;
  }

  /**
   * The value of {@code --set key=value} as the key wants it. YAML reads some text as something
   * else (yes as true, 012 as the octal number 10): where the key's type says what was meant the
   * value is kept as given with a {@link #warnings warning}; where it cannot be what the key wants
   * (yes for a number, 2.5 for a whole number, text for true/false) it is refused, showing how it
   * was read.
   */
  private JsonNode asWanted(String key, String value, JsonNode have, JsonNode v) {
    String given = value.strip();
    String reads = "override " + key + "=" + value + ": YAML reads " + given + " as " + how(v);
    if (have == null || have.isNull() || v.isNull()) {
      if (v.isIntegralNumber() && !given.equals(v.asText()) && !given.equals("+" + v.asText())) {
        warnings.add(reads + " (" + key + " is now " + v.asText() + "); quote it to keep the text");
      }
      return v;
    }
    if (have.isTextual() && v.isValueNode() && !v.isTextual()) {
      if (!given.equals(v.asText())) {
        warnings.add(reads + ", but " + key + " wants text, so it is kept as '" + given + "'");
      }
      return YAML.getNodeFactory().textNode(given);
    }
    String wants =
        have.isBoolean()
            ? "true or false"
            : ConfigRanges.isWhole(key) ? "a whole number" : have.isNumber() ? "a number" : null;
    if (wants == null) {
      return v;
    }
    boolean fits =
        have.isBoolean()
            ? v.isBoolean()
            : ConfigRanges.isWhole(key)
                ? v.isIntegralNumber()
                : v.isNumber() || v.isTextual() && isNumber(v.asText());
    if (!fits) {
      throw new IllegalArgumentException(
          reads + ", but " + key + " wants " + wants + " (e.g. " + key + "=" + have.asText() + ")");
    }
    boolean same = given.equals(v.asText()) || given.equals("+" + v.asText());
    if ((v.isIntegralNumber() || v.isBoolean()) && !same) {
      warnings.add(reads + ", so " + key + " is " + v.asText());
    }
    return v;
  }

  private static boolean isNumber(String s) {
    try {
      Double.parseDouble(s.strip());
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** How YAML read a value, in words: "the boolean true", "the number 10", "the text 'x'". */
  private static String how(JsonNode v) {
    if (v.isBoolean()) {
      return "the boolean " + v.asText();
    }
    if (v.isNumber()) {
      return "the number " + v.asText();
    }
    if (v.isTextual()) {
      return "the text '" + v.asText() + "'";
    }
    return v.isNull() ? "null" : "a " + v.getNodeType().toString().toLowerCase(Locale.ROOT);
  }

  /** What {@link #set} noticed about values YAML read otherwise than written, to be printed. */
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  /**
   * Checks every numeric key against its allowed range (lr > 0, threads >= 0, finite numbers...).
   *
   * @throws IllegalArgumentException naming the key, the value, its file and the range
   */
  public TrainConfig checkRanges() {
    ConfigRanges.check(this);
    return this;
  }

  /** Sets a key only when the value is not null (for optional flags); a String stays text. */
  public TrainConfig setIf(String dottedKey, Object value) {
    if (value instanceof String text) {
      set(dottedKey, YAML.getNodeFactory().textNode(text).toString());
    } else if (value != null) {
      set(dottedKey, value.toString());
    }
    return this;
  }

  /**
   * The config file that gave {@code key} (or a section above it) its value; null when the value is
   * a default or was set by a flag or in code.
   */
  public Path source(String key) {
    for (String k = key; ; k = k.substring(0, k.lastIndexOf('.'))) {
      Path f = sources.get(k);
      if (f != null || k.indexOf('.') < 0) {
        return f;
      }
    }
  }

  /**
   * The folder a relative path in {@code key}'s value is read from first: the folder of the config
   * file that set it ({@link #source}), or the working directory for a flag, code or a default.
   * Always absolute.
   */
  public Path baseDir(String key) {
    Path f = source(key);
    return f != null ? f.getParent() : Path.of("").toAbsolutePath();
  }

  /** The merged tree (read-only use). */
  public JsonNode tree() {
    return tree;
  }

  /** A section or value by dotted path; a MissingNode when absent. */
  public JsonNode at(String dottedKey) {
    return tree.at("/" + dottedKey.replace('.', '/'));
  }

  /** A string value; null when the YAML value is null. */
  public String str(String key) {
    JsonNode n = at(key);
    return n.isNull() || n.isMissingNode() ? null : n.asText();
  }

  /** A whole-number value, failing with the key named when it is not one. */
  public int integer(String key) {
    JsonNode n = at(key);
    if (!n.canConvertToInt() || !(n.isIntegralNumber() || n.isTextual() && isInt(n.asText()))) {
      throw new IllegalArgumentException(
          "config key '" + key + "' must be a whole number, got " + n + ": e.g. " + key + ": 10");
    }
    return n.isTextual() ? Integer.parseInt(n.asText()) : n.asInt();
  }

  private static boolean isInt(String s) {
    try {
      Integer.parseInt(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** A number value, failing with the key named when it is not one. */
  public double number(String key) {
    JsonNode n = at(key);
    if (n.isNumber()) {
      return n.asDouble();
    }
    try {
      return Double.parseDouble(n.asText());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "config key '" + key + "' must be a number, got " + n + ": e.g. " + key + ": 0.001");
    }
  }

  /** A boolean value, failing with the key named when it is not one. */
  public boolean bool(String key) {
    JsonNode n = at(key);
    if (!n.isBoolean()) {
      throw new IllegalArgumentException(
          "config key '" + key + "' must be true or false, got " + n);
    }
    return n.asBoolean();
  }

  /** A list of numbers, or null when the value is null. */
  public double[] numbers(String key) {
    JsonNode n = at(key);
    if (n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (!n.isArray()) {
      throw new IllegalArgumentException(
          "config key '" + key + "' must be a list of numbers, got " + n + ": e.g. [1.0, 2.0]");
    }
    double[] out = new double[n.size()];
    for (int i = 0; i < out.length; i++) {
      if (!n.get(i).isNumber()) {
        throw new IllegalArgumentException(
            "config key '" + key + "' item " + i + " is not a number: " + n.get(i));
      }
      out[i] = n.get(i).asDouble();
    }
    return out;
  }

  /** The YAML text of the merged config. */
  public String toYaml() {
    try {
      return YAML.writeValueAsString(tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A deep copy. */
  public TrainConfig copy() {
    return new TrainConfig(tree.deepCopy(), new HashMap<>(sources));
  }

  /** The {@code data} section, typed. */
  public DataConfig data() {
    return ConfigBinder.bind(this, "data", DataConfig.class);
  }

  /** The {@code model} section, typed. */
  public ModelSpec model() {
    return ConfigBinder.bind(this, "model", ModelSpec.class);
  }

  /** The {@code loss} section, typed. */
  public LossConfig loss() {
    return ConfigBinder.bind(this, "loss", LossConfig.class);
  }

  /** The {@code optimizer} section, typed. */
  public OptimizerConfig optimizer() {
    return ConfigBinder.bind(this, "optimizer", OptimizerConfig.class);
  }

  /** The {@code schedule} section, typed. */
  public ScheduleConfig schedule() {
    return ConfigBinder.bind(this, "schedule", ScheduleConfig.class);
  }

  /** The {@code train} section, typed. */
  public TrainingConfig training() {
    return ConfigBinder.bind(this, "train", TrainingConfig.class);
  }

  /** The run's name ({@code name}). */
  public String name() {
    return str("name");
  }

  /** The random seed ({@code seed}). */
  public long seed() {
    return (long) number("seed");
  }

  /** The device ({@code device}: auto, cpu or gpu). */
  public String device() {
    return str("device");
  }

  /** The libtorch threads ({@code threads}; 0 = all cores). */
  public int threads() {
    return integer("threads");
  }

  /** The model config from {@code model.*} and {@code data.channels}. */
  public ModelConfig modelConfig() {
    ModelSpec m = model();
    return new ModelConfig(m.arch(), data().channels(), m.classes(), m.base(), m.options());
  }

  /** The augmentation pipeline and normalisation from {@code augment}, {@code normalize}. */
  public AugmentConfig augmentConfig() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.set("augment", at("augment"));
    if (!at("normalize").isNull()) {
      n.set("normalize", at("normalize"));
    }
    n.put("ignore_index", integer("data.ignore_index"));
    return AugmentConfig.fromNode(n, "config 'augment'");
  }
}
