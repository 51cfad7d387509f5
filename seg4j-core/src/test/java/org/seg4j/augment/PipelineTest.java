package org.seg4j.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.seg4j.data.Sample;

class PipelineTest {
  private static final int IGNORE = 255;

  /** Every transform, each at p = 1. */
  private static Compose everything(Interpolation interp) {
    return Compose.of(
        new Flip(true),
        new Flip(false),
        new Rot90(),
        new Rotate(Range.symmetric(30), interp, IGNORE),
        new Scale(new Range(0.8, 1.2), interp, IGNORE),
        new Translate(0.1, IGNORE),
        new ElasticDeform(10, 3, interp, IGNORE),
        new GridElasticDeform(3, 3, interp, IGNORE),
        new RandomCrop(10, 12, IGNORE),
        new GaussianNoise(new Range(0.01, 0.05)),
        new BrightnessContrast(0.2, 0.2),
        new HsvJitter(0.05, 0.3, 0.3),
        new GaussianBlur(new Range(0.5, 1.0)));
  }

  @Test
  void sameSeedGivesTheSameResultAndOtherSeedsDiffer() {
    Sample s = Samples.random(3, 14, 14, 1);
    Compose c = everything(Interpolation.BILINEAR);
    Sample a = c.apply(s, 42, 3, 7);
    Sample b = c.apply(s, 42, 3, 7);
    assertThat(a.image()).containsExactly(b.image());
    assertThat(a.mask()).containsExactly(b.mask());
    assertThat(c.apply(s, 42, 4, 7).image()).isNotEqualTo(a.image());
    assertThat(c.apply(s, 43, 3, 7).image()).isNotEqualTo(a.image());
    assertThat(c.apply(s, 42, 3, 8).image()).isNotEqualTo(a.image());
  }

  @Test
  void inputIsNeverModified() {
    Sample s = Samples.random(3, 14, 14, 2);
    float[] img = s.image().clone();
    int[] mask = s.mask().clone();
    everything(Interpolation.BICUBIC).apply(s, 1, 0, 0);
    assertThat(s.image()).containsExactly(img);
    assertThat(s.mask()).containsExactly(mask);
  }

  @Test
  void probabilityZeroNeverAppliesAndOneAlwaysApplies() {
    Sample s = Samples.random(1, 4, 4, 3);
    PairedTransform never = new RandomApply(new Flip(true), 0);
    PairedTransform always = new RandomApply(new Flip(true), 1);
    Sample flipped = new Flip(true).apply(s, null);
    int applied = 0;
    for (int seed = 0; seed < 200; seed++) {
      assertThat(never.apply(s, new SplittableRandom(seed))).isSameAs(s);
      assertThat(always.apply(s, new SplittableRandom(seed)).mask())
          .containsExactly(flipped.mask());
      if (new RandomApply(new Flip(true), 0.3).apply(s, new SplittableRandom(seed)) != s) {
        applied++;
      }
    }
    assertThat(applied).isBetween(30, 90);
    assertThatThrownBy(() -> new RandomApply(new Flip(true), 1.5)).hasMessageContaining("[0, 1]");
  }

  /**
   * The property: a mask derived from the image by thresholding stays equal to the augmented mask.
   * With NEAREST image sampling image and mask read the same source pixel, so the property is exact
   * for every geometric transform; void pixels are 0 in the image and ignore in the mask.
   */
  @Test
  void thresholdedImageStaysEqualToAugmentedMaskOverManySeeds() {
    Compose geometric =
        Compose.of(
            new RandomApply(new Flip(true), 0.5),
            new RandomApply(new Flip(false), 0.5),
            new Rot90(),
            new RandomApply(new Rotate(Range.symmetric(45), Interpolation.NEAREST, IGNORE), 0.7),
            new RandomApply(new Scale(new Range(0.7, 1.3), Interpolation.NEAREST, IGNORE), 0.7),
            new RandomApply(new Translate(0.2, IGNORE), 0.5),
            new RandomApply(new ElasticDeform(8, 3, Interpolation.NEAREST, IGNORE), 0.5),
            new RandomApply(new GridElasticDeform(3, 4, Interpolation.NEAREST, IGNORE), 0.5),
            new RandomApply(new Resize(15, 19, true, Interpolation.NEAREST, IGNORE), 0.3),
            new RandomCrop(13, 11, IGNORE));
    for (long seed = 0; seed < 200; seed++) {
      Sample s = Samples.thresholded(2, 12, 17, seed);
      Sample a = geometric.apply(s, seed, 0, 0);
      assertThat(a.height() * a.width()).isEqualTo(13 * 11);
      int plane = a.height() * a.width();
      for (int i = 0; i < plane; i++) {
        for (int c = 0; c < a.channels(); c++) {
          float v = a.image()[c * plane + i];
          int expected = v == 0f ? IGNORE : (v > 0.5f ? 1 : 0);
          assertThat(a.mask()[i]).as("seed %d pixel %d", seed, i).isEqualTo(expected);
        }
      }
    }
  }

