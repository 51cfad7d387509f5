package org.seg4j.augment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.seg4j.data.Sample;

class GeometryTest {
  private static final int IGNORE = 255;

  private static void assertSame(Sample a, Sample b) {
    assertThat(a.height()).isEqualTo(b.height());
    assertThat(a.width()).isEqualTo(b.width());
    assertThat(a.image()).containsExactly(b.image());
    assertThat(a.mask()).containsExactly(b.mask());
  }

  @Test
  void flipTwiceIsIdentityAndFlipMirrors() {
    Sample s = Samples.random(2, 3, 5, 1);
    Sample h = new Flip(true).apply(s, null);
    assertThat(h.pixel(1, 2, 0)).isEqualTo(s.pixel(1, 2, 4));
    assertThat(h.label(0, 1)).isEqualTo(s.label(0, 3));
    Sample v = new Flip(false).apply(s, null);
    assertThat(v.pixel(0, 0, 3)).isEqualTo(s.pixel(0, 2, 3));
    assertSame(new Flip(true).apply(h, null), s);
    assertSame(new Flip(false).apply(v, null), s);
  }

  @Test
  void rot90MatchesNumpyAndFourTimesIsIdentity() {
    // numpy: np.rot90([[0, 1, 2], [3, 4, 5]]) == [[2, 5], [1, 4], [0, 3]]
    Sample s =
        new Sample("r", 1, 2, 3, new float[] {0, 1, 2, 3, 4, 5}, new int[] {0, 1, 2, 3, 4, 5});
    Sample r1 = Rot90.rotate(s, 1);
    assertThat(r1.height()).isEqualTo(3);
    assertThat(r1.width()).isEqualTo(2);
    assertThat(r1.mask()).containsExactly(2, 5, 1, 4, 0, 3);
    assertThat(r1.image()).containsExactly(2, 5, 1, 4, 0, 3);
    assertThat(Rot90.rotate(s, 3).mask()).containsExactly(3, 0, 4, 1, 5, 2);
    assertThat(Rot90.rotate(s, 2).mask()).containsExactly(5, 4, 3, 2, 1, 0);
    Sample big = Samples.random(3, 4, 7, 2);
    Sample r = big;
    for (int i = 0; i < 4; i++) {
      r = Rot90.rotate(r, 1);
    }
    assertSame(r, big);
  }

  @Test
  void rotationByZeroAndScaleOneAreIdentityForEveryInterpolation() {
    Sample s = Samples.random(2, 6, 9, 3);
    for (Interpolation interp : Interpolation.values()) {
      Range zero = new Range(0, 0);
      assertSame(new Rotate(zero, interp, IGNORE).apply(s, new SplittableRandom(1)), s);
      assertSame(new Scale(new Range(1, 1), interp, IGNORE).apply(s, new SplittableRandom(1)), s);
    }
  }

  @Test
  void rotationBy180AboutTheCentreEqualsTwoQuarterTurns() {
    Sample s = Samples.random(1, 5, 7, 4);
    Sample r =
        new Rotate(new Range(180, 180), Interpolation.BILINEAR, IGNORE)
            .apply(s, new SplittableRandom(0));
    Sample q = Rot90.rotate(s, 2);
    assertThat(r.mask()).containsExactly(q.mask());
    for (int i = 0; i < q.image().length; i++) {
      assertThat(r.image()[i]).isCloseTo(q.image()[i], org.assertj.core.data.Offset.offset(1e-5f));
    }
  }

  @Test
  void rotationLeavesVoidCornersWithIgnoreAndZero() {
    Sample s = Samples.random(1, 20, 20, 5);
    Sample r =
        new Rotate(new Range(45, 45), Interpolation.BICUBIC, IGNORE)
            .apply(s, new SplittableRandom(0));
    assertThat(r.label(0, 0)).isEqualTo(IGNORE);
    assertThat(r.pixel(0, 0, 0)).isZero();
    assertThat(r.label(10, 10)).isNotEqualTo(IGNORE);
  }

  @Test
  void cropPadsWhenTheImageIsSmaller() {
    Sample s = Samples.random(1, 3, 4, 6);
    for (int seed = 0; seed < 20; seed++) {
      Sample c = new RandomCrop(5, 6, IGNORE).apply(s, new SplittableRandom(seed));
      assertThat(c.height()).isEqualTo(5);
      assertThat(c.width()).isEqualTo(6);
      long voids = Arrays.stream(c.mask()).filter(v -> v == IGNORE).count();
      assertThat(voids).isEqualTo(5 * 6 - 3 * 4);
      // every source pixel appears exactly once, at a consistent offset
      int at = -1;
      for (int i = 0; i < c.mask().length; i++) {
        if (c.mask()[i] == 0) {
          at = i;
        }
      }
      int y0 = at / 6;
      int x0 = at % 6;
      for (int y = 0; y < 3; y++) {
        for (int x = 0; x < 4; x++) {
          assertThat(c.label(y0 + y, x0 + x)).isEqualTo(s.label(y, x));
          assertThat(c.pixel(0, y0 + y, x0 + x)).isEqualTo(s.pixel(0, y, x));
        }
      }
    }
  }

  @Test
  void cropOfLargerImageIsAWindow() {
    Sample s = Samples.random(1, 10, 10, 7);
    Sample c = new RandomCrop(4, 3, IGNORE).apply(s, new SplittableRandom(3));
    int first = c.label(0, 0);
    int y0 = first / 10;
    int x0 = first % 10;
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 3; x++) {
        assertThat(c.label(y, x)).isEqualTo((y0 + y) * 10 + x0 + x);
      }
    }
  }

  @Test
  void translateShiftsByWholePixels() {
    Sample s = Samples.random(1, 8, 8, 8);
    Sample t = new Translate(0.5, IGNORE).apply(s, new SplittableRandom(11));
    int kept = 0;
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        int v = t.label(y, x);
        if (v != IGNORE) {
          kept++;
          assertThat(t.pixel(0, y, x)).isEqualTo(s.image()[v]);
        }
      }
    }
    assertThat(kept).isPositive();
  }

  @Test
  void bilinearInterpolatesBetweenNeighbours() {
    Sample s = new Sample("b", 1, 1, 2, new float[] {0f, 1f}, new int[] {3, 4});
    Affine shift = Affine.translation(-0.75, 0);
    Sample out = Resampler.affine(s, 1, 2, shift, Interpolation.BILINEAR, IGNORE);
    // x = 0 reads 0.75: bilinear 0.75, nearest label 4; x = 1 reads 1.75, nearest 2 is outside.
    assertThat(out.image()).containsExactly(0.75f, 0f);
    assertThat(out.mask()).containsExactly(4, IGNORE);
  }

  @Test
  void elasticWithZeroAlphaIsIdentityAndDeformsOtherwise() {
    Sample s = Samples.random(1, 16, 16, 9);
    assertSame(
        new ElasticDeform(0, 4, Interpolation.BILINEAR, IGNORE).apply(s, new SplittableRandom(1)),
        s);
    assertSame(
        new GridElasticDeform(3, 0, Interpolation.BICUBIC, IGNORE)
            .apply(s, new SplittableRandom(1)),
        s);
    Sample e =
        new ElasticDeform(20, 3, Interpolation.BILINEAR, IGNORE).apply(s, new SplittableRandom(1));
    assertThat(e.mask()).isNotEqualTo(s.mask());
    Sample g =
        new GridElasticDeform(3, 5, Interpolation.BICUBIC, IGNORE)
            .apply(s, new SplittableRandom(1));
    assertThat(g.mask()).isNotEqualTo(s.mask());
  }
}
