package org.seg4j.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import org.seg4j.api.Device;
import org.seg4j.data.SyntheticShapes;
import org.seg4j.train.TinyRuns;

/** Shared set-up of the server tests: a tiny run, servers on free ports, HTTP helpers. */
final class TinyServe {
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private TinyServe() {}

  /**
   * Writes 12 synthetic 32² images under {@code data} and trains a base-4 U-Net into {@code run}.
   */
  static void train(Path data, Path run) throws IOException {
    new SyntheticShapes(32, false, 3).write(data, 12);
    TinyRuns.train(TinyRuns.config(data, "0..9", "10..11", 6).set("train.batch", "2"), run);
  }

  /** The config serving {@code run} as model {@code shapes} on a free port, on the CPU. */
  static ServeConfig config(Path run) {
    return ServeConfig.of(Map.of("shapes", run)).withPort(0).withDevice(Device.CPU);
  }

  /** Starts a server and waits until its model is ready. */
  static SegServer start(ServeConfig config) throws Exception {
    SegServer s = SegServer.start(config);
    s.awaitReady(Duration.ofMinutes(2));
    return s;
  }

  /** Image {@code i} of the synthetic set. */
  static Path image(Path data, int i) {
    return data.resolve(String.format("images/synth_%04d.png", i));
  }

  static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static HttpResponse<byte[]> get(SegServer s, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.url() + path)).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpRequest post(SegServer s, String path, byte[] body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(s.url() + path))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    if (!java.util.Arrays.asList(headers).contains("Content-Type")) {
      b.header("Content-Type", "image/png");
    }
    return b.build();
  }

  static HttpResponse<byte[]> send(HttpRequest r) throws Exception {
    return HTTP.send(r, HttpResponse.BodyHandlers.ofByteArray());
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** A PNG response's image. */
  static BufferedImage png(HttpResponse<byte[]> r) throws IOException {
    assertThat(r.headers().firstValue("Content-Type")).hasValue("image/png");
    return png(r.body());
  }

  static BufferedImage png(byte[] bytes) throws IOException {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
    assertThat(img).as("a decodable PNG").isNotNull();
    return img;
  }

  /** Band 0 of an image, row-major. */
  static int[] grey(BufferedImage img) {
    return img.getRaster().getSamples(0, 0, img.getWidth(), img.getHeight(), 0, (int[]) null);
  }

  /** Waits (up to 20 s) until {@code condition} holds. */
  static void await(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting");
      }
      Thread.sleep(5);
    }
  }
}
