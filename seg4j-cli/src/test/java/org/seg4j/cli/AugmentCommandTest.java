package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.io.ImageIo;
import org.seg4j.io.RawImage;

/** {@code seg4j augment} as a user runs it. */
class AugmentCommandTest {
  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Checks that every written pair has one size and that image grey follows the mask label. */
  private static Set<Integer> checkPairs(Path out, int one) throws IOException {
    Set<Integer> values = new TreeSet<>();
    for (String name : names(out.resolve("images"))) {
      RawImage img = ImageIo.read(out.resolve("images").resolve(name));
      RawImage mask = ImageIo.read(out.resolve("masks").resolve(name));
      assertThat(mask.width()).as(name).isEqualTo(img.width());
      assertThat(mask.height()).as(name).isEqualTo(img.height());
      for (int p = 0; p < img.pixels(); p++) {
        int m = mask.data()[p];
        values.add(m);
        assertThat(img.data()[p]).as(name + " pixel " + p).isEqualTo(m == one ? 200 : 40);
      }
    }
    return values;
  }

  @Test
  void writesCopiesWithImageAndMaskMovedTogether(@TempDir Path dir) throws IOException {
    Path data = TinyData.paired(dir.resolve("data"), 3, 7, 4, 1);
    Path out = dir.resolve("out");
    CliRun r =
        CliRun.of(
            "augment",
            "--data",
            data.toString(),
            "--classes",
            "2",
            "--copies",
            "2",
            "--seed",
            "5",
            "--out",
            out.toString());
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(names(out.resolve("images")))
        .hasSize(6)
        .contains("p0_aug0.png", "p0_aug1.png", "p2_aug1.png");
    assertThat(names(out.resolve("masks"))).isEqualTo(names(out.resolve("images")));
    assertThat(checkPairs(out, 1)).containsExactly(0, 1);
    assertThat(r.out()).contains("wrote 6 images").contains("--mask index");
    CliRun check = CliRun.of("dataset", "check", "--data", out.toString());
    assertThat(check.code()).as(check.all()).isZero();
    assertThat(check.out()).contains("Samples: 6 opened").contains("classes 2");
  }

  @Test
  void binaryMasksCanBeWrittenAs255WithAConfig(@TempDir Path dir) throws IOException {
    Path data = TinyData.paired(dir.resolve("data"), 2, 6, 6, 255);
    Path cfg = dir.resolve("aug.yml");
    Files.writeString(cfg, "augment:\n  - {type: hflip, p: 1.0}\n");
    Path out = dir.resolve("out");
    CliRun r =
        CliRun.of(
            "augment",
            "--data",
            data.toString(),
            "--mask",
            "binary255",
            "--config",
            cfg.toString(),
            "--mask-values",
            "255",
            "--out",
            out.toString());
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(names(out.resolve("masks"))).containsExactly("p0_aug0.png", "p1_aug0.png");
    assertThat(checkPairs(out, 255)).containsExactly(0, 255);
    RawImage in = ImageIo.read(data.resolve("masks/p1.png"));
    RawImage flipped = ImageIo.read(out.resolve("masks/p1_aug0.png"));
    assertThat(flipped.data()[0]).isEqualTo(in.data()[5]);
    assertThat(r.out()).contains("--mask binary255");
  }

  @Test
  void badValuesAreClearErrors(@TempDir Path dir) throws IOException {
    Path data = TinyData.paired(dir.resolve("data"), 1, 4, 4, 1);
    String d = data.toString();
    String o = dir.resolve("out").toString();

    CliRun values = CliRun.of("augment", "--data", d, "--out", o, "--mask-values", "128");
    assertThat(values.code()).isEqualTo(2);
    assertThat(values.err()).contains("--mask-values 128: use index or 255");

    CliRun copies = CliRun.of("augment", "--data", d, "--out", o, "--copies", "0");
    assertThat(copies.code()).isEqualTo(2);
    assertThat(copies.err()).contains("copies must be >= 1");

    Path cfg = dir.resolve("bad.yml");
    Files.writeString(cfg, "augment:\n  - {type: twirl}\n");
    CliRun config = CliRun.of("augment", "--data", d, "--out", o, "--config", cfg.toString());
    assertThat(config.code()).isEqualTo(2);
    assertThat(config.err()).contains("twirl").contains("hflip");

    CliRun noOut = CliRun.of("augment", "--data", d);
    assertThat(noOut.code()).isEqualTo(2);
    assertThat(noOut.err()).contains("--out");
  }
}
