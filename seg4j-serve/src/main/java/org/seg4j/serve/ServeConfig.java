package org.seg4j.serve;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.seg4j.api.Device;
import org.seg4j.api.PredictOptions;

/**
 * What {@link SegServer#start} serves and how: the models (name to run folder, in order), the
 * address, batching, the queue, the limits, the bearer token, CORS, the default predict options and
 * the engine. Immutable; start from {@link #of} and change one setting at a time with the withers:
 *
 * <pre>{@code
 * ServeConfig c = ServeConfig.of(Map.of("shapes", Path.of("runs/shapes"))).withPort(0);
 * }</pre>
 *
 * @param models model name to run folder, in the order they are listed
 * @param host the address to bind; default {@code 127.0.0.1} (this machine only)
 * @param port the port; 0 takes any free port; default 8080
 * @param maxBatch most images in one forward pass; default 8
 * @param maxDelayMs how long a worker waits for more same-size images before it runs; default 5
 * @param queue requests waiting per model before 503; default 64
 * @param maxImagePixels largest image (width × height) accepted; default 64,000,000
 * @param maxBodyMb largest request body in MB (10⁶ bytes); default 32
 * @param token the bearer token {@code /v1/*} and {@code /metrics} need, or null for none
 * @param cors the one origin allowed cross-origin requests, or null for none
 * @param predictOptions the default tiling and TTA (a request may override them)
 * @param device where the models run; default {@link Device#AUTO}
 * @param threads libtorch intra-op threads; 0 leaves libtorch's default
 */
public record ServeConfig(
    Map<String, Path> models,
    String host,
    int port,
    int maxBatch,
    int maxDelayMs,
    int queue,
    long maxImagePixels,
    int maxBodyMb,
    String token,
    String cors,
    PredictOptions predictOptions,
    Device device,
    int threads) {

  /** Checks the values; keeps an unmodifiable copy of the models in their order. */
  public ServeConfig {
    Objects.requireNonNull(models, "models");
    if (models.isEmpty()) {
      throw new IllegalArgumentException("models is empty: serve at least one run folder");
    }
    for (String name : models.keySet()) {
      if (!name.matches("[A-Za-z0-9._-]+")) {
        throw new IllegalArgumentException(
            "model name '" + name + "' may hold only letters, digits, '.', '_' and '-'");
      }
    }
    models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
    Objects.requireNonNull(host, "host");
    check("port", port, 0, 65535);
    check("max_batch", maxBatch, 1, 1024);
    check("max_delay_ms", maxDelayMs, 0, 60_000);
    check("queue", queue, 1, 1_000_000);
    if (maxImagePixels < 1) {
      throw new IllegalArgumentException(
          "max_image_pixels=" + maxImagePixels + " must be at least 1");
    }
    check("max_body_mb", maxBodyMb, 1, 2047);
    if (token != null && token.isBlank()) {
      throw new IllegalArgumentException("the token is empty: give a non-blank token, or none");
    }
    Objects.requireNonNull(predictOptions, "predictOptions");
    Objects.requireNonNull(device, "device");
    check("threads", threads, 0, 4096);
  }

  private static void check(String name, long value, long lo, long hi) {
    if (value < lo || value > hi) {
      throw new IllegalArgumentException(
          name + "=" + value + " is out of range: use " + lo + ".." + hi);
    }
  }

  /** The defaults for these models (name to run folder, in iteration order). */
  public static ServeConfig of(Map<String, Path> models) {
    return new ServeConfig(
        models,
        "127.0.0.1",
        8080,
        8,
        5,
        64,
        64_000_000L,
        32,
        null,
        null,
        PredictOptions.defaults(),
        Device.AUTO,
        0);
  }

  /** The largest body in bytes. */
  public long maxBodyBytes() {
    return maxBodyMb * 1_000_000L;
  }

  /** A copy binding this address. */
  public ServeConfig withHost(String v) {
    return with(c -> c.host = v);
  }

  /** A copy on this port (0: any free port). */
  public ServeConfig withPort(int v) {
    return with(c -> c.port = v);
  }

  /** A copy batching at most this many images. */
  public ServeConfig withMaxBatch(int v) {
    return with(c -> c.maxBatch = v);
  }

  /** A copy waiting at most this long for a batch to fill. */
  public ServeConfig withMaxDelayMs(int v) {
    return with(c -> c.maxDelayMs = v);
  }

  /** A copy with this queue length per model. */
  public ServeConfig withQueue(int v) {
    return with(c -> c.queue = v);
  }

  /** A copy accepting images of at most this many pixels. */
  public ServeConfig withMaxImagePixels(long v) {
    return with(c -> c.maxImagePixels = v);
  }

  /** A copy accepting bodies of at most this many MB. */
  public ServeConfig withMaxBodyMb(int v) {
    return with(c -> c.maxBodyMb = v);
  }

  /** A copy requiring this bearer token (null: none). */
  public ServeConfig withToken(String v) {
    return with(c -> c.token = v);
  }

  /** A copy allowing cross-origin requests from this origin (null: none). */
  public ServeConfig withCors(String v) {
    return with(c -> c.cors = v);
  }

  /** A copy with these default predict options. */
  public ServeConfig withPredictOptions(PredictOptions v) {
    return with(c -> c.predictOptions = v);
  }

  /** A copy running the models on this device. */
  public ServeConfig withDevice(Device v) {
    return with(c -> c.device = v);
  }

  /** A copy with this many libtorch threads (0: libtorch's default). */
  public ServeConfig withThreads(int v) {
    return with(c -> c.threads = v);
  }

  private ServeConfig with(Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return c.build();
  }

  /** A mutable copy of the settings, for the withers. */
  private static final class Copy {
    private Map<String, Path> models;
    private String host;
    private int port;
    private int maxBatch;
    private int maxDelayMs;
    private int queue;
    private long maxImagePixels;
    private int maxBodyMb;
    private String token;
    private String cors;
    private PredictOptions predictOptions;
    private Device device;
    private int threads;

    Copy(ServeConfig c) {
      models = c.models;
      host = c.host;
      port = c.port;
      maxBatch = c.maxBatch;
      maxDelayMs = c.maxDelayMs;
      queue = c.queue;
      maxImagePixels = c.maxImagePixels;
      maxBodyMb = c.maxBodyMb;
      token = c.token;
      cors = c.cors;
      predictOptions = c.predictOptions;
      device = c.device;
      threads = c.threads;
    }

    ServeConfig build() {
      return new ServeConfig(
          models,
          host,
          port,
          maxBatch,
          maxDelayMs,
          queue,
          maxImagePixels,
          maxBodyMb,
          token,
          cors,
          predictOptions,
          device,
          threads);
    }
  }

  @Override
  public String toString() {
    // the token never reaches a log line
    return "ServeConfig[models="
        + models
        + ", host="
        + host
        + ", port="
        + port
        + ", maxBatch="
        + maxBatch
        + ", maxDelayMs="
        + maxDelayMs
        + ", queue="
        + queue
        + ", maxImagePixels="
        + maxImagePixels
        + ", maxBodyMb="
        + maxBodyMb
        + ", token="
        + (token == null ? "none" : "set")
        + ", cors="
        + cors
        + ", predictOptions="
        + predictOptions
        + ", device="
        + device
        + ", threads="
        + threads
        + "]";
  }
}
