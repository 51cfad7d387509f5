package org.seg4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.seg4j.api.Device;
import org.seg4j.api.PredictOptions;
import org.seg4j.infer.TileOptions;
import org.seg4j.serve.SegServer;
import org.seg4j.serve.ServeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code seg4j serve}: an HTTP segmentation service for one or more runs ({@link SegServer}).
 * Prints one line when every model is ready; SIGTERM or Ctrl-C stops it gracefully (the requests in
 * flight are answered) and it exits 0.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "serve",
    description =
        "Serve runs over HTTP: POST an image to /v1/models/NAME/segment for its mask, view,"
            + " overlay, probabilities or a JSON summary; a web page at /; /v1/models,"
            + " /health/live, /health/ready and /metrics (Prometheus).")
final class ServeCommand implements Callable<Integer> {
  /** The server of the running command, for tests; null when none runs. */
  static final AtomicReference<SegServer> RUNNING = new AtomicReference<>();

  @Spec CommandSpec spec;

  @Option(
      names = "--run",
      required = true,
      paramLabel = "[NAME=]DIR",
      description =
          "a run folder to serve, named after the folder (or NAME=DIR); repeat for more models")
  List<String> runs;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "address to bind (default: ${DEFAULT-VALUE}, this machine only)")
  String host;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "port (default: ${DEFAULT-VALUE}; 0: any free port)")
  int port;

  @Option(
      names = "--max-batch",
      defaultValue = "8",
      description = "most images in one forward pass (default: ${DEFAULT-VALUE})")
  int maxBatch;

  @Option(
      names = "--max-delay-ms",
      defaultValue = "5",
      description = "how long to wait for a batch to fill (default: ${DEFAULT-VALUE})")
  int maxDelayMs;

  @Option(
      names = "--queue",
      defaultValue = "64",
      description = "requests waiting per model before 503 (default: ${DEFAULT-VALUE})")
  int queue;

  @Option(
      names = "--max-image-pixels",
      defaultValue = "64000000",
      description = "largest image, width x height (default: ${DEFAULT-VALUE})")
  long maxImagePixels;

  @Option(
      names = "--max-body-mb",
      defaultValue = "32",
      description = "largest request body in MB (default: ${DEFAULT-VALUE})")
  int maxBodyMb;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "a file holding the bearer token /v1/* and /metrics need (default: none)")
  Path tokenFile;

  @Option(
      names = "--cors",
      paramLabel = "ORIGIN",
      description = "allow cross-origin requests from this origin (default: none)")
  String cors;

  @Mixin InferenceOptions inference;

  @Mixin EngineOptions engine;

  @Override
  public Integer call() throws IOException, InterruptedException, TimeoutException {
    ServeConfig config =
        ServeConfig.of(models())
            .withHost(host)
            .withPort(port)
            .withMaxBatch(maxBatch)
            .withMaxDelayMs(maxDelayMs)
            .withQueue(queue)
            .withMaxImagePixels(maxImagePixels)
            .withMaxBodyMb(maxBodyMb)
            .withToken(token())
            .withCors(cors)
            .withPredictOptions(predictOptions(inference.options()))
            .withDevice(device())
            .withThreads(engine.threads);
    SegServer server = SegServer.start(config);
    PrintWriter out = spec.commandLine().getOut();
    Thread hook = new Thread(() -> stopAndExit(server, out), "seg4j-serve-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    RUNNING.set(server);
    try {
      server.awaitReady(Duration.ofDays(365));
      out.println(
          "seg4j serve: "
              + server.url()
              + " (models: "
              + String.join(", ", config.models().keySet())
              + ") ready");
      out.flush();
      server.join();
      return 0;
    } finally {
      RUNNING.set(null);
      server.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down: the hook is running
      }
    }
  }

  /** SIGTERM or Ctrl-C: stop gracefully, then end the JVM with 0 (a signal would give 143). */
  private static void stopAndExit(SegServer server, PrintWriter out) {
    server.close();
    out.println("seg4j serve: stopped");
    out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(0);
  }

  /** The models by name, in the order given; a name repeated is refused. */
  private Map<String, Path> models() {
    Map<String, Path> models = new LinkedHashMap<>();
    for (String r : runs) {
      int eq = r.indexOf('=');
      Path dir = Path.of(eq < 0 ? r : r.substring(eq + 1));
      String name = eq < 0 ? folderName(dir) : r.substring(0, eq);
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException(
            "--run "
                + r
                + ": no such folder: give a run folder that seg4j train wrote (runs/NAME)");
      }
      if (models.containsKey(name)) {
        throw new IllegalArgumentException(
            "--run "
                + r
                + ": the model name "
                + name
                + " is taken by "
                + models.get(name)
                + ": rename one with --run OTHER="
                + dir);
      }
      models.put(name, dir);
    }
    return models;
  }

  private static String folderName(Path dir) {
    Path n = dir.toAbsolutePath().normalize().getFileName();
    return n == null ? "model" : n.toString();
  }

  private String token() {
    if (tokenFile == null) {
      return null;
    }
    String t;
    try {
      t = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--token-file "
              + tokenFile
              + (e instanceof NoSuchFileException
                  ? " does not exist"
                  : e instanceof AccessDeniedException
                      ? " is not readable"
                      : " cannot be read (" + e.getMessage() + ")")
              + ": write the token into it, on one line");
    }
    if (t.isEmpty() || t.contains("\n")) {
      throw new IllegalArgumentException(
          "--token-file "
              + tokenFile
              + (t.isEmpty() ? " is empty" : " holds more than one line")
              + ": write the token into it, on one line");
    }
    return t;
  }

  private Device device() {
    try {
      return Device.valueOf(engine.device.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--device " + engine.device + " is not known: use auto, cpu or gpu");
    }
  }

  private static PredictOptions predictOptions(TileOptions t) {
    return PredictOptions.builder()
        .tile(t.tile())
        .overlap(t.overlap())
        .blend(PredictOptions.Blend.valueOf(t.blend().name()))
        .flipTta(t.flipTta())
        .tileBatch(t.batch())
        .threshold(t.threshold())
        .build();
  }
}
