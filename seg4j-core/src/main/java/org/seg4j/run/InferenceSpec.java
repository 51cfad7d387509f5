package org.seg4j.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.seg4j.augment.Compose;
import org.seg4j.augment.Interpolation;
import org.seg4j.augment.Normalize;
import org.seg4j.augment.PairedTransform;
import org.seg4j.augment.RandomApply;
import org.seg4j.augment.Resize;
import org.seg4j.io.WeightsFileException;

/**
 * What inference needs besides the weights, saved in every checkpoint's metadata so that a model
 * loads without its training recipe: the class names, the input normalisation, the input resize the
 * model trained at, and the foreground threshold of a sigmoid head.
 *
 * @param classNames the class names, index = class (may be empty: numbered names are used)
 * @param normalize the input normalisation, or null for none
 * @param resize the input resize the model trained at ({@code keep_aspect}: a letterbox), or null
 * @param threshold the foreground threshold of a one-logit (sigmoid) head
 */
public record InferenceSpec(
    List<String> classNames, Normalize normalize, Resize resize, double threshold) {
  /** The metadata key holding the spec as JSON (class names keep their own key). */
  public static final String KEY = "inference";

  /** The metadata key of the class names, one per line. */
  public static final String CLASS_NAMES = "class_names";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Keeps an unmodifiable copy of the names. */
  public InferenceSpec {
    classNames = List.copyOf(classNames);
  }

  /** The spec of a run configuration, with the class names of its data. */
  public static InferenceSpec of(TrainConfig cfg, List<String> classNames) {
    var aug = cfg.augmentConfig();
    return new InferenceSpec(
        classNames, aug.normalize(), firstResize(aug.augment()), cfg.model().threshold());
  }

  /** The first {@link Resize} step of a pipeline, or null. */
  private static Resize firstResize(PairedTransform t) {
    if (t instanceof Resize r) {
      return r;
    }
    if (t instanceof RandomApply a) {
      return firstResize(a.transform());
    }
    if (t instanceof Compose c) {
      for (PairedTransform x : c.transforms()) {
        Resize r = firstResize(x);
        if (r != null) {
          return r;
        }
      }
    }
    return null;
  }

  /** The checkpoint metadata entries that hold this spec. */
  public Map<String, String> toMetadata() {
    ObjectNode n = JSON.createObjectNode();
    if (normalize != null) {
      ObjectNode m = n.putObject("normalize");
      floats(m.putArray("mean"), normalize.mean());
      floats(m.putArray("std"), normalize.std());
    }
    if (resize != null) {
      ObjectNode r = n.putObject("resize");
      r.put("height", resize.height());
      r.put("width", resize.width());
      r.put("keep_aspect", resize.keepAspect());
      r.put("interpolation", resize.interpolation().name().toLowerCase(Locale.ROOT));
      r.put("ignore_index", resize.ignoreIndex());
    }
    n.put("threshold", threshold);
    Map<String, String> out = new LinkedHashMap<>();
    out.put(CLASS_NAMES, String.join("\n", classNames));
    try {
      out.put(KEY, JSON.writeValueAsString(n));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the inference spec as JSON", e);
    }
    return out;
  }

  private static void floats(ArrayNode a, float[] v) {
    for (float x : v) {
      a.add(x);
    }
  }

  /**
   * The spec saved in checkpoint {@code file}'s {@code metadata}. A checkpoint written before seg4j
   * saved it (no {@value #KEY} entry) takes it from {@code runConfig} (the config.yml of the run it
   * is loaded with), else from the run folder around it ({@code RUN/checkpoints/NAME}); one with
   * neither fails naming the file.
   */
  public static InferenceSpec read(Path file, Map<String, String> metadata, Path runConfig)
      throws IOException {
    String names = metadata.get(CLASS_NAMES);
    List<String> classNames =
        names == null || names.isEmpty() ? List.of() : Arrays.asList(names.split("\n"));
    String json = metadata.get(KEY);
    if (json == null) {
      Path config = runConfig != null ? runConfig : runConfigBeside(file);
      if (config == null) {
        throw new WeightsFileException(
            file,
            "holds no inference settings (normalisation, input size) and has no run folder with"
                + " a config.yml around it",
            "load it from its run folder, or save it again with a current seg4j");
      }
      return of(TrainConfig.load(config), classNames);
    }
    try {
      JsonNode n = JSON.readTree(json);
      Normalize normalize = null;
      if (n.hasNonNull("normalize")) {
        normalize =
            new Normalize(
                floats(n.get("normalize").get("mean")), floats(n.get("normalize").get("std")));
      }
      Resize resize = null;
      if (n.hasNonNull("resize")) {
        JsonNode r = n.get("resize");
        resize =
            new Resize(
                r.get("height").asInt(),
                r.get("width").asInt(),
                r.get("keep_aspect").asBoolean(),
                Interpolation.parse(r.get("interpolation").asText()),
                r.path("ignore_index").asInt(255));
      }
      return new InferenceSpec(classNames, normalize, resize, n.get("threshold").asDouble());
    } catch (IOException | RuntimeException e) {
      throw new WeightsFileException(
          file,
          "has damaged inference settings in its metadata (" + e.getMessage() + ")",
          "save it again, or load it from its run folder");
    }
  }

  private static float[] floats(JsonNode a) {
    float[] v = new float[a.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) a.get(i).asDouble();
    }
    return v;
  }

  /** {@code RUN/config.yml} for a checkpoint {@code RUN/checkpoints/NAME}, or null. */
  private static Path runConfigBeside(Path checkpoint) {
    Path dir = checkpoint.toAbsolutePath().getParent();
    if (dir == null || dir.getParent() == null) {
      return null;
    }
    Path config = dir.getParent().resolve("config.yml");
    return Files.isRegularFile(config) ? config : null;
  }
}
