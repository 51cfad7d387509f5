package org.seg4j.serve;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
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
    return new ServeConfig(
        models,
        v,
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

  /** A copy on this port (0: any free port). */
  public ServeConfig withPort(int v) {
    return new ServeConfig(
        models,
        host,
        v,
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

  /** A copy batching at most this many images. */
  public ServeConfig withMaxBatch(int v) {
    return new ServeConfig(
        models,
        host,
        port,
        v,
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

  /** A copy waiting at most this long for a batch to fill. */
  public ServeConfig withMaxDelayMs(int v) {
    return new ServeConfig(
        models,
        host,
        port,
        maxBatch,
        v,
        queue,
        maxImagePixels,
        maxBodyMb,
        token,
        cors,
        predictOptions,
        device,
        threads);
  }

  /** A copy with this queue length per model. */
  public ServeConfig withQueue(int v) {
    return new ServeConfig(
        models,
        host,
        port,
        maxBatch,
        maxDelayMs,
        v,
        maxImagePixels,
        maxBodyMb,
        token,
        cors,
        predictOptions,
        device,
        threads);
  }

  /** A copy accepting images of at most this many pixels. */
  public ServeConfig withMaxImagePixels(long v) {
    return new ServeConfig(
        models,
        host,
        port,
        maxBatch,
        maxDelayMs,
        queue,
        v,
        maxBodyMb,
        token,
        cors,
        predictOptions,
        device,
        threads);
  }

  /** A copy accepting bodies of at most this many MB. */
  public ServeConfig withMaxBodyMb(int v) {
    return new ServeConfig(
        models,
        host,
        port,
        maxBatch,
        maxDelayMs,
        queue,
        maxImagePixels,
        v,
        token,
        cors,
        predictOptions,
        device,
        threads);
  }

  /** A copy requiring this bearer token (null: none). */
  public ServeConfig withToken(String v) {
    return new ServeConfig(
        models,
        host,
        port,
        maxBatch,
        maxDelayMs,
        queue,
        maxImagePixels,
        maxBodyMb,
        v,
        cors,
        predictOptions,
        device,
        threads);
  }

  /** A copy allowing cross-origin requests from this origin (null: none). */
  public ServeConfig withCors(String v) {
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
        v,
        predictOptions,
        device,
        threads);
  }

  /** A copy with these default predict options. */
  public ServeConfig withPredictOptions(PredictOptions v) {
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
        v,
        device,
        threads);
  }

  /** A copy running the models on this device. */
  public ServeConfig withDevice(Device v) {
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
        v,
        threads);
  }

  /** A copy with this many libtorch threads (0: libtorch's default). */
  public ServeConfig withThreads(int v) {
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
        v);
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
