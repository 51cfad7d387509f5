package org.seg4j.augment;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoaderBenchmarkTest {
  @Test
  void runsBothPipelinesOnTinyPngsAndEndsWithJson(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("images"));
    Files.createDirectories(dir.resolve("masks"));
    for (int i = 0; i < 2; i++) {
      BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
      BufferedImage mask = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < 16; y++) {
        for (int x = 0; x < 16; x++) {
          img.getRaster().setSample(x, y, 0, (x * 16 + y + i) % 256);
          mask.getRaster().setSample(x, y, 0, x > 7 ? 255 : 0);
        }
      }
      ImageIO.write(img, "png", dir.resolve("images/" + i + ".png").toFile());
      ImageIO.write(mask, "png", dir.resolve("masks/" + i + ".png").toFile());
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    List<LoaderBenchmark.Result> r =
        LoaderBenchmark.run(dir, 2, 2, 1, new PrintStream(buf, true, StandardCharsets.UTF_8));
    assertThat(r).hasSize(2);
    assertThat(r.get(0).batches()).isEqualTo(2);
    assertThat(r.get(1).name()).isEqualTo("heavy");
    assertThat(r.get(0).imagesPerSecond()).isPositive();
    String out = buf.toString(StandardCharsets.UTF_8).strip();
    assertThat(out.substring(out.lastIndexOf('\n') + 1))
        .startsWith("{\"loader_benchmark\":[{\"pipeline\":\"isbi_default\"");
  }
}
