package org.seg4j.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.seg4j.infer.TileOptions.Blend;

/** Tile positions, margins, batches, input windows and blend weights against hand-computed ones. */
class TileGridTest {
  /**
   * A network that accepts multiples of 16 and loses {@code lost} pixels per side to valid convs.
   */
  private static Network net(int lost) {
    return new FakeNetwork(
        2,
        1,
        16,
        lost / 2,
        b -> {
          throw new UnsupportedOperationException();
        });
  }

  @Test
  void slidingTilesStrideByOutTimesOneMinusOverlapAndTheLastIsFlushWithTheEnd() {
    // stride round(64 * 0.75) = 48: 0, 48 (96 + 64 > 150 stops), then 150 - 64 = 86
    TileGrid.Axis a = TileGrid.Axis.of(64, 64, 150, 0.25);
    assertThat(a.positions()).containsExactly(0, 48, 86);
    assertThat(a.margin()).isZero();
    // an axis no longer than a tile has one tile at 0; a 100 -> 60 network has 20 pixels context
    TileGrid.Axis short_ = TileGrid.Axis.of(100, 60, 60, 0.5);
    assertThat(short_.positions()).containsExactly(0);
    assertThat(short_.margin()).isEqualTo(20);
    // overlap 0: tiles side by side, the last one pulled back to end at 100
    assertThat(TileGrid.Axis.of(32, 32, 100, 0).positions()).containsExactly(0, 32, 64, 68);
  }

  @Test
  void wholeImageTakesTheSmallestAcceptedInputWhoseOutputCoversTheSide() {
    // same convolutions: 50 -> 64 (the first multiple of 16 >= 50); 20 -> 32
    TileGrid same = TileGrid.of(net(0), TileOptions.whole(), 50, 20);
    assertThat(same.rows().in()).isEqualTo(64);
    assertThat(same.cols().in()).isEqualTo(32);
    assertThat(same.tiles()).isEqualTo(1);
    // valid convolutions losing 12 per side: 50 needs an output >= 50, so 64 (52); margin 6
    TileGrid valid = TileGrid.of(net(12), TileOptions.whole(), 50, 50);
    assertThat(valid.rows().in()).isEqualTo(64);
    assertThat(valid.rows().out()).isEqualTo(52);
    assertThat(valid.rows().margin()).isEqualTo(6);
  }

  @Test
  void tilesComeInRowOrderCutIntoBatches() {
    // 2 x 3 tiles of 32 on a 48 x 80 image with overlap 0.5: rows 0, 16; columns 0, 16, 32, 48
    TileGrid g = TileGrid.of(net(0), new TileOptions(32, 0.5, Blend.CONSTANT, false, 3), 48, 80);
    assertThat(g.rows().positions()).containsExactly(0, 16);
    assertThat(g.cols().positions()).containsExactly(0, 16, 32, 48);
    assertThat(g.tiles()).isEqualTo(8);
    List<List<TileGrid.Tile>> batches = g.batches(3);
    assertThat(batches).hasSize(3);
    assertThat(batches.get(0))
        .containsExactly(
            new TileGrid.Tile(0, 0), new TileGrid.Tile(0, 16), new TileGrid.Tile(0, 32));
    assertThat(batches.get(1))
        .containsExactly(
            new TileGrid.Tile(0, 48), new TileGrid.Tile(16, 0), new TileGrid.Tile(16, 16));
    assertThat(batches.get(2))
        .containsExactly(new TileGrid.Tile(16, 32), new TileGrid.Tile(16, 48));
  }

  @Test
  void inputWindowsReachIntoTheMirroredMargin() {
    // a 4 x 4 image 0..15, tiles with output 2 and one pixel of context per side
    float[] image = new float[16];
    for (int i = 0; i < 16; i++) {
      image[i] = i;
    }
    TileGrid.Axis axis = TileGrid.Axis.of(4, 2, 4, 0);
    TileGrid g = new TileGrid(axis, axis, Blend.CONSTANT);
    float[] in =
        g.input(
            List.of(new TileGrid.Tile(0, 0), new TileGrid.Tile(2, 2)),
            TileSource.of(1, 4, 4, image),
            null);
    // tile (0, 0): rows -1..2 -> 1, 0, 1, 2 and columns likewise
    // tile (2, 2): rows and columns 1..4 -> 1, 2, 3, 2
    assertThat(in)
        .containsExactly(
            5, 4, 5, 6, 1, 0, 1, 2, 5, 4, 5, 6, 9, 8, 9, 10, //
            5, 6, 7, 6, 9, 10, 11, 10, 13, 14, 15, 14, 9, 10, 11, 10);
    float[] reuse = new float[32];
    assertThat(
            g.input(
                List.of(new TileGrid.Tile(0, 0), new TileGrid.Tile(2, 2)),
                TileSource.of(1, 4, 4, image),
                reuse))
        .isSameAs(reuse);
  }

  @Test
  void blendWeights() {
    // linear: a tent 1 - |i - c| / (c + 1) with c = 2
    assertThat(TileGrid.weights(5, Blend.LINEAR))
        .containsExactly(1 / 3f, 2 / 3f, 1f, 2 / 3f, 1 / 3f);
    assertThat(TileGrid.weights(3, Blend.CONSTANT)).containsExactly(1f, 1f, 1f);
    // gaussian, side 8: sigma 1, centre 3.5
    float[] g8 = TileGrid.weights(8, Blend.GAUSSIAN);
    assertThat((double) g8[0]).isCloseTo(Math.exp(-3.5 * 3.5 / 2), within(1e-7));
    assertThat((double) g8[3]).isCloseTo(Math.exp(-0.5 * 0.5 / 2), within(1e-7));
    assertThat(g8[4]).isEqualTo(g8[3]);
    // side 16: sigma 2, exp(-7.5^2 / 8) = 8.8e-4 is raised to the floor 1e-3
    assertThat(TileGrid.weights(16, Blend.GAUSSIAN)[0]).isEqualTo((float) 1e-3);
    // a pixel's weight is its row's times its column's
    TileGrid grid =
        new TileGrid(TileGrid.Axis.of(5, 5, 5, 0), TileGrid.Axis.of(3, 3, 3, 0), Blend.LINEAR);
    assertThat(grid.weight(1, 2)).isEqualTo(2 / 3f * 0.5f);
  }
}
