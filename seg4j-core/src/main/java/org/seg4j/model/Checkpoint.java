package org.seg4j.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.seg4j.io.SafeTensors;
import org.seg4j.io.SafeTensors.Tensor;
import org.seg4j.io.WeightsFileException;
import org.seg4j.nn.StateDicts;
import org.seg4j.nn.TorchBlock;

/**
 * A seg4j checkpoint: the model's PyTorch-named state_dict as safetensors, whose {@code
 * __metadata__} holds {@code format=seg4j-checkpoint}, {@code version=1}, the {@link ModelConfig}
 * as JSON (so the model can be rebuilt with {@link ModelRegistry#create}) and any extra strings
 * (epoch, metric, ...). Any safetensors reader, PyTorch's included, can open it. Writes are atomic.
 */
public final class Checkpoint {
  /** The {@code format} metadata value that marks a seg4j checkpoint. */
  public static final String FORMAT = "seg4j-checkpoint";

  /** The checkpoint layout version this code writes and reads. */
  public static final String VERSION = "1";

  /** Metadata keys the checkpoint itself uses; extra metadata may not use them. */
  public static final Set<String> RESERVED = Set.of("format", "version", "config");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final ModelConfig config;
  private final Map<String, String> metadata;
  private final Map<String, Tensor> tensors;

  private Checkpoint(
      Path file, ModelConfig config, Map<String, String> metadata, Map<String, Tensor> tensors) {
    this.file = file;
    this.config = config;
    this.metadata = Collections.unmodifiableMap(metadata);
    this.tensors = tensors;
  }

  /** Saves a model that knows its config; see {@link #save(Path, TorchBlock, ModelConfig, Map)}. */
  public static void save(Path file, SegModel model, Map<String, String> extra) throws IOException {
    save(file, model, model.config(), extra);
  }

  /**
   * Writes {@code model}'s state_dict with {@code config} and the {@code extra} strings to {@code
   * file}, atomically: on any failure an existing file is left as it was.
   */
  public static void save(
      Path file, TorchBlock model, ModelConfig config, Map<String, String> extra)
      throws IOException {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", FORMAT);
    meta.put("version", VERSION);
    meta.put("config", configJson(config));
    if (extra != null) {
      for (Map.Entry<String, String> e : extra.entrySet()) {
        if (RESERVED.contains(e.getKey())) {
          throw new IllegalArgumentException(
              "checkpoint metadata key '"
                  + e.getKey()
                  + "' is reserved for the checkpoint itself: rename it (reserved: "
                  + RESERVED
                  + ")");
        }
        meta.put(e.getKey(), e.getValue());
      }
    }
    SafeTensors.write(file, StateDicts.export(model), meta);
  }

  /** Reads only the config of a checkpoint, e.g. to rebuild the model before loading it. */
  public static ModelConfig read(Path file) throws IOException {
    return configOf(file, SafeTensors.readMetadata(file));
  }

  /** Reads a whole checkpoint: config, extra metadata and tensors. */
  public static Checkpoint load(Path file) throws IOException {
    SafeTensors.Contents c = SafeTensors.read(file);
    ModelConfig config = configOf(file, c.metadata());
    Map<String, String> extra = new LinkedHashMap<>(c.metadata());
    extra.keySet().removeAll(RESERVED);
    return new Checkpoint(file, config, extra, c.tensors());
  }

  /** The config the model was built from. */
  public ModelConfig config() {
    return config;
  }

  /** The extra metadata saved with it (epoch, metric, ...), without the reserved keys. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** The file it was read from. */
  public Path file() {
    return file;
  }

  /**
   * Copies the weights into {@code model}, strictly: missing, unexpected and wrong-shape keys are
   * all listed in one error and the model is left untouched.
   */
  public void loadInto(TorchBlock model) throws WeightsFileException {
    StateDicts.load(model, tensors, file.toString(), UnaryOperator.identity(), true);
  }

  /** The config as the JSON stored under {@code config}. */
  static String configJson(ModelConfig config) {
    ObjectNode n = JSON.createObjectNode();
    n.put("arch", config.arch());
    n.put("inChannels", config.inChannels());
    n.put("classes", config.classes());
    n.put("base", config.base());
    ObjectNode o = n.putObject("options");
    config.options().forEach(o::put);
    try {
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a model config as JSON", e);
    }
  }

  private static ModelConfig configOf(Path file, Map<String, String> meta)
      throws WeightsFileException {
    String format = meta.get("format");
    if (!FORMAT.equals(format)) {
      throw new WeightsFileException(
          file,
          "is not a seg4j checkpoint (its metadata has format="
              + format
              + ", expected "
              + FORMAT
              + "; a plain PyTorch state_dict has none)",
          "checkpoint=FILE takes checkpoints saved by seg4j; load a PyTorch state_dict with"
              + " StateDicts.load, or start a training from it: seg4j train model.init_from=FILE"
              + " (a torchvision VGG16 encoder: model.encoder_weights=FILE)");
    }
    String version = meta.get("version");
    if (!VERSION.equals(version)) {
      throw new WeightsFileException(
          file,
          "is a seg4j checkpoint of version "
              + version
              + ", but this seg4j reads version "
              + VERSION,
          "use the seg4j release that wrote it");
    }
    String json = meta.get("config");
    try {
      JsonNode n = JSON.readTree(json == null ? "" : json);
      if (n == null || !n.isObject()) {
        throw new WeightsFileException(
            file, "has no model config in its metadata", "save it again with Checkpoint.save");
      }
      Map<String, String> options = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.path("options").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        options.put(e.getKey(), e.getValue().asText());
      }
      return new ModelConfig(
          required(file, n, "arch").asText(),
          required(file, n, "inChannels").asInt(),
          required(file, n, "classes").asInt(),
          required(file, n, "base").asInt(),
          options);
    } catch (JsonProcessingException e) {
      throw new WeightsFileException(
          file,
          "has a corrupt model config in its metadata (" + e.getOriginalMessage() + ")",
          "save it again with Checkpoint.save");
    } catch (IllegalArgumentException e) {
      throw new WeightsFileException(
          file, "has an invalid model config (" + e.getMessage() + ")", "save it again");
    }
  }

  private static JsonNode required(Path file, JsonNode n, String key) throws WeightsFileException {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      throw new WeightsFileException(
          file, "has a model config without '" + key + "'", "save it again with Checkpoint.save");
    }
    return v;
  }
}
