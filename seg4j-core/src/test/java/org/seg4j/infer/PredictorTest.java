package org.seg4j.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tiling, padding, blending and flip TTA against a pointwise network, whose exact answer is known
 * for every pixel: any tiling must give it back unchanged.
 */
class PredictorTest {
  static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  /** Logits (4x, 0) per pixel: p(class 1) = 1 − sigmoid(4x). Accepts multiples of {@code m}. */
  static Network pointwise(int m, int margin) {
    return new FakeNetwork(
        2,
        1,
        m,
        margin,
        batch -> {
          long h = batch.getShape().get(2);
          long w = batch.getShape().get(3);
          NDArray x = batch.mul(4f);
          if (margin > 0) {
            x = x.get(new NDIndex(":, :, {}:{}, {}:{}", margin, h - margin, margin, w - margin));
          }
          return NDArrays.concat(new NDList(x, x.zerosLike()), 1);
        });
  }

  static float[] image(int h, int w) {
    float[] img = new float[h * w];
    for (int i = 0; i < img.length; i++) {
      img[i] = (float) Math.sin(i * 0.37) * 0.5f;
    }
    return img;
  }

  static void assertExact(PredictionMaps p, float[] img) {
    for (int i = 0; i < img.length; i++) {
      double p0 = 1 / (1 + Math.exp(-4 * img[i]));
      assertThat((double) p.probabilities()[i]).as("pixel %d", i).isCloseTo(p0, within(1e-5));
      if (Math.abs(p0 - 0.5) > 1e-4) {
        assertThat(p.mask()[i]).isEqualTo(p0 > 0.5 ? 0 : 1);
      }
    }
  }

  @Test
  void wholeImagePadsToAnAcceptedSideAndCropsBack() {
    float[] img = image(37, 50);
    Predictor pr = new Predictor(pointwise(16, 0), manager, TileOptions.whole());
    PredictionMaps p = pr.predict(1, 37, 50, img);
    assertThat(p.height()).isEqualTo(37);
    assertThat(p.width()).isEqualTo(50);
    assertExact(p, img);
  }

  @Test
  void slidingWindowWithEveryBlendGivesTheSameAnswer() {
    float[] img = image(70, 45);
    for (TileOptions.Blend b : TileOptions.Blend.values()) {
      Predictor pr =
          new Predictor(pointwise(16, 0), manager, new TileOptions(32, 0.5, b, false, 3));
      assertExact(pr.predict(1, 70, 45, img), img);
    }
  }

  @Test
  void flipTtaOfAFlipInvariantNetworkChangesNothing() {
    float[] img = image(33, 33);
    Predictor pr =
        new Predictor(pointwise(8, 0), manager, TileOptions.sliding(16, 0.25).withFlipTta(true));
    assertExact(pr.predict(1, 33, 33, img), img);
  }

  @Test
  void validModelsGetMirroredContextAroundEachTile() {
    float[] img = image(40, 29);
    Predictor pr =
        new Predictor(
            pointwise(4, 6),
            manager,
            new TileOptions(28, 0.25, TileOptions.Blend.LINEAR, false, 2));
    assertExact(pr.predict(1, 40, 29, img), img);
    Predictor whole = new Predictor(pointwise(4, 6), manager, TileOptions.whole());
    assertExact(whole.predict(1, 40, 29, img), img);
  }

  @Test
  void badTileAndChannelsAreNamed() {
    assertThatThrownBy(
            () -> new Predictor(pointwise(16, 0), manager, TileOptions.sliding(36, 0.25)))
        .hasMessageContaining("tile=36")
        .hasMessageContaining("nearest valid tile is 32");
    Predictor pr = new Predictor(pointwise(16, 0), manager, TileOptions.whole());
    assertThatThrownBy(() -> pr.predict(3, 16, 16, new float[3 * 256]))
        .hasMessageContaining("3 channel(s)")
        .hasMessageContaining("takes 1");
  }

  @Test
  void reflectIndexMirrorsWithoutRepeatingTheEdge() {
    int[] want = {3, 2, 1, 0, 1, 2, 3, 2, 1, 0};
    for (int i = -3; i < 7; i++) {
      assertThat(Predictor.reflect(i, 4)).isEqualTo(want[i + 3]);
    }
  }

  @Test
  void predictAllRunsSameSizeWholeImagesAsOneForwardPass() {
    for (int margin : new int[] {0, 4}) {
      Network pointwise = pointwise(8, margin);
      AtomicInteger passes = new AtomicInteger();
      Network counted =
          new FakeNetwork(
              2,
              1,
              8,
              margin,
              batch -> {
                passes.incrementAndGet();
                return pointwise.logits(batch);
              });
      Predictor pr = new Predictor(counted, manager, TileOptions.whole());
      List<float[]> images = new ArrayList<>();
      for (int k = 0; k < 3; k++) {
        float[] img = image(13, 21);
        for (int i = 0; i < img.length; i++) {
          img[i] += k * 0.1f;
        }
        images.add(img);
      }
      assertThat(pr.batches(13, 21)).isTrue();
      List<PredictionMaps> all = pr.predictAll(1, 13, 21, images);
      assertThat(passes.get()).as("forward passes, margin %d", margin).isEqualTo(1);
      for (int k = 0; k < 3; k++) {
        PredictionMaps one = pr.predict(1, 13, 21, images.get(k));
        assertThat(all.get(k).mask()).containsExactly(one.mask());
        assertThat(all.get(k).probabilities()).containsExactly(one.probabilities(), within(1e-6f));
        assertExact(all.get(k), images.get(k));
      }
    }
    Predictor tiled = new Predictor(pointwise(8, 0), manager, TileOptions.sliding(8, 0.25));
    Predictor tta = new Predictor(pointwise(8, 0), manager, TileOptions.whole().withFlipTta(true));
    assertThat(tiled.batches(13, 21)).isFalse();
    assertThat(tta.batches(13, 21)).isFalse();
    assertThat(tta.predictAll(1, 13, 21, List.of(image(13, 21), image(13, 21)))).hasSize(2);
  }
}
