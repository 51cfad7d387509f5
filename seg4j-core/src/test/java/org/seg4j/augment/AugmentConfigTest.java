package org.seg4j.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.seg4j.data.Sample;

class AugmentConfigTest {
  private static final String YAML =
      """
      augment:
        - {type: hflip, p: 0.5}
        - {type: rot90, p: 1.0}
        - {type: rotate, p: 0.3, degrees: 30}
        - {type: elastic, p: 0.2, alpha: 34, sigma: 4}
        - {type: random_crop, size: 8}
      normalize: {preset: imagenet}
      """;

  @Test
  void parsesTheExample() {
    AugmentConfig c = AugmentConfig.parse(YAML, "test.yml");
    assertThat(c.augment().transforms()).hasSize(5);
    assertThat(c.augment().transforms().get(0)).isEqualTo(new RandomApply(new Flip(true), 0.5));
    assertThat(c.augment().transforms().get(1)).isEqualTo(new Rot90());
    assertThat(c.augment().transforms().get(2))
        .isEqualTo(
            new RandomApply(new Rotate(Range.symmetric(30), Interpolation.BILINEAR, 255), 0.3));
    assertThat(c.augment().transforms().get(4)).isEqualTo(new RandomCrop(8, 8, 255));
    assertThat(c.normalize()).isEqualTo(Normalize.IMAGENET);
    Sample out = c.pipeline().apply(Samples.random(3, 12, 12, 1), new SplittableRandom(1));
    assertThat(out.height()).isEqualTo(8);
  }

  @Test
  void parsesEveryTypeWithDefaultsAndOptions() {
    StringBuilder y = new StringBuilder("ignore_index: 7\ninterpolation: bicubic\naugment:\n");
    for (String t : AugmentConfig.types()) {
      String extra = t.equals("random_crop") || t.equals("resize") ? ", size: 6" : "";
      y.append("  - {type: ").append(t).append(extra).append("}\n");
    }
    y.append("normalize: {mean: [0.5], std: [0.25]}\n");
    AugmentConfig c = AugmentConfig.parse(y.toString(), "all.yml");
    assertThat(c.augment().transforms()).hasSize(AugmentConfig.types().size());
    assertThat(c.ignoreIndex()).isEqualTo(7);
    assertThat(c.augment().transforms())
        .contains(new RandomApply(new Rotate(Range.symmetric(30), Interpolation.BICUBIC, 7), 0.5));
    Sample out = c.pipeline().apply(Samples.random(3, 9, 9, 2), new SplittableRandom(2));
    assertThat(out.width()).isEqualTo(6);
    AugmentConfig r =
        AugmentConfig.parse(
            "augment: [{type: scale, p: 1, range: [0.5, 2], interpolation: nearest}]", "x");
    assertThat(r.augment().transforms().get(0))
        .isEqualTo(new Scale(new Range(0.5, 2), Interpolation.NEAREST, 255));
  }

  @Test
  void unknownTypeListsTheValidOnes() {
    assertThatThrownBy(
            () -> AugmentConfig.parse("augment: [{type: hflip}, {type: rotat}]", "a.yml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a.yml: augment[1]")
        .hasMessageContaining("unknown type 'rotat'")
        .hasMessageContaining("rotate")
        .hasMessageContaining("elastic_grid");
  }

  @Test
  void unknownKeyNamesTheKeyAndListsTheValidOnes() {
    assertThatThrownBy(() -> AugmentConfig.parse("augment: [{type: rotate, degree: 3}]", "b.yml"))
        .hasMessageContaining("b.yml: augment[0] (rotate): unknown key 'degree'")
        .hasMessageContaining("valid keys: type, p, degrees, interpolation");
    assertThatThrownBy(() -> AugmentConfig.parse("augmentation: []", "c.yml"))
        .hasMessageContaining("unknown key 'augmentation'")
        .hasMessageContaining("augment, normalize");
    assertThatThrownBy(() -> AugmentConfig.parse("normalize: {preset: coco}", "d.yml"))
        .hasMessageContaining("unknown preset 'coco'; valid presets: imagenet");
    assertThatThrownBy(() -> AugmentConfig.parse("normalize: {mean: [1], sd: [1]}", "d.yml"))
        .hasMessageContaining("unknown key 'sd'");
  }

  @Test
  void badValuesAreNamed() {
    assertThatThrownBy(() -> AugmentConfig.parse("augment: [{type: hflip, p: 2}]", "e.yml"))
        .hasMessageContaining("(hflip): 'p' must be in [0, 1], got 2.0");
    assertThatThrownBy(
            () -> AugmentConfig.parse("augment: [{type: rotate, degrees: abc}]", "e.yml"))
        .hasMessageContaining("'degrees' must be a number or [lo, hi], got \"abc\"");
    assertThatThrownBy(() -> AugmentConfig.parse("augment: [{type: random_crop}]", "e.yml"))
        .hasMessageContaining("needs 'size' or both 'height' and 'width'");
    assertThatThrownBy(
            () -> AugmentConfig.parse("augment: [{type: rotate, interpolation: cubic}]", "e.yml"))
        .hasMessageContaining("unknown interpolation 'cubic'");
    assertThatThrownBy(() -> AugmentConfig.parse("augment: {type: hflip}", "e.yml"))
        .hasMessageContaining("'augment' must be a list");
  }

  @Test
  void emptyConfigMeansNoAugmentation() {
    AugmentConfig c = AugmentConfig.parse("", "empty.yml");
    assertThat(c.augment().transforms()).isEmpty();
    assertThat(c.normalize()).isNull();
    assertThat(AugmentConfig.parse("normalize: imagenet", "n").normalize())
        .isEqualTo(Normalize.IMAGENET);
  }
}
