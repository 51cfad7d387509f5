package org.seg4j.bench;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Phaser;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.seg4j.engine.ProcessMemory;

/**
 * A load run against a running {@code seg4j serve} (what {@code seg4j bench-serve} runs): C client
 * threads, each with its own HTTP/1.1 connection, send R requests one after another, posting the
 * raw bytes of images held in memory to {@code /v1/models/NAME/segment}. Every client first sends
 * its warm-up requests (not counted); the clock starts when all of them are done. Latency is
 * measured around each request (send to last byte of the answer) and reported over the successful
 * ones; failures are tallied by HTTP status, {@code timeout} or {@code connection}. With a process
 * id, the server's resident memory is sampled every N completed requests.
 */
public final class ServeLoad {
  /** Header the server puts on each answer: the size of the batch the image was predicted in. */
  public static final String BATCH_HEADER = "X-Seg4j-Batch-Size";

  /** Image file name endings read from a folder. */
  static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".tif", ".tiff");

  /**
   * One image to send.
   *
   * @param name file name
   * @param bytes the file's bytes, sent as they are
   * @param contentType from the file name ending
   */
  public record Image(String name, byte[] bytes, String contentType) {}

  /**
   * What to run.
   *
   * @param url the server's root, e.g. {@code http://127.0.0.1:8080/}
   * @param model the model name in the path
   * @param images the images, cycled through
   * @param clients concurrent clients
   * @param requests timed requests per client
   * @param warmup untimed requests per client before the clock starts
   * @param output the {@code output=} query value
   * @param token bearer token, or null
   * @param pid the server's process id for RSS samples, or null
   * @param rssEvery sample RSS every this many completed requests (0: start and end only)
   * @param timeout per-request timeout
   */
  public record Options(
      URI url,
      String model,
      List<Image> images,
      int clients,
      int requests,
      int warmup,
      String output,
      String token,
      Long pid,
      int rssEvery,
      Duration timeout) {}

  /**
   * The figures of a run.
   *
   * @param options what ran
   * @param ok requests answered 200
   * @param errors failed requests by kind: HTTP status ("503"), "timeout" or "connection"
   * @param firstError the first failure's description, or null
   * @param warmupErrors failed warm-up requests (not in {@code errors})
   * @param wallSeconds from the end of the warm-up to the last answer
   * @param latency latencies of the successful requests
   * @param meanBatch mean of {@value #BATCH_HEADER} over the successful answers carrying it (NaN:
   *     none did)
   * @param bytesReceived body bytes of the successful answers
   * @param rss the server's RSS samples, or null without a process id
   */
  public record Result(
      Options options,
      long ok,
      Map<String, Long> errors,
      String firstError,
      long warmupErrors,
      double wallSeconds,
      LatencyStats latency,
      double meanBatch,
      long bytesReceived,
      RssTrace rss) {
    /** All failed timed requests. */
    public long errorCount() {
      return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Successful requests per second of wall time (= images per second). */
    public double imgPerS() {
      return ok / Math.max(wallSeconds, 1e-9);
    }

    /** The JSON fields of the closing line (NaN as null). */
    public Map<String, Object> json() {
      Options o = options;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("url", o.url().toString());
      m.put("model", o.model());
      m.put("output", o.output());
      m.put("images", o.images().size());
      m.put("clients", o.clients());
      m.put("requests_per_client", o.requests());
      m.put("warmup_per_client", o.warmup());
      m.put("requests", (long) o.clients() * o.requests());
      m.put("ok", ok);
      m.put("error_count", errorCount());
      m.put("errors", errors);
      m.put("warmup_errors", warmupErrors);
      m.put("wall_s", round(wallSeconds, 3));
      m.put("img_per_s", round(imgPerS(), 3));
      m.put("p50_ms", round(latency.percentileMs(50), 2));
      m.put("p95_ms", round(latency.percentileMs(95), 2));
      m.put("p99_ms", round(latency.percentileMs(99), 2));
      m.put("max_ms", round(latency.maxMs(), 2));
      m.put("mean_ms", round(latency.meanMs(), 2));
      m.put("mean_batch_size", round(meanBatch, 3));
      m.put("bytes_received", bytesReceived);
      if (rss != null) {
        m.put("pid", o.pid());
        m.put("rss_start_mb", round(rss.startMb(), 1));
        m.put("rss_end_mb", round(rss.endMb(), 1));
        m.put("rss_max_mb", round(rss.maxMb(), 1));
        m.put("rss_slope_mb_per_1000", round(rss.slopeMbPer1000(), 3));
        m.put("rss_late_slope_mb_per_1000", round(rss.lateSlopeMbPer1000(), 3));
        m.put("rss_samples", rss.samples().size());
      }
      return m;
    }

    /** The figures as a few readable lines. */
    public String table() {
      Options o = options;
      StringBuilder sb = new StringBuilder();
      sb.append(
          String.format(
              Locale.ROOT,
              "bench-serve %s model %s, output %s, %d image(s), %d client(s) x %d request(s)"
                  + " (+%d warm-up each)%n",
              o.url(),
              o.model(),
              o.output(),
              o.images().size(),
              o.clients(),
              o.requests(),
              o.warmup()));
      sb.append(String.format(Locale.ROOT, "  requests    %d ok, %d failed", ok, errorCount()));
      if (!errors.isEmpty()) {
        sb.append(" (");
        errors.forEach(
            (k, v) ->
                sb.append(sb.charAt(sb.length() - 1) == '(' ? "" : ", ")
                    .append(k)
                    .append(": ")
                    .append(v));
        sb.append(")");
      }
      if (warmupErrors > 0) {
        sb.append(String.format(Locale.ROOT, "; %d failed in the warm-up", warmupErrors));
      }
      sb.append(String.format(Locale.ROOT, "%n"));
      if (firstError != null) {
        sb.append(String.format(Locale.ROOT, "  first error %s%n", firstError));
      }
      sb.append(String.format(Locale.ROOT, "  wall        %.2f s%n", wallSeconds));
      sb.append(String.format(Locale.ROOT, "  throughput  %.2f img/s%n", imgPerS()));
      sb.append(
          String.format(
              Locale.ROOT,
              "  latency     p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms  mean %.1f ms"
                  + " (%d ok requests)%n",
              latency.percentileMs(50),
              latency.percentileMs(95),
              latency.percentileMs(99),
              latency.maxMs(),
              latency.meanMs(),
              latency.count()));
      sb.append(
          Double.isNaN(meanBatch)
              ? String.format(Locale.ROOT, "  batch       no %s header%n", BATCH_HEADER)
              : String.format(
                  Locale.ROOT,
                  "  batch       mean %.2f (%s, per request)%n",
                  meanBatch,
                  BATCH_HEADER));
      if (rss != null) {
        sb.append(
            String.format(
                Locale.ROOT,
                "  server rss  start %.1f MB  end %.1f MB  max %.1f MB  slope %.3f MB per 1000"
                    + " requests, %.3f over the second half (%d samples, pid %d)%n",
                rss.startMb(),
                rss.endMb(),
                rss.maxMb(),
                rss.slopeMbPer1000(),
                rss.lateSlopeMbPer1000(),
                rss.samples().size(),
                o.pid()));
      }
      return sb.toString();
    }

    private static Double round(double v, int digits) {
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        return null;
      }
      double f = Math.pow(10, digits);
      return Math.round(v * f) / f;
    }
  }

  private ServeLoad() {}

  /**
   * The images of a folder (PNG, JPEG, TIFF by name, sorted) or one file (any), read into memory.
   */
  public static List<Image> readImages(Path dirOrFile) throws IOException {
    List<Path> files;
    if (Files.isDirectory(dirOrFile)) {
      try (Stream<Path> s = Files.list(dirOrFile)) {
        files =
            s.filter(Files::isRegularFile)
                .filter(p -> EXTENSIONS.stream().anyMatch(e -> lower(p).endsWith(e)))
                .sorted()
                .toList();
      }
      if (files.isEmpty()) {
        throw new IOException(
            dirOrFile + " holds no image (" + String.join(", ", EXTENSIONS) + ")");
      }
    } else if (Files.isRegularFile(dirOrFile)) {
      files = List.of(dirOrFile);
    } else {
      throw new IOException(dirOrFile + " does not exist");
    }
    List<Image> out = new ArrayList<>();
    for (Path f : files) {
      out.add(new Image(f.getFileName().toString(), Files.readAllBytes(f), contentType(f)));
    }
    return out;
  }

  private static String lower(Path p) {
    return p.getFileName().toString().toLowerCase(Locale.ROOT);
  }

  /** The Content-Type a file is sent with, from its name. */
  static String contentType(Path f) {
    String n = lower(f);
    if (n.endsWith(".png")) {
      return "image/png";
    } else if (n.endsWith(".jpg") || n.endsWith(".jpeg")) {
      return "image/jpeg";
    } else if (n.endsWith(".tif") || n.endsWith(".tiff")) {
      return "image/tiff";
    }
    return "application/octet-stream";
  }

  /** {@code url} with a trailing slash, so paths resolve below it. */
  static URI root(URI url) {
    String s = url.toString();
    return URI.create(s.endsWith("/") ? s : s + "/");
  }

  /** The segment endpoint of {@code model} below {@code url}, asking for {@code output}. */
  public static URI segmentUri(URI url, String model, String output) {
    return root(url)
        .resolve(
            "v1/models/"
                + URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20")
                + "/segment?output="
                + URLEncoder.encode(output, StandardCharsets.UTF_8));
  }

  /**
   * Runs the load; {@code log} receives progress lines (RSS samples).
   *
   * @throws IOException when the server cannot be reached or is not ready, or the process to sample
   *     cannot be read
   */
  public static Result run(Options o, Consumer<String> log)
      throws IOException, InterruptedException {
    checkReady(o);
    RssTrace rss = null;
    if (o.pid() != null) {
      rss = new RssTrace();
      ProcessMemory.rssMb(o.pid()); // fails now, not mid-run, when there is no such process
    }
    URI uri = segmentUri(o.url(), o.model(), o.output());
    AtomicLong completed = new AtomicLong();
    long[] t0 = new long[1];
    RssTrace trace = rss;
    Phaser start =
        new Phaser(o.clients()) {
          @Override
          protected boolean onAdvance(int phase, int parties) {
            sample(o, trace, 0, log);
            t0[0] = System.nanoTime();
            return true;
          }
        };
    ExecutorService pool = Executors.newFixedThreadPool(o.clients());
    List<Tally> tallies = new ArrayList<>();
    try {
      List<Future<Tally>> futures = new ArrayList<>();
      for (int c = 0; c < o.clients(); c++) {
        int client = c;
        futures.add(pool.submit(() -> client(o, uri, client, start, completed, trace, log)));
      }
      for (Future<Tally> f : futures) {
        tallies.add(f.get());
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    } finally {
      pool.shutdownNow();
    }
    double wall = (System.nanoTime() - t0[0]) / 1e9;
    long total = completed.get();
    if (rss != null && (o.rssEvery() == 0 || total % o.rssEvery() != 0)) {
      sample(o, rss, total, log);
    }
    Map<String, Long> errors = new TreeMap<>();
    long ok = 0;
    long warmupErrors = 0;
    long batchSum = 0;
    long batchCount = 0;
    long bytes = 0;
    String firstError = null;
    long firstErrorAt = Long.MAX_VALUE;
    List<long[]> lat = new ArrayList<>();
    for (Tally t : tallies) {
      ok += t.ok;
      warmupErrors += t.warmupErrors;
      batchSum += t.batchSum;
      batchCount += t.batchCount;
      bytes += t.bytes;
      t.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
      if (t.firstError != null && t.firstErrorAt < firstErrorAt) {
        firstError = t.firstError;
        firstErrorAt = t.firstErrorAt;
      }
      lat.add(Arrays.copyOf(t.latencies, (int) t.ok));
    }
    long[] all = lat.stream().flatMapToLong(Arrays::stream).toArray();
    return new Result(
        o,
        ok,
        errors,
        firstError,
        warmupErrors,
        wall,
        LatencyStats.ofNanos(all),
        batchCount == 0 ? Double.NaN : (double) batchSum / batchCount,
        bytes,
        rss);
  }

  /** What one client saw. */
  private static final class Tally {
    final long[] latencies;
    final Map<String, Long> errors = new TreeMap<>();
    long ok;
    long warmupErrors;
    long batchSum;
    long batchCount;
    long bytes;
    String firstError;
    long firstErrorAt;

    Tally(int requests) {
      latencies = new long[requests];
    }
  }

  private static Tally client(
      Options o,
      URI uri,
      int client,
      Phaser start,
      AtomicLong completed,
      RssTrace rss,
      Consumer<String> log)
      throws IOException, InterruptedException {
    HttpClient http = http(o);
    Tally t = new Tally(o.requests());
    int n = o.images().size();
    boolean arrived = false;
    try {
      for (int i = 0; i < o.warmup(); i++) {
        Image img = o.images().get((i * o.clients() + client) % n);
        try {
          HttpResponse<byte[]> r =
              http.send(request(o, uri, img), HttpResponse.BodyHandlers.ofByteArray());
          if (r.statusCode() != 200) {
            t.warmupErrors++;
          }
        } catch (IOException e) {
          t.warmupErrors++;
        }
      }
      arrived = true;
      start.arriveAndAwaitAdvance();
      for (int i = 0; i < o.requests(); i++) {
        Image img = o.images().get(((o.warmup() + i) * o.clients() + client) % n);
        HttpRequest req = request(o, uri, img);
        long s = System.nanoTime();
        try {
          HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
          long took = System.nanoTime() - s;
          if (r.statusCode() == 200) {
            t.latencies[(int) t.ok++] = took;
            t.bytes += r.body().length;
            String b = r.headers().firstValue(BATCH_HEADER).orElse(null);
            if (b != null) {
              try {
                t.batchSum += Long.parseLong(b.strip());
                t.batchCount++;
              } catch (NumberFormatException e) {
                // not a count: left out of the mean
              }
            }
          } else {
            tallyError(t, Integer.toString(r.statusCode()), describe(img, r), s);
          }
        } catch (HttpTimeoutException e) {
          tallyError(t, "timeout", img.name() + ": no answer within " + o.timeout(), s);
        } catch (IOException e) {
          tallyError(t, "connection", img.name() + ": " + e, s);
        }
        long done = completed.incrementAndGet();
        if (o.rssEvery() > 0 && done % o.rssEvery() == 0) {
          sample(o, rss, done, log);
        }
      }
      return t;
    } finally {
      if (!arrived) {
        start.arriveAndDeregister(); // the others must not wait for a client that failed
      }
    }
  }

  private static void tallyError(Tally t, String kind, String description, long at) {
    t.errors.merge(kind, 1L, Long::sum);
    if (t.firstError == null) {
      t.firstError = description;
      t.firstErrorAt = at;
    }
  }

  private static String describe(Image img, HttpResponse<byte[]> r) {
    String body = new String(r.body(), StandardCharsets.UTF_8).strip();
    if (body.length() > 300 || body.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
      body = body.length() + " bytes";
    }
    return img.name() + ": HTTP " + r.statusCode() + " " + body;
  }

  private static HttpRequest request(Options o, URI uri, Image img) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(o.timeout())
            .header("Content-Type", img.contentType())
            .POST(HttpRequest.BodyPublishers.ofByteArray(img.bytes()));
    if (o.token() != null) {
      b.header("Authorization", "Bearer " + o.token());
    }
    return b.build();
  }

  private static void sample(Options o, RssTrace rss, long requests, Consumer<String> log) {
    if (rss == null) {
      return;
    }
    try {
      double mb = ProcessMemory.rssMb(o.pid());
      rss.add(requests, mb);
      log.accept(String.format(Locale.ROOT, "requests %d server_rss_mb %.1f", requests, mb));
    } catch (IOException e) {
      log.accept("requests " + requests + " server_rss_mb unreadable: " + e.getMessage());
    }
  }

  /** An HTTP/1.1 client with the run's connect timeout: one per client thread, one connection. */
  private static HttpClient http(Options o) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(o.timeout())
        .build();
  }

  /** Asks {@code /health/ready} first, so a wrong URL or a loading server fails in one line. */
  private static void checkReady(Options o) throws IOException, InterruptedException {
    URI ready = root(o.url()).resolve("health/ready");
    HttpClient http = http(o);
    HttpResponse<String> r;
    try {
      r =
          http.send(
              HttpRequest.newBuilder(ready).timeout(o.timeout()).GET().build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new IOException(
          "nothing answers at "
              + root(o.url())
              + " (connection refused): is seg4j serve running"
              + " there?",
          e);
    } catch (IOException e) {
      throw new IOException("cannot reach " + ready + ": " + e, e);
    }
    if (r.statusCode() != 200) {
      throw new IOException(
          ready
              + " answered "
              + r.statusCode()
              + " "
              + r.body().strip()
              + ": wait until the server is ready");
    }
  }
}
