package org.seg4j.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.seg4j.data.Sample;

class LetterboxTest {
  private static final int IGNORE = 255;

  @Test
  void upscaledLetterboxInvertsExactly() {
    for (int[] size : new int[][] {{5, 7}, {7, 5}, {3, 3}, {10, 4}}) {
      Sample s = Samples.random(1, size[0], size[1], size[0] * 31 + size[1]);
      Letterbox lb = Letterbox.of(size[0], size[1], 16, 16, true);
      Sample boxed = lb.apply(s, Interpolation.NEAREST, IGNORE);
      assertThat(boxed.height()).isEqualTo(16);
      assertThat(lb.invertMask(boxed.mask())).containsExactly(s.mask());
      Sample stretched =
          Letterbox.of(size[0], size[1], 16, 13, false).apply(s, Interpolation.NEAREST, IGNORE);
      assertThat(Letterbox.of(size[0], size[1], 16, 13, false).invertMask(stretched.mask()))
          .containsExactly(s.mask());
    }
  }

  @Test
  void paddingIsVoidAndCentred() {
    Sample s = Samples.random(1, 4, 8, 1);
    Letterbox lb = Letterbox.of(4, 8, 16, 16, true);
    assertThat(lb.innerH()).isEqualTo(8);
    assertThat(lb.innerW()).isEqualTo(16);
    assertThat(lb.padTop()).isEqualTo(4);
    Sample b = lb.apply(s, Interpolation.BILINEAR, IGNORE);
    for (int y = 0; y < 16; y++) {
      boolean pad = y < 4 || y >= 12;
      for (int x = 0; x < 16; x++) {
        assertThat(b.label(y, x) == IGNORE).isEqualTo(pad);
        if (pad) {
          assertThat(b.pixel(0, y, x)).isZero();
        }
      }
    }
  }

  @Test
  void downscaledLetterboxInvertsBlockMasksExactly() {
    // 2x downscale keeps any mask made of 4x4 blocks.
    int h = 16;
    int w = 24;
    int[] mask = new int[h * w];
    SplittableRandom r = new SplittableRandom(3);
    int[] blocks = new int[(h / 4) * (w / 4)];
    for (int i = 0; i < blocks.length; i++) {
      blocks[i] = r.nextInt(5);
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        mask[y * w + x] = blocks[(y / 4) * (w / 4) + x / 4];
      }
    }
    Sample s = new Sample("d", 1, h, w, new float[h * w], mask);
    Letterbox lb = Letterbox.of(h, w, 12, 12, true);
    assertThat(lb.scaleX()).isEqualTo(0.5);
    Sample small = lb.apply(s, Interpolation.BILINEAR, IGNORE);
    assertThat(lb.invertMask(small.mask())).containsExactly(mask);
  }

  @Test
  void probabilitiesMapBackBilinearly() {
    Letterbox lb = Letterbox.of(4, 4, 8, 8, true);
    float[] probs = new float[2 * 64];
    Arrays.fill(probs, 0, 64, 0.25f);
    Arrays.fill(probs, 64, 128, 0.75f);
    float[] back = lb.invertProbabilities(probs, 2);
    assertThat(back).hasSize(2 * 16);
    for (int i = 0; i < 16; i++) {
      assertThat(back[i]).isCloseTo(0.25f, within(1e-6f));
      assertThat(back[16 + i]).isCloseTo(0.75f, within(1e-6f));
    }
  }
}
