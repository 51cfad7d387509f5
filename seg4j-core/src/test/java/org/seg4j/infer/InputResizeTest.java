package org.seg4j.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.seg4j.augment.Interpolation;
import org.seg4j.augment.Letterbox;
import org.seg4j.data.Sample;
import org.seg4j.run.InferenceSpec;
import org.seg4j.run.TrainConfig;

/** Inference-time resize and letterbox: the model's input, and the way back to the image's size. */
class InputResizeTest {
  @Test
  void parsesSquareAndRectangularSizesAndNone() {
    assertThat(InputResize.parse("256", false))
        .isEqualTo(new InputResize(256, 256, false, InputResize.GREY, Interpolation.BILINEAR));
    InputResize r = InputResize.parse("512x256", true);
    assertThat(r.height()).isEqualTo(512);
    assertThat(r.width()).isEqualTo(256);
    assertThat(r.letterbox()).isTrue();
    assertThat(r.describe()).isEqualTo("letterbox 512x256 (pad grey 128, bilinear)");
    assertThat(InputResize.parse("none", false)).isNull();
    assertThatThrownBy(() -> InputResize.parse("big", false))
        .hasMessageContaining("resize=big")
        .hasMessageContaining("HxW");
    assertThatThrownBy(() -> InputResize.parse("0x5", false)).hasMessageContaining("positive");
  }

  /** The resize of a run's config, as its checkpoints record it. */
  private static InputResize trainedAt(TrainConfig cfg) {
    return InputResize.trainedAt(InferenceSpec.of(cfg, List.of()));
  }

  @Test
  void aRunsAugmentResizeStepIsFound() {
    TrainConfig cfg =
        TrainConfig.defaults()
            .set("augment", "[{type: hflip}, {type: resize, size: 64, keep_aspect: true}]");
    InputResize r = trainedAt(cfg);
    assertThat(r).isEqualTo(new InputResize(64, 64, true, 0f, Interpolation.BILINEAR));
    assertThat(r.describe()).isEqualTo("letterbox 64x64 (pad 0, bilinear)");
    assertThat(trainedAt(TrainConfig.defaults().set("augment", "[{type: hflip}]"))).isNull();
    InputResize plain =
        trainedAt(TrainConfig.defaults().set("augment", "[{type: resize, height: 32, width: 48}]"));
    assertThat(plain.letterbox()).isFalse();
    assertThat(plain.letterboxed().pad()).isEqualTo(InputResize.GREY);
  }

  @Test
  void letterboxKeepsTheAspectAndPadsWithGrey() {
    // a 20 x 40 image into 32 x 32: scale 0.8, the image fills rows 8..23
    float[] img = new float[20 * 40];
    Arrays.fill(img, 0.2f);
    Sample s = new Sample("s", 1, 20, 40, img, new int[20 * 40]);
    InputResize r = InputResize.parse("32", true);
    Letterbox plan = r.plan(20, 40);
    assertThat(plan.innerH()).isEqualTo(16);
    assertThat(plan.innerW()).isEqualTo(32);
    assertThat(plan.padTop()).isEqualTo(8);
    Sample in = r.apply(s, plan);
    assertThat(in.height()).isEqualTo(32);
    assertThat(in.width()).isEqualTo(32);
    assertThat(in.mask()).isNull();
    for (int y = 0; y < 32; y++) {
      float want = y >= 8 && y < 24 ? 0.2f : 128f / 255f;
      for (int x = 0; x < 32; x++) {
        assertThat(in.image()[y * 32 + x]).as("(%d, %d)", x, y).isCloseTo(want, within(1e-6f));
      }
    }
    // a plain resize stretches and never pads
    Sample stretched =
        InputResize.parse("32", false).apply(s, InputResize.parse("32", false).plan(20, 40));
    for (float v : stretched.image()) {
      assertThat(v).isCloseTo(0.2f, within(1e-6f));
    }
  }

  @Test
  void predictionsAreMappedBackToTheImageSizeWithoutReadingThePadding() {
    InputResize r = InputResize.parse("32", true);
    Letterbox plan = r.plan(20, 40);
    // class 1 on the left half of the image's area, and in all of the padding (never read)
    int n = 32 * 32;
    float[] probs = new float[2 * n];
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        boolean pad = y < 8 || y >= 24;
        float fg = pad || x < 16 ? 1f : 0f;
        probs[y * 32 + x] = 1 - fg;
        probs[n + y * 32 + x] = fg;
      }
    }
    int[] mask = PredictionMaps.argmax(probs, 2, 32, 32);
    PredictionMaps back = r.restore(new PredictionMaps(2, 32, 32, probs, mask), plan, false, 0.5);
    assertThat(back.height()).isEqualTo(20);
    assertThat(back.width()).isEqualTo(40);
    for (int y = 0; y < 20; y++) {
      for (int x = 0; x < 40; x++) {
        assertThat(back.mask()[y * 40 + x]).as("(%d, %d)", x, y).isEqualTo(x < 20 ? 1 : 0);
      }
    }
    // a sigmoid head takes its threshold on the foreground channel
    PredictionMaps strict = r.restore(new PredictionMaps(2, 32, 32, probs, mask), plan, true, 0.99);
    assertThat(strict.mask()[0]).isEqualTo(1);
    assertThat(strict.mask()[39]).isEqualTo(0);
  }

  @Test
  void anImageAlreadyAtTheSizeIsLeftAsItIs() {
    InputResize r = InputResize.parse("8x4", false);
    Letterbox plan = r.plan(8, 4);
    Sample s = new Sample("s", 1, 8, 4, new float[32], null);
    assertThat(r.apply(s, plan).image()).isSameAs(s.image());
    PredictionMaps p = new PredictionMaps(2, 8, 4, new float[64], new int[32]);
    assertThat(r.restore(p, plan, false, 0.5)).isSameAs(p);
  }
}