  /** With the default bilinear image sampling the exact transforms still keep the property. */
  @Test
  void exactTransformsKeepThePropertyWithBilinearImages() {
    Compose exact =
        Compose.of(
            new RandomApply(new Flip(true), 0.5),
            new RandomApply(new Flip(false), 0.5),
            new Rot90(),
            new Translate(0.2, IGNORE),
            new Rotate(new Range(0, 0), Interpolation.BILINEAR, IGNORE),
            new RandomCrop(9, 20, IGNORE));
    for (long seed = 0; seed < 200; seed++) {
      Sample a = exact.apply(Samples.thresholded(1, 12, 17, seed), seed, 1, 2);
      for (int i = 0; i < a.mask().length; i++) {
        float v = a.image()[i];
        assertThat(a.mask()[i]).isEqualTo(v == 0f ? IGNORE : (v > 0.5f ? 1 : 0));
      }
    }
  }

  @Test
  void photometricTransformsKeepTheMaskAndStayInRange() {
    Sample s = Samples.random(3, 8, 8, 4);
    for (PairedTransform t :
        List.of(
            new GaussianNoise(new Range(0.1, 0.1)),
            new BrightnessContrast(0.5, 0.5),
            new HsvJitter(0.5, 0.5, 0.5),
            new GaussianBlur(new Range(1, 1)))) {
      Sample o = t.apply(s, new SplittableRandom(5));
      assertThat(o.mask()).as(t.toString()).isSameAs(s.mask());
      assertThat(o.image()).as(t.toString()).isNotEqualTo(s.image());
      for (float v : o.image()) {
        assertThat(v).isBetween(0f, 1f);
      }
    }
  }

  @Test
  void hsvWithNoJitterRoundTripsColours() {
    Sample s = Samples.random(3, 5, 5, 6);
    Sample o = new HsvJitter(0, 0, 0).apply(s, new SplittableRandom(1));
    for (int i = 0; i < s.image().length; i++) {
      assertThat(o.image()[i]).isCloseTo(s.image()[i], within(1e-5f));
    }
  }

  @Test
  void blurOfAConstantIsTheConstant() {
    float[] img = new float[2 * 6 * 7];
    Arrays.fill(img, 0.3f);
    Sample s = new Sample("c", 2, 6, 7, img, null);
    Sample o = new GaussianBlur(new Range(2, 2)).apply(s, new SplittableRandom(1));
    for (float v : o.image()) {
      assertThat(v).isCloseTo(0.3f, within(1e-6f));
    }
    assertThat(o.mask()).isNull();
  }

  @Test
  void normalizeUsesPerChannelMeanAndStd() {
    Sample s = new Sample("n", 3, 1, 1, new float[] {0.485f, 0.456f + 0.224f, 0}, null);
    Sample o = Normalize.IMAGENET.apply(s, null);
    assertThat(o.image()[0]).isCloseTo(0f, within(1e-6f));
    assertThat(o.image()[1]).isCloseTo(1f, within(1e-5f));
    assertThat(o.image()[2]).isCloseTo(-0.406f / 0.225f, within(1e-5f));
    Sample grey = new Sample("g", 1, 1, 1, new float[] {1f}, null);
    assertThat(new Normalize(new float[] {0.5f}, new float[] {0.5f}).apply(grey, null).image())
        .containsExactly(1f);
    assertThatThrownBy(() -> Normalize.IMAGENET.apply(grey, null))
        .hasMessageContaining("g:")
        .hasMessageContaining("1 channels");
  }
}
