package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.serve.SegServer;

/**
 * The serving workflow as a user walks it, all through the command: {@code seg4j train} on a folder
 * of images and masks, {@code seg4j predict} into a folder, then {@code seg4j serve} of the same
 * run and a plain HTTP POST of each image file: every mask the server answers is byte for byte the
 * {@code *_mask.png} predict wrote, also for an image wider than 1024 pixels, which both tile in
 * 512-pixel tiles.
 */
class ServeWorkflowTest {
  @TempDir Path dir;

  @Test
  void trainPredictThenServeGiveTheSameMaskFiles() throws Exception {
    Path data = TinyData.synthetic(dir.resolve("data"), 16);
    // trained enough that the masks are not all background, or equal files would prove nothing
    Path run =
        TinyData.train(
            data,
            dir.resolve("runs"),
            "cells",
            "--epochs",
            "20",
            "--set",
            "model.options={depth: 2}",
            "--set",
            "optimizer.lr=0.01");
    Path inputs = Files.createDirectories(dir.resolve("inputs"));
    List<String> ids = List.of("synth_0012", "synth_0013", "synth_0014");
    for (String id : ids) {
      Files.copy(data.resolve("images/" + id + ".png"), inputs.resolve(id + ".png"));
    }
    // a strip wider than 1024 pixels: the tiles of predict and serve must agree
    BufferedImage tile = ImageIO.read(inputs.resolve(ids.get(0) + ".png").toFile());
    BufferedImage wide = new BufferedImage(1040, tile.getHeight(), tile.getType());
    Graphics2D g = wide.createGraphics();
    for (int x = 0; x < wide.getWidth(); x += tile.getWidth()) {
      g.drawImage(tile, x, 0, null);
    }
    g.dispose();
    ImageIO.write(wide, "png", inputs.resolve("wide.png").toFile());
    Path out = dir.resolve("predicted");
    CliRun.ok(TinyData.predictArgs(run, inputs, out, "--save", "mask"));
    for (String id : List.of(ids.get(0), ids.get(1), ids.get(2), "wide")) {
      assertThat(foreground(out.resolve(id + "_mask.png")))
          .as("%s has foreground", id)
          .isPositive();
    }

    CompletableFuture<CliRun> serving =
        CompletableFuture.supplyAsync(
            () -> CliRun.of("serve", "--run", run.toString(), "--port", "0", "--device", "cpu"));
    SegServer s = ServeCommandTest.awaitReady(serving);
    try {
      HttpClient http = HttpClient.newHttpClient();
      for (String id : List.of(ids.get(0), ids.get(1), ids.get(2), "wide")) {
        HttpResponse<byte[]> r =
            http.send(
                HttpRequest.newBuilder(URI.create(s.url() + "v1/models/cells/segment"))
                    .header("Content-Type", "image/png")
                    .POST(HttpRequest.BodyPublishers.ofFile(inputs.resolve(id + ".png")))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(id).isEqualTo(200);
        assertThat(r.body())
            .as("%s: serve's mask is predict's %s_mask.png", id, id)
            .isEqualTo(Files.readAllBytes(out.resolve(id + "_mask.png")));
      }
    } finally {
      s.close();
    }
    CliRun r = serving.get();
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out()).contains("(models: cells) ready");
  }

  /** Pixels of a class-index mask PNG that are not background. */
  private static long foreground(Path mask) throws Exception {
    BufferedImage m = ImageIO.read(mask.toFile());
    long n = 0;
    for (int y = 0; y < m.getHeight(); y++) {
      for (int x = 0; x < m.getWidth(); x++) {
        n += m.getRaster().getSample(x, y, 0) != 0 ? 1 : 0;
      }
    }
    return n;
  }
}
