package org.seg4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.data.FileDataset;
import org.seg4j.io.ImageIo;

class LoaderBenchmarkTest {
  @Test
  void runsBothPipelinesOnTinyBinary255Pngs(@TempDir Path dir) throws IOException {
    for (int i = 0; i < 2; i++) {
      int[] img = new int[16 * 16];
      int[] mask = new int[16 * 16];
      for (int p = 0; p < img.length; p++) {
        img[p] = (p + i) % 256;
        mask[p] = p % 16 > 7 ? 255 : 0;
      }
      ImageIo.writeGrey8(dir.resolve("images/" + i + ".png"), 16, 16, img);
      ImageIo.writeGrey8(dir.resolve("masks/" + i + ".png"), 16, 16, mask);
    }
    FileDataset ds = LoaderBenchmark.open(dir, "binary255");
    assertThat(ds.size()).isEqualTo(2);
    assertThat(ds.get(0).mask()).containsOnly(0, 1);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    LoaderBenchmark.Result plain =
        LoaderBenchmark.run(ds, new LoaderBenchmark.Options(3, 2, 2, 8, false, 1), out);
    LoaderBenchmark.Result heavy =
        LoaderBenchmark.run(ds, new LoaderBenchmark.Options(2, 1, 2, 8, true, 1), out);
    assertThat(plain.batches()).isEqualTo(3);
    assertThat(plain.imagesPerSecond()).isPositive();
    assertThat(heavy.batches()).isEqualTo(2);
    assertThat(heavy.toJson()).startsWith("{\"pipeline\":\"heavy\",\"img_per_s\":");
    assertThat(plain.toJson()).contains("\"crop\":8").contains("\"batches\":3");
    assertThat(buf.toString(StandardCharsets.UTF_8))
        .contains("default batch     3")
        .contains("heavy batch     2");
  }
}
