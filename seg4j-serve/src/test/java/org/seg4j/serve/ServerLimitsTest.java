package org.seg4j.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.seg4j.serve.TinyServe.bytes;
import static org.seg4j.serve.TinyServe.get;
import static org.seg4j.serve.TinyServe.grey;
import static org.seg4j.serve.TinyServe.image;
import static org.seg4j.serve.TinyServe.png;
import static org.seg4j.serve.TinyServe.post;
import static org.seg4j.serve.TinyServe.send;
import static org.seg4j.serve.TinyServe.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.api.Device;
import org.seg4j.api.Segmenter;

/**
 * Limits and concurrency: the bearer token, CORS, body and pixel limits, a full queue, batching of
 * concurrent requests, and a graceful close that finishes the request in flight. Queue and batch
 * tests hold the model's worker ({@link ModelWorker#hold}) so that what is queued is known.
 */
class ServerLimitsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static Path data;
  static Path run;

  @BeforeAll
  static void train() throws Exception {
    data = dir.resolve("data");
    run = dir.resolve("runs/shapes");
    TinyServe.train(data, run);
  }

  static JsonNode error(HttpResponse<byte[]> r, int status) throws Exception {
    assertThat(r.statusCode()).as(text(r)).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode n = JSON.readTree(r.body());
    assertThat(n.get("status").asInt()).isEqualTo(status);
    return n;
  }

  static CompletableFuture<HttpResponse<byte[]>> async(HttpRequest r) {
    return TinyServe.HTTP.sendAsync(r, HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void aTokenGuardsTheApiAndMetricsButNotHealthOrThePage() throws Exception {
    try (SegServer s =
        TinyServe.start(
            TinyServe.config(run).withToken("s3cret").withCors("https://lab.example"))) {
      HttpResponse<byte[]> none = get(s, "v1/models");
      assertThat(error(none, 401).get("error").asText()).contains("Authorization: Bearer");
      assertThat(none.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
      error(get(s, "v1/models", "Authorization", "Bearer wrong"), 401);
      error(get(s, "metrics"), 401);
      error(send(post(s, "v1/models/shapes/segment", bytes(image(data, 1)))), 401);
      assertThat(get(s, "v1/models", "Authorization", "Bearer s3cret").statusCode()).isEqualTo(200);
      assertThat(get(s, "metrics", "Authorization", "Bearer s3cret").statusCode()).isEqualTo(200);
      HttpResponse<byte[]> seg =
          send(
              post(
                  s,
                  "v1/models/shapes/segment",
                  bytes(image(data, 1)),
                  "Authorization",
                  "Bearer s3cret"));
      assertThat(seg.statusCode()).isEqualTo(200);
      assertThat(get(s, "health/live").statusCode()).isEqualTo(200);
      assertThat(get(s, "health/ready").statusCode()).isEqualTo(200);
      assertThat(get(s, "").statusCode()).isEqualTo(200);
      // CORS: the configured origin on answers, and a preflight without a token
      assertThat(seg.headers().firstValue("Access-Control-Allow-Origin"))
          .hasValue("https://lab.example");
      HttpResponse<byte[]> pre =
          TinyServe.HTTP.send(
              HttpRequest.newBuilder(URI.create(s.url() + "v1/models/shapes/segment"))
                  .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                  .header("Origin", "https://lab.example")
                  .header("Access-Control-Request-Method", "POST")
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(pre.statusCode()).isEqualTo(204);
      assertThat(pre.headers().firstValue("Access-Control-Allow-Origin"))
          .hasValue("https://lab.example");
      assertThat(pre.headers().firstValue("Access-Control-Allow-Headers").orElse(""))
          .contains("Authorization");
    }
  }

  @Test
  void aBodyOrAnImageOverTheLimitIs413NamingTheFlag() throws Exception {
    try (SegServer s =
        TinyServe.start(TinyServe.config(run).withMaxBodyMb(1).withMaxImagePixels(1000))) {
      JsonNode body = error(send(post(s, "v1/models/shapes/segment", new byte[1_500_000])), 413);
      assertThat(body.get("error").asText()).contains("1.0 MB").contains("--max-body-mb");
      // 32 x 32 = 1024 pixels > 1000
      JsonNode pixels =
          error(send(post(s, "v1/models/shapes/segment", bytes(image(data, 1)))), 413);
      assertThat(pixels.get("error").asText())
          .contains("32x32")
          .contains("1,024")
          .contains("1,000")
          .contains("--max-image-pixels");
      assertThat(get(s, "health/live").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aFullQueueAnswers503AtOnceWithRetryAfter() throws Exception {
    try (SegServer s = TinyServe.start(TinyServe.config(run).withQueue(1).withMaxBatch(1))) {
      ModelWorker w = s.worker("shapes");
      w.hold(true);
      CompletableFuture<HttpResponse<byte[]>> first =
          async(post(s, "v1/models/shapes/segment", bytes(image(data, 1))));
      TinyServe.await(() -> w.depth() == 1);
      HttpResponse<byte[]> full = send(post(s, "v1/models/shapes/segment", bytes(image(data, 2))));
      assertThat(error(full, 503).get("error").asText()).contains("queue").contains("--queue");
      assertThat(full.headers().firstValue("Retry-After")).hasValue("1");
      // health is answered while the worker is busy
      assertThat(get(s, "health/ready").statusCode()).isEqualTo(200);
      w.hold(false);
      assertThat(first.get().statusCode()).isEqualTo(200);
      String metrics = text(get(s, "metrics"));
      assertThat(metrics)
          .contains("seg4j_requests_total{model=\"shapes\",status=\"503\"} 1")
          .contains("seg4j_requests_total{model=\"shapes\",status=\"200\"} 1");
    }
  }

  @Test
  void concurrentRequestsAreBatchedAndGiveOneByOnesMasks() throws Exception {
    ServeConfig c = TinyServe.config(run).withMaxBatch(8).withMaxDelayMs(2000);
    try (SegServer s = TinyServe.start(c);
        Segmenter one = Segmenter.fromRun(run).device(Device.CPU).build()) {
      ModelWorker w = s.worker("shapes");
      w.hold(true);
      List<CompletableFuture<HttpResponse<byte[]>>> answers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        answers.add(async(post(s, "v1/models/shapes/segment", bytes(image(data, i)))));
      }
      TinyServe.await(() -> w.depth() == 8);
      w.hold(false);
      int biggest = 0;
      for (int i = 0; i < 8; i++) {
        HttpResponse<byte[]> r = answers.get(i).get();
        assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
        int[] want = one.predict(ImageIO.read(image(data, i).toFile())).mask();
        assertThat(grey(png(r))).as("image %d", i).containsExactly(want);
        biggest =
            Math.max(
                biggest,
                Integer.parseInt(r.headers().firstValue("X-Seg4j-Batch-Size").orElseThrow()));
      }
      assertThat(biggest).isEqualTo(8);
      assertThat(text(get(s, "metrics")))
          .contains("seg4j_batch_size_bucket{model=\"shapes\",le=\"8\"} 1");
    }
  }

  @Test
  void aModelThatDoesNotLoadIsReportedAndTheServerStaysUp() throws Exception {
    Path broken = dir.resolve("runs/broken");
    Files.createDirectories(broken.resolve("checkpoints"));
    Files.copy(run.resolve("config.yml"), broken.resolve("config.yml"));
    Files.writeString(broken.resolve("checkpoints/best.safetensors"), "not a checkpoint");
    try (SegServer s = SegServer.start(TinyServe.config(broken))) {
      assertThatThrownBy(() -> s.awaitReady(Duration.ofMinutes(1)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("model shapes");
      HttpResponse<byte[]> ready = get(s, "health/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(text(ready)).contains("\"status\":\"failed\"");
      assertThat(get(s, "health/live").statusCode()).isEqualTo(200);
      HttpResponse<byte[]> seg = send(post(s, "v1/models/shapes/segment", bytes(image(data, 1))));
      assertThat(error(seg, 503).get("error").asText()).contains("failed to load");
    }
  }

  @Test
  void closeFinishesTheRequestInFlight() throws Exception {
    SegServer s = TinyServe.start(TinyServe.config(run));
    ModelWorker w = s.worker("shapes");
    w.hold(true);
    CompletableFuture<HttpResponse<byte[]>> inFlight =
        async(post(s, "v1/models/shapes/segment", bytes(image(data, 3))));
    TinyServe.await(() -> w.depth() == 1);
    CompletableFuture<Void> closing = CompletableFuture.runAsync(s::close);
    Thread.sleep(200);
    assertThat(closing).isNotDone();
    w.hold(false);
    HttpResponse<byte[]> r = inFlight.get();
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    closing.get();
    assertThat(w.state()).isEqualTo(ModelWorker.State.STOPPED);
    assertThat(
            CompletableFuture.supplyAsync(
                    () -> {
                      try {
                        return get(s, "health/live").statusCode();
                      } catch (Exception e) {
                        return -1;
                      }
                    })
                .get())
        .as("no longer accepting")
        .isEqualTo(-1);
  }
}
