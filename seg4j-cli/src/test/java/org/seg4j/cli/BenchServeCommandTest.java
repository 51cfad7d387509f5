package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code seg4j bench-serve} against a stub server on a free port: every 7th request answers 503,
 * the others a PNG with a batch-size header; the counts, the error tally, the mean batch size, the
 * latencies (the stub holds each answer a known time) and the JSON line must match what the stub
 * saw.
 */
class BenchServeCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int HOLD_MS = 3;

  @TempDir Path dir;

  private HttpServer server;
  private ExecutorService executor;
  private final AtomicInteger segmentCalls = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicLong batchSum = new AtomicLong();
  private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
  private volatile int readyStatus = 200;
  private volatile int failEvery = 7;
  private byte[] mask;
  private List<byte[]> images;

  @BeforeEach
  void start() throws IOException {
    mask = png(4, 0);
    images = List.of(png(8, 10), png(8, 20), png(8, 30));
    Path imgs = Files.createDirectories(dir.resolve("images"));
    for (int i = 0; i < images.size(); i++) {
      Files.write(imgs.resolve("img" + i + ".png"), images.get(i));
    }
    Files.writeString(imgs.resolve("notes.txt"), "not an image, not sent");
    Files.writeString(dir.resolve("token"), "s3cret\n");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newFixedThreadPool(8);
    server.setExecutor(executor);
    server.createContext("/health/ready", ex -> answer(ex, readyStatus, "{\"status\":\"x\"}"));
    server.createContext("/v1/models/m1/segment", this::segment);
    server.start();
  }

  @AfterEach
  void stop() {
    if (!executor.isShutdown()) {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  private void segment(HttpExchange ex) throws IOException {
    byte[] body = ex.getRequestBody().readAllBytes();
    if (!ex.getRequestMethod().equals("POST")
        || !"output=json".equals(ex.getRequestURI().getRawQuery())
        || !"image/png".equals(ex.getRequestHeaders().getFirst("Content-Type"))
        || !"Bearer s3cret".equals(ex.getRequestHeaders().getFirst("Authorization"))
        || images.stream().noneMatch(i -> Arrays.equals(i, body))) {
      problems.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + ex.getRequestHeaders());
    }
    int n = segmentCalls.incrementAndGet();
    try {
      Thread.sleep(HOLD_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (failEvery > 0 && n % failEvery == 0) {
      failed.incrementAndGet();
      ex.getResponseHeaders().add("Retry-After", "1");
      answer(ex, 503, "{\"error\":\"the queue is full\",\"status\":503}");
      return;
    }
    int batch = n % 3 + 1;
    batchSum.addAndGet(batch);
    ex.getResponseHeaders().add("Content-Type", "image/png");
    ex.getResponseHeaders().add("X-Seg4j-Batch-Size", Integer.toString(batch));
    ex.sendResponseHeaders(200, mask.length);
    ex.getResponseBody().write(mask);
    ex.close();
  }

  private static void answer(HttpExchange ex, int status, String json) throws IOException {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
    ex.close();
  }

  private static byte[] png(int side, int grey) throws IOException {
    BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setSample(0, 0, 0, grey);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  private String[] args(String... extra) {
    return args(url(), dir.resolve("images"), extra);
  }

  private String[] args(String url, Path images, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "bench-serve",
                "--url",
                url,
                "--model",
                "m1",
                "--images",
                images.toString(),
                "--output",
                "json",
                "--token-file",
                dir.resolve("token").toString()));
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  private static JsonNode lastLine(String out) throws IOException {
    String[] lines = out.strip().split("\n");
    return JSON.readTree(lines[lines.length - 1]);
  }

  @Test
  void countsErrorsByStatusAndReportsWhatTheServerSaw() throws IOException {
    long pid = ProcessHandle.current().pid();
    CliRun r =
        CliRun.of(
            args(
                "--clients",
                "4",
                "--requests",
                "25",
                "--warmup",
                "0",
                "--pid",
                Long.toString(pid),
                "--rss-every",
                "10"));
    assertThat(problems).as("requests as the contract says").isEmpty();
    assertThat(segmentCalls.get()).isEqualTo(100);
    assertThat(failed.get()).isEqualTo(14);
    assertThat(r.code()).as(r.all()).isEqualTo(1);
    assertThat(r.err()).contains("14 of 100 request(s) failed {503=14}", "--allow-errors");
    assertThat(r.out())
        .contains("86 ok, 14 failed (503: 14)")
        .contains("HTTP 503 {\"error\":\"the queue is full\",\"status\":503}")
        .contains("requests 10 server_rss_mb ")
        .contains("requests 100 server_rss_mb ");
    JsonNode j = lastLine(r.out());
    assertThat(j.get("requests").asLong()).isEqualTo(100);
    assertThat(j.get("ok").asLong()).isEqualTo(86);
    assertThat(j.get("error_count").asLong()).isEqualTo(14);
    assertThat(j.get("errors").toString()).isEqualTo("{\"503\":14}");
    assertThat(j.get("clients").asInt()).isEqualTo(4);
    assertThat(j.get("images").asInt()).isEqualTo(3);
    assertThat(j.get("bytes_received").asLong()).isEqualTo(86L * mask.length);
    assertThat(j.get("mean_batch_size").asDouble())
        .isEqualTo(Math.round(batchSum.get() / 86.0 * 1000) / 1000.0);
    double p50 = j.get("p50_ms").asDouble();
    double p95 = j.get("p95_ms").asDouble();
    double p99 = j.get("p99_ms").asDouble();
    double max = j.get("max_ms").asDouble();
    assertThat(p50).isGreaterThanOrEqualTo(HOLD_MS);
    assertThat(p50).isLessThanOrEqualTo(p95);
    assertThat(p95).isLessThanOrEqualTo(p99);
    assertThat(p99).isLessThanOrEqualTo(max);
    double wall = j.get("wall_s").asDouble();
    // each client waits for its 25 answers one after another, each held HOLD_MS
    assertThat(wall).isGreaterThanOrEqualTo(25 * HOLD_MS / 1000.0);
    assertThat(j.get("img_per_s").asDouble()).isCloseTo(86 / wall, within(86 / wall * 0.01));
    // a start sample, then one every 10 completed requests (10, 20, ..., 100)
    assertThat(j.get("rss_samples").asInt()).isEqualTo(11);
    assertThat(j.get("rss_start_mb").asDouble()).isPositive();
    assertThat(j.get("rss_max_mb").asDouble())
        .isGreaterThanOrEqualTo(j.get("rss_end_mb").asDouble());
    assertThat(j.has("rss_slope_mb_per_1000")).isTrue();
    assertThat(j.has("rss_late_slope_mb_per_1000")).isTrue();
  }

  @Test
  void warmUpRequestsAreSentButNotCounted() throws IOException {
    failEvery = 0;
    CliRun r = CliRun.of(args("--clients", "2", "--requests", "5", "--warmup", "3", "--json"));
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(segmentCalls.get()).isEqualTo(16);
    assertThat(r.out().strip().lines().count()).as("--json prints one line").isEqualTo(1);
    JsonNode j = lastLine(r.out());
    assertThat(j.get("ok").asLong()).isEqualTo(10);
    assertThat(j.get("error_count").asLong()).isZero();
    assertThat(j.get("warmup_errors").asLong()).isZero();
    assertThat(j.has("rss_start_mb")).as("no --pid, no RSS").isFalse();
  }

  @Test
  void allowErrorsExitsZeroAndCountsWarmUpFailuresApart() throws IOException {
    CliRun r =
        CliRun.of(args("--clients", "1", "--requests", "7", "--warmup", "7", "--allow-errors"));
    assertThat(r.code()).as(r.all()).isZero();
    JsonNode j = lastLine(r.out());
    // calls 1..7 warm up (7 fails), 8..14 are timed (14 fails)
    assertThat(j.get("warmup_errors").asLong()).isEqualTo(1);
    assertThat(j.get("ok").asLong()).isEqualTo(6);
    assertThat(j.get("errors").toString()).isEqualTo("{\"503\":1}");
    assertThat(r.out()).contains("1 failed in the warm-up");
  }

  @Test
  void aServerNotReadyOrNotThereFailsInOneLine() {
    readyStatus = 503;
    CliRun loading = CliRun.of(args("--requests", "1"));
    assertThat(loading.code()).isEqualTo(2);
    assertThat(loading.err()).contains("health/ready answered 503").doesNotContain("\tat ");
    assertThat(segmentCalls.get()).isZero();
    String url = url();
    stop();
    CliRun gone = CliRun.of(args(url, dir.resolve("images"), "--requests", "1"));
    assertThat(gone.code()).isEqualTo(2);
    assertThat(gone.err()).contains("nothing answers at " + url);
  }

  @Test
  void badValuesAreRefusedBeforeAnyRequest() {
    CliRun r = CliRun.of(args("--clients", "0"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--clients 0");
    CliRun none = CliRun.of(args(url(), dir.resolve("nope")));
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("does not exist");
    assertThat(segmentCalls.get()).isZero();
  }
}
