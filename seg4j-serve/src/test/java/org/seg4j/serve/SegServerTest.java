package org.seg4j.serve;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.api.Device;
import org.seg4j.api.PredictOptions;
import org.seg4j.api.Prediction;
import org.seg4j.api.Segmenter;
import org.seg4j.data.ImageFiles;
import org.seg4j.infer.Outputs;
import org.seg4j.infer.PredictionMaps;

/**
 * The HTTP API against a server on a free port serving a tiny run trained here: every endpoint,
 * every output format checked against {@link Segmenter#predict} (the mask exactly, RLE decoded
 * back), and every error status with its one JSON line.
 */
class SegServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static Path data;
  static Path run;
  static SegServer server;
  static Segmenter segmenter;

  /** The image whose predicted mask has the most foreground: mask checks are not all zeros. */
  static int rich;

  @BeforeAll
  static void trainAndServe() throws Exception {
    data = dir.resolve("data");
    run = dir.resolve("runs/shapes");
    TinyServe.train(data, run);
    server = TinyServe.start(TinyServe.config(run));
    segmenter = Segmenter.fromRun(run).device(Device.CPU).build();
    long most = -1;
    for (int i = 0; i < 12; i++) {
      long fg = Outputs.pixelCounts(expected(i).mask(), 2)[1];
      if (fg > most) {
        most = fg;
        rich = i;
      }
    }
    assertThat(most).as("the tiny model finds discs somewhere").isGreaterThan(20);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (segmenter != null) {
      segmenter.close();
    }
  }

  static Prediction expected(int i) throws Exception {
    return segmenter.predict(ImageIO.read(image(data, i).toFile()));
  }

  static HttpResponse<byte[]> segment(int i, String query) throws Exception {
    return send(post(server, "v1/models/shapes/segment" + query, bytes(image(data, i))));
  }

  static JsonNode json(HttpResponse<byte[]> r) throws Exception {
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    return JSON.readTree(r.body());
  }

  /** Asserts an error answer: the status and one JSON line with the error and the status. */
  static JsonNode error(HttpResponse<byte[]> r, int status) throws Exception {
    assertThat(r.statusCode()).as(text(r)).isEqualTo(status);
    assertThat(text(r)).doesNotContain("\n").doesNotContain("Exception").doesNotContain("at org.");
    JsonNode n = json(r);
    assertThat(n.get("status").asInt()).isEqualTo(status);
    assertThat(n.get("error").asText()).isNotBlank();
    return n;
  }

  @Test
  void healthAnswersLiveAndReady() throws Exception {
    HttpResponse<byte[]> live = get(server, "health/live");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(json(live).get("status").asText()).isEqualTo("live");
    HttpResponse<byte[]> ready = get(server, "health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(json(ready).get("status").asText()).isEqualTo("ready");
    assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port() + "/");
  }

  @Test
  void theModelsDescribeThemselves() throws Exception {
    HttpResponse<byte[]> list = get(server, "v1/models");
    assertThat(list.statusCode()).isEqualTo(200);
    JsonNode models = json(list).get("models");
    assertThat(json(list).get("limits").get("max_body_mb").asInt()).isEqualTo(32);
    assertThat(json(list).get("limits").get("max_image_pixels").asLong()).isEqualTo(64_000_000L);
    assertThat(models).hasSize(1);
    JsonNode m = json(get(server, "v1/models/shapes"));
    assertThat(m).isEqualTo(models.get(0));
    assertThat(m.get("name").asText()).isEqualTo("shapes");
    assertThat(m.get("arch").asText()).isEqualTo("unet");
    assertThat(m.get("in_channels").asInt()).isEqualTo(segmenter.inChannels());
    assertThat(m.get("ready").asBoolean()).isTrue();
    JsonNode classes = m.get("classes");
    assertThat(classes).hasSize(2);
    assertThat(classes.get(0).get("name").asText()).isEqualTo("background");
    assertThat(classes.get(0).get("color").asText()).isEqualTo("#000000");
    assertThat(classes.get(1).get("index").asInt()).isEqualTo(1);
    assertThat(classes.get(1).get("name").asText()).isEqualTo("disc");
    assertThat(classes.get(1).get("color").asText()).isEqualTo("#ffffff");
    assertThat(m.has("normalize")).isTrue();
    JsonNode training = m.get("training");
    assertThat(training.get("epochs").asInt()).isEqualTo(6);
    assertThat(training.get("best_epoch").asInt()).isBetween(1, 6);
    assertThat(training.get("best_val_miou").asDouble()).isBetween(0.0, 1.0);
    assertThat(m.get("input").has("trained_size")).isTrue();
  }

  @Test
  void theMaskIsSegmentersMaskExactly() throws Exception {
    HttpResponse<byte[]> r = segment(rich, "");
    assertThat(r.statusCode()).isEqualTo(200);
    BufferedImage mask = png(r);
    Prediction want = expected(rich);
    assertThat(mask.getWidth()).isEqualTo(want.width());
    assertThat(mask.getHeight()).isEqualTo(want.height());
    assertThat(grey(mask)).containsExactly(want.mask());
    assertThat(r.headers().firstValue("X-Seg4j-Batch-Size")).hasValue("1");
    assertThat(r.headers().firstValue("X-Seg4j-Queue-Ms")).isPresent();
    assertThat(r.headers().firstValue("X-Seg4j-Predict-Ms")).isPresent();
    assertThat(segment(rich, "?output=mask").body()).isEqualTo(r.body());
  }

  @Test
  void aMultipartUploadIsTheSameImage() throws Exception {
    String boundary = "----seg4jtest";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(
        ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.write(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.write(bytes(image(data, rich)));
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpResponse<byte[]> r =
        send(
            post(
                server,
                "v1/models/shapes/segment",
                body.toByteArray(),
                "Content-Type",
                "multipart/form-data; boundary=" + boundary));
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    assertThat(grey(png(r))).containsExactly(expected(rich).mask());
  }

  @Test
  void viewAndOverlayArePngsOfTheImagesSize() throws Exception {
    Prediction p = expected(rich);
    BufferedImage view = png(segment(rich, "?output=view"));
    assertThat(view.getWidth()).isEqualTo(32);
    assertThat(view.getHeight()).isEqualTo(32);
    int[] v = grey(view);
    for (int i = 0; i < v.length; i++) {
      assertThat(v[i]).isEqualTo(p.mask()[i] == 0 ? 0 : 255);
    }
    BufferedImage overlay = png(segment(rich, "?output=overlay&alpha=0.8"));
    assertThat(overlay.getWidth()).isEqualTo(32);
    assertThat(overlay.getHeight()).isEqualTo(32);
    assertThat(overlay.getRaster().getNumBands()).isEqualTo(3);
    BufferedImage img = ImageIO.read(image(data, rich).toFile());
    int[] want =
        Outputs.overlay(
                ImageFiles.ofBoth(img, "x", segmenter.inChannels()).display(), p.mask(), 2, 0.8)
            .data();
    assertThat(overlay.getRaster().getPixels(0, 0, 32, 32, (int[]) null)).isEqualTo(want);
  }

  @Test
  void probAnswersAZipOfOnePngPerClassOrOneClass() throws Exception {
    Prediction want = expected(rich);
    PredictionMaps maps =
        new PredictionMaps(
            want.classes(), want.height(), want.width(), want.probabilities(), want.mask());
    HttpResponse<byte[]> r = segment(rich, "?output=prob");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/zip");
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(r.body()))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        entries.put(e.getName(), zip.readAllBytes());
      }
    }
    assertThat(entries).containsOnlyKeys("prob_background.png", "prob_disc.png");
    int[] disc = grey(png(entries.get("prob_disc.png")));
    assertThat(disc).containsExactly(Outputs.probability(maps, 1).data());
    assertThat(grey(png(segment(rich, "?output=prob&class=disc")))).containsExactly(disc);
    assertThat(grey(png(segment(rich, "?output=prob&class=0"))))
        .containsExactly(grey(png(entries.get("prob_background.png"))));
  }

  @Test
  void jsonSummarisesAndItsRleDecodesToTheMask() throws Exception {
    Prediction want = expected(rich);
    JsonNode n = json(segment(rich, "?output=json"));
    assertThat(n.get("model").asText()).isEqualTo("shapes");
    assertThat(n.get("width").asInt()).isEqualTo(32);
    assertThat(n.get("height").asInt()).isEqualTo(32);
    assertThat(n.get("classes").get(1).asText()).isEqualTo("disc");
    long[] counts = Outputs.pixelCounts(want.mask(), 2);
    assertThat(n.get("counts").get(0).asLong()).isEqualTo(counts[0]);
    assertThat(n.get("counts").get(1).asLong()).isEqualTo(counts[1]);
    assertThat(n.get("fractions").get(0).asDouble() + n.get("fractions").get(1).asDouble())
        .isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(n.get("mean_confidence").asDouble()).isBetween(0.5, 1.0);
    assertThat(n.get("batch_size").asInt()).isEqualTo(1);
    assertThat(n.get("timing_ms").get("total").asDouble()).isPositive();
    JsonNode rle = n.get("rle");
    assertThat(rle).hasSize(2);
    for (int k = 0; k < 2; k++) {
      JsonNode r = rle.get(k);
      assertThat(r.get("class").asInt()).isEqualTo(k);
      assertThat(r.get("size").get(0).asInt()).isEqualTo(32);
      List<Integer> runs = new ArrayList<>();
      r.get("counts").forEach(c -> runs.add(c.asInt()));
      int[] binary = Rle.decode(runs, 32, 32);
      for (int i = 0; i < binary.length; i++) {
        assertThat(binary[i]).isEqualTo(want.mask()[i] == k ? 1 : 0);
      }
    }
  }

  @Test
  void rleIsColumnMajorAndStartsWithZeros() {
    // 2 rows x 3 columns: [[1,0,0],[1,1,0]] read by column: 1 1 0 1 0 0
    int[] mask = {1, 0, 0, 1, 1, 0};
    assertThat(Rle.encode(mask, 2, 3, 1)).containsExactly(0, 2, 1, 1, 2);
    assertThat(Rle.encode(mask, 2, 3, 0)).containsExactly(2, 1, 1, 2);
    assertThat(Rle.decode(List.of(0, 2, 1, 1, 2), 2, 3)).containsExactly(1, 0, 0, 1, 1, 0);
  }

  @Test
  void aRequestsTilesAndTtaPredictAsASegmenterWithThem() throws Exception {
    PredictOptions o = PredictOptions.builder().tile(16).overlap(0.5).flipTta(true).build();
    try (Segmenter tiled = Segmenter.fromRun(run).device(Device.CPU).options(o).build()) {
      Prediction want = tiled.predict(ImageIO.read(image(data, rich).toFile()));
      HttpResponse<byte[]> r = segment(rich, "?tile=16&overlap=0.5&tta=true");
      assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
      assertThat(grey(png(r))).containsExactly(want.mask());
    }
    assertThat(error(segment(rich, "?tile=7"), 400).get("error").asText()).contains("tile=7");
  }

  @Test
  void theWebPageIsServedFromItsFixedList() throws Exception {
    HttpResponse<byte[]> page = get(server, "");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    HttpResponse<byte[]> js = get(server, "static/app.js");
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
    assertThat(get(server, "static/app.css").statusCode()).isEqualTo(200);
    error(get(server, "static/other.js"), 404);
    error(get(server, "static/../index.html"), 404);
    error(get(server, "org/seg4j/serve/web/index.html"), 404);
  }

  @Test
  void metricsCountRequestsBatchesAndMemory() throws Exception {
    segment(2, "");
    HttpResponse<byte[]> r = get(server, "metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(text(r))
        .contains("seg4j_requests_total{model=\"shapes\",status=\"200\"}")
        .contains("seg4j_request_seconds_bucket{model=\"shapes\",le=\"+Inf\"}")
        .contains("seg4j_request_seconds_count{model=\"shapes\"}")
        .contains("seg4j_batch_size_bucket{model=\"shapes\",le=\"1\"}")
        .contains("seg4j_queue_depth{model=\"shapes\"} 0")
        .contains("seg4j_images_total{model=\"shapes\"}")
        .contains("seg4j_images_per_second{model=\"shapes\"}")
        .contains("seg4j_native_memory_bytes ")
        .contains("seg4j_heap_used_bytes ")
        .contains("# TYPE seg4j_request_seconds histogram");
  }

  @Test
  void aCorruptImageIs400() throws Exception {
    byte[] png = bytes(image(data, 1));
    byte[] broken = java.util.Arrays.copyOf(png, 60);
    JsonNode n = error(send(post(server, "v1/models/shapes/segment", broken)), 400);
    assertThat(n.get("error").asText()).contains("PNG").contains("corrupt");
  }

  @Test
  void aBadQueryValueIs400NamingTheParameter() throws Exception {
    assertThat(error(segment(1, "?alpha=2"), 400).get("error").asText()).contains("alpha=2");
    assertThat(error(segment(1, "?output=gif"), 400).get("error").asText()).contains("output");
    assertThat(error(segment(1, "?output=prob&class=cat"), 400).get("error").asText())
        .contains("background, disc");
    assertThat(error(segment(1, "?colour=red"), 400).get("error").asText()).contains("colour");
  }

  @Test
  void anEarlyRefusalOfALargeBodyStillReachesTheClient() throws Exception {
    // refused before the body is read (bad query, unknown model): answering and closing while the
    // client still sends would reset its socket and lose the answer ("received no bytes")
    byte[] large = new byte[3 << 20];
    for (int i = 0; i < 10; i++) {
      error(send(post(server, "v1/models/shapes/segment?alpha=2", large)), 400);
      error(send(post(server, "v1/models/nope/segment", large)), 404);
    }
  }

  @Test
  void unknownPathsAndModelsAre404() throws Exception {
    error(get(server, "nothing/here"), 404);
    JsonNode n = error(get(server, "v1/models/cats"), 404);
    assertThat(n.get("error").asText()).contains("cats").contains("shapes");
    error(send(post(server, "v1/models/cats/segment", bytes(image(data, 1)))), 404);
    error(get(server, "v1/models/shapes/other"), 404);
  }

  @Test
  void jettysOwnRefusalsAreOneJsonLineToo() throws Exception {
    HttpResponse<byte[]> r = get(server, "v1/models/a%2Fb");
    assertThat(r.statusCode()).isEqualTo(400);
    error(r, 400);
  }

  @Test
  void aWrongMethodIs405WithAllow() throws Exception {
    HttpResponse<byte[]> r = get(server, "v1/models/shapes/segment");
    error(r, 405);
    assertThat(r.headers().firstValue("Allow")).hasValue("POST");
    HttpResponse<byte[]> p = send(post(server, "health/live", new byte[] {1}));
    error(p, 405);
    assertThat(p.headers().firstValue("Allow")).hasValue("GET");
  }

  @Test
  void aTextBodyIs415NamingWhatCame() throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create(server.url() + "v1/models/shapes/segment"))
            .POST(HttpRequest.BodyPublishers.ofString("hello, this is text"))
            .header("Content-Type", "text/plain")
            .build();
    JsonNode n = error(send(r), 415);
    assertThat(n.get("error").asText()).contains("text/plain").contains("PNG, JPEG or TIFF");
  }

  @Test
  void noCorsHeadersUnlessConfigured() throws Exception {
    assertThat(get(server, "health/live").headers().firstValue("Access-Control-Allow-Origin"))
        .isEmpty();
  }
}
