package org.seg4j.infer;

import java.util.ArrayList;
import java.util.List;

/**
 * How {@link Predictor} cuts an image into tiles: per axis the network's input and output tile
 * sides, the context margin around the output (valid-convolution models) and the positions of the
 * output tiles; the tiles in row order, cut into batches; and the blend weight of each pixel of an
 * output tile. Whole-image inference is one tile per axis, as large as the image needs.
 */
final class TileGrid {
  /**
   * Tiling of one axis.
   *
   * @param in the network's input side
   * @param out its output side
   * @param margin context on each side of the output, {@code (in - out) / 2}
   * @param positions the first output pixel of each tile
   */
  record Axis(int in, int out, int margin, int[] positions) {
    /**
     * Output tiles of side {@code out} covering {@code length} pixels: a stride of {@code out × (1
     * - overlap)}, the last tile flush with the end.
     */
    static Axis of(int in, int out, int length, double overlap) {
      List<Integer> pos = new ArrayList<>();
      if (length <= out) {
        pos.add(0);
      } else {
        int stride = Math.max(1, (int) Math.round(out * (1 - overlap)));
        for (int p = 0; p + out < length; p += stride) {
          pos.add(p);
        }
        pos.add(length - out);
      }
      return new Axis(in, out, (in - out) / 2, pos.stream().mapToInt(Integer::intValue).toArray());
    }
  }

  /**
   * One tile.
   *
   * @param top first row of its output
   * @param left first column of its output
   */
  record Tile(int top, int left) {}

  private final Axis rows;
  private final Axis cols;
  private final float[] rowWeights;
  private final float[] colWeights;

  TileGrid(Axis rows, Axis cols, TileOptions.Blend blend) {
    this.rows = rows;
    this.cols = cols;
    this.rowWeights = weights(rows.out(), blend);
    this.colWeights = weights(cols.out(), blend);
  }

  /** The grid of {@code net} under {@code options} for an image of this size. */
  static TileGrid of(Network net, TileOptions options, int height, int width) {
    return new TileGrid(axis(net, options, height), axis(net, options, width), options.blend());
  }

  /** The options' tile side, or for whole images the smallest input whose output covers it. */
  private static Axis axis(Network net, TileOptions options, int length) {
    int in;
    if (options.tile() > 0) {
      in = options.tile();
    } else {
      in = net.sideAtLeast(1);
      while (!net.acceptsSide(in) || net.outputSide(in) < length) {
        in++;
      }
    }
    return Axis.of(in, net.outputSide(in), length, options.overlap());
  }

  /** The vertical axis. */
  Axis rows() {
    return rows;
  }

  /** The horizontal axis. */
  Axis cols() {
    return cols;
  }

  /** Number of tiles. */
  int tiles() {
    return rows.positions().length * cols.positions().length;
  }

  /** The blend weight of row y, column x of an output tile. */
  float weight(int y, int x) {
    return rowWeights[y] * colWeights[x];
  }

  /** The tiles in row order, cut into batches of at most {@code batch}. */
  List<List<Tile>> batches(int batch) {
    List<Tile> tiles = new ArrayList<>();
    for (int py : rows.positions()) {
      for (int px : cols.positions()) {
        tiles.add(new Tile(py, px));
      }
    }
    List<List<Tile>> groups = new ArrayList<>();
    for (int t0 = 0; t0 < tiles.size(); t0 += batch) {
      groups.add(tiles.subList(t0, Math.min(tiles.size(), t0 + batch)));
    }
    return groups;
  }

  /**
   * The network input for one batch of tiles: each tile's input window with its margins, into
   * {@code reuse} when it has the size.
   */
  float[] input(List<Tile> batch, TileSource image, float[] reuse) {
    int per = image.channels() * rows.in() * cols.in();
    int size = batch.size() * per;
    float[] in = reuse != null && reuse.length == size ? reuse : new float[size];
    int off = 0;
    for (Tile t : batch) {
      image.window(
          t.top() - rows.margin(), t.left() - cols.margin(), rows.in(), cols.in(), in, off);
      off += per;
    }
    return in;
  }

  /**
   * Per-pixel weights along a tile side: a Gaussian (σ = side/8), a tent, or 1; never below 1e-3.
   */
  static float[] weights(int side, TileOptions.Blend blend) {
    float[] w = new float[side];
    double sigma = side / 8.0;
    double c = (side - 1) / 2.0;
    for (int i = 0; i < side; i++) {
      switch (blend) {
        case GAUSSIAN:
          w[i] = (float) Math.max(1e-3, Math.exp(-(i - c) * (i - c) / (2 * sigma * sigma)));
          break;
        case LINEAR:
          w[i] = (float) Math.max(1e-3, 1 - Math.abs(i - c) / (c + 1));
          break;
        default:
          w[i] = 1f;
      }
    }
    return w;
  }
}
