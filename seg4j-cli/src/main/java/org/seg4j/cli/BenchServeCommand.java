package org.seg4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.seg4j.bench.ServeLoad;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seg4j bench-serve}: throughput, latency percentiles, errors and batch sizes of a running
 * {@code seg4j serve} under C concurrent clients, and the server's RSS over the run.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "bench-serve",
    description =
        "Load a running seg4j serve: C concurrent clients each send R requests (raw image bytes,"
            + " one after another) to /v1/models/NAME/segment; prints throughput, latency"
            + " p50/p95/p99/max, errors by status, the mean batch size and (with --pid) the"
            + " server's RSS, and ends with one JSON line. Exits 1 when a request failed.")
final class BenchServeCommand implements Callable<Integer> {
  @Option(
      names = "--url",
      defaultValue = "http://127.0.0.1:8080/",
      paramLabel = "URL",
      description = "the server's root (default: ${DEFAULT-VALUE})")
  URI url;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "NAME",
      description = "model name (the run folder's name, see GET /v1/models)")
  String model;

  @Option(
      names = "--images",
      required = true,
      paramLabel = "DIR_OR_FILE",
      description = "a folder of PNG/JPEG/TIFF images or one file, read into memory and cycled")
  Path images;

  @Option(
      names = "--clients",
      defaultValue = "8",
      paramLabel = "C",
      description = "concurrent clients, one connection each (default: ${DEFAULT-VALUE})")
  int clients;

  @Option(
      names = "--requests",
      defaultValue = "100",
      paramLabel = "R",
      description = "timed requests per client (default: ${DEFAULT-VALUE})")
  int requests;

  @Option(
      names = "--warmup",
      defaultValue = "10",
      paramLabel = "N",
      description =
          "untimed requests per client before the clock starts (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(
      names = "--output",
      defaultValue = "mask",
      paramLabel = "KIND",
      description =
          "output= of each request: mask, view, overlay, prob or json (default: ${DEFAULT-VALUE})")
  String output;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "bearer token for a server started with --token-file")
  Path tokenFile;

  @Option(
      names = "--pid",
      paramLabel = "PID",
      description = "the server's process id: sample its RSS (/proc/PID/status) during the run")
  Long pid;

  @Option(
      names = "--rss-every",
      defaultValue = "500",
      paramLabel = "N",
      description =
          "with --pid, sample RSS every N completed requests (0: start and end only; default:"
              + " ${DEFAULT-VALUE})")
  int rssEvery;

  @Option(
      names = "--timeout",
      defaultValue = "120",
      paramLabel = "SECONDS",
      description = "per-request timeout (default: ${DEFAULT-VALUE})")
  int timeout;

  @Option(names = "--allow-errors", description = "exit 0 even when requests failed")
  boolean allowErrors;

  @Option(names = "--json", description = "print only the closing JSON line")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (clients < 1 || requests < 1 || warmup < 0 || rssEvery < 0 || timeout < 1) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "--clients %d and --requests %d must be at least 1, --warmup %d and --rss-every %d"
                  + " at least 0, --timeout %d at least 1",
              clients,
              requests,
              warmup,
              rssEvery,
              timeout));
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
      throw new IllegalArgumentException(
          "--url " + url + " is not an http:// address, e.g. http://127.0.0.1:8080/");
    }
    if (model.isBlank()) {
      throw new IllegalArgumentException("--model must name a model");
    }
    String token = null;
    if (tokenFile != null) {
      token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        throw new IllegalArgumentException("--token-file " + tokenFile + " is empty");
      }
    }
    ServeLoad.Options o =
        new ServeLoad.Options(
            url,
            model,
            ServeLoad.readImages(images),
            clients,
            requests,
            warmup,
            output,
            token,
            pid,
            rssEvery,
            Duration.ofSeconds(timeout));
    ServeLoad.Result r = ServeLoad.run(o, json ? line -> {} : System.out::println);
    if (!json) {
      System.out.print(r.table());
    }
    Map<String, Object> fields = r.json();
    System.out.println(new ObjectMapper().writeValueAsString(fields));
    if (r.errorCount() > 0 && !allowErrors) {
      System.err.printf(
          Locale.ROOT,
          "seg4j: %d of %d request(s) failed %s; pass --allow-errors to exit 0 anyway%n",
          r.errorCount(),
          (long) clients * requests,
          r.errors());
      return 1;
    }
    return 0;
  }
}
