package org.seg4j.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.data.Sample;
import org.seg4j.data.loader.SampleSource;

class OfflineAugmentTest {
  private static SampleSource source(List<Sample> samples) {
    return new SampleSource() {
      @Override
      public int size() {
        return samples.size();
      }

      @Override
      public Sample get(int index) {
        return samples.get(index);
      }
    };
  }

  @Test
  void writesLosslessFlippedCopiesAndRerunsIdentically(@TempDir Path dir) throws IOException {
    Sample s = Samples.thresholded(1, 5, 6, 3);
    Sample named = new Sample("sub/a.png", 1, 5, 6, s.image(), s.mask());
    OfflineAugment.Options opts = new OfflineAugment.Options(2, 7, v -> v == 1 ? 255 : v);
    OfflineAugment.Result r =
        OfflineAugment.run(
            source(List.of(named)), new Flip(true), opts, dir.resolve("img"), dir.resolve("mask"));
    assertThat(r).isEqualTo(new OfflineAugment.Result(2, 2));
    BufferedImage img = ImageIO.read(dir.resolve("img/a_aug1.png").toFile());
    BufferedImage mask = ImageIO.read(dir.resolve("mask/a_aug1.png").toFile());
    assertThat(img.getWidth()).isEqualTo(6);
    for (int y = 0; y < 5; y++) {
      for (int x = 0; x < 6; x++) {
        int expected = Math.round(s.pixel(0, y, 5 - x) * 255f);
        assertThat(img.getRaster().getSample(x, y, 0)).isEqualTo(expected);
        assertThat(mask.getRaster().getSample(x, y, 0)).isEqualTo(s.label(y, 5 - x) * 255);
      }
    }
    // a random flip, run twice with the same seed into separate image and mask folders: the
    // same bytes for every image and every mask, and each copy's image flipped with its mask
    for (String run : List.of("again", "again2")) {
      OfflineAugment.run(
          source(List.of(named)),
          new RandomApply(new Flip(true), 0.5),
          opts,
          dir.resolve(run + "/img"),
          dir.resolve(run + "/mask"));
    }
    for (String copy : List.of("a_aug0.png", "a_aug1.png")) {
      for (String kind : List.of("img", "mask")) {
        assertThat(Files.readAllBytes(dir.resolve("again2/" + kind + "/" + copy)))
            .as("%s/%s on a rerun", kind, copy)
            .isEqualTo(Files.readAllBytes(dir.resolve("again/" + kind + "/" + copy)));
      }
      BufferedImage i = ImageIO.read(dir.resolve("again/img/" + copy).toFile());
      BufferedImage m = ImageIO.read(dir.resolve("again/mask/" + copy).toFile());
      boolean flipped = false;
      for (int y = 0; y < 5; y++) {
        for (int x = 0; x < 6; x++) {
          flipped |= m.getRaster().getSample(x, y, 0) != s.label(y, x) * 255;
        }
      }
      for (int y = 0; y < 5; y++) {
        for (int x = 0; x < 6; x++) {
          int sx = flipped ? 5 - x : x;
          assertThat(m.getRaster().getSample(x, y, 0)).isEqualTo(s.label(y, sx) * 255);
          assertThat(i.getRaster().getSample(x, y, 0))
              .as("%s image pixel (%d, %d) moves with its mask", copy, x, y)
              .isEqualTo(Math.round(s.pixel(0, y, sx) * 255f));
        }
      }
    }
  }

  @Test
  void masksThatDoNotFitEightBitsAreRejected(@TempDir Path dir) {
    Sample s = new Sample("big", 1, 1, 1, new float[] {0}, new int[] {300});
    assertThatThrownBy(
            () ->
                OfflineAugment.run(
                    source(List.of(s)),
                    Compose.of(),
                    new OfflineAugment.Options(1, 0, v -> v),
                    dir,
                    dir))
        .hasMessageContaining("big: mask value 300");
  }
}
