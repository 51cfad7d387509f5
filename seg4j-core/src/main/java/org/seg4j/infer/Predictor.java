package org.seg4j.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.seg4j.augment.ContextPad;
import org.seg4j.nn.Ops;

/**
 * Turns an image into per-class probabilities at its own size: whole-image or sliding-window
 * inference (tiles blended with Gaussian, linear or constant weights), mirror padding to the sides
 * the network accepts (with the overlap-tile context of valid-convolution U-Nets), and flip
 * test-time augmentation. Each call works in its own NDManager, closed before it returns.
 */
public final class Predictor {
  private final Network net;
  private final NDManager base;
  private final PredictOptions options;

  /** A predictor over a network whose tensors live on {@code base}'s device. */
  public Predictor(Network net, NDManager base, PredictOptions options) {
    this.net = net;
    this.base = base;
    this.options = options;
    if (options.tile() > 0 && !net.acceptsSide(options.tile())) {
      throw new IllegalArgumentException(
          "tile="
              + options.tile()
              + " is not a side the model accepts: the nearest valid tile is "
              + nearest(options.tile()));
    }
  }

  private int nearest(int side) {
    for (int d = 0; ; d++) {
      if (net.acceptsSide(side + d)) {
        return side + d;
      }
      if (side - d > 0 && net.acceptsSide(side - d)) {
        return side - d;
      }
    }
  }

  /** The options in use. */
  public PredictOptions options() {
    return options;
  }

  /** Predicts a CHW float image (already normalised as the model was trained). */
  public Prediction predict(int channels, int height, int width, float[] image) {
    int classesOut = Math.max(2, net.classes());
    int n = height * width;
    float[] acc = new float[classesOut * n];
    int[] mask = new int[n];
    stream(
        TileSource.of(channels, height, width, image),
        (y, probs, row) -> {
          for (int k = 0; k < classesOut; k++) {
            System.arraycopy(probs, k * width, acc, k * n + y * width, width);
          }
          System.arraycopy(row, 0, mask, y * width, width);
        },
        () -> {});
    return new Prediction(classesOut, height, width, acc, mask);
  }

  /** How many tiles {@link #stream} runs for an image of this size. */
  public int tiles(int height, int width) {
    return axis(height).positions.length * axis(width).positions.length;
  }

  /** The input tile side used for an image of this size (height, width). */
  public int[] tileInput(int height, int width) {
    return new int[] {axis(height).in, axis(width).in};
  }

  /**
   * Predicts an image tile by tile, handing each row to {@code sink} as soon as no later tile can
   * change it. Tiles are blended into a band only as tall as one output tile, so memory grows with
   * the tile size and the image width, not with the image; the result is exactly {@link
   * #predict}'s. {@code onTile} runs after each tile.
   */
  public void stream(TileSource image, RowSink sink, Runnable onTile) {
    int channels = image.channels();
    if (channels != net.inChannels()) {
      throw new IllegalArgumentException(
          "the image has "
              + channels
              + " channel(s) but the model takes "
              + net.inChannels()
              + ": convert it (grey ↔ RGB) or use a model trained with seg4j train in_channels="
              + channels);
    }
    int height = image.height();
    int width = image.width();
    int classesOut = Math.max(2, net.classes());
    Axis ay = axis(height);
    Axis ax = axis(width);
    Band band = new Band(classesOut, Math.min(ay.out, height), width);
    float[] wy = weights(ay.out);
    float[] wx = weights(ax.out);
    int per = classesOut * ay.out * ax.out;
    float[] in = null;
    float[] probs = null;
    for (List<int[]> group : tileGroups(ay, ax)) {
      // the batch arrays are reused: big images run hundreds of batches of several MB each
      in = tileInput(group, image, ay, ax, in);
      probs = run(in, group.size(), channels, ay.in, ax.in, classesOut, probs);
      for (int g = 0; g < group.size(); g++) {
        int[] t = group.get(g);
        band.moveTo(t[0], sink);
        band.add(probs, g * per, ay.out, ax.out, t[1], wy, wx);
        onTile.run();
      }
    }
    band.moveTo(height, sink);
  }

  /**
   * The rows not yet final: per-class weighted sums and the weight sum of rows {@code top .. top +
   * rows - 1}, each tile's contribution added in tile order as a whole-image sum would be.
   */
  private final class Band {
    private final int classes;
    private final int rows;
    private final int width;
    private final float[] acc;
    private final float[] wsum;
    private int top;

    Band(int classes, int rows, int width) {
      this.classes = classes;
      this.rows = rows;
      this.width = width;
      this.acc = new float[classes * rows * width];
      this.wsum = new float[rows * width];
    }

    /** Adds a tile whose output's top row is {@link #top}. */
    void add(float[] probs, int off, int th, int tw, int x0, float[] wy, float[] wx) {
      int plane = rows * width;
      for (int y = 0; y < th && y < rows; y++) {
        for (int x = 0; x < tw && x0 + x < width; x++) {
          float wt = wy[y] * wx[x];
          int dst = y * width + x0 + x;
          wsum[dst] += wt;
          for (int c = 0; c < classes; c++) {
            acc[c * plane + dst] += wt * probs[off + (c * th + y) * tw + x];
          }
        }
      }
    }

    /** Hands rows {@code top .. newTop - 1} to {@code sink} (no later tile reaches them). */
    void moveTo(int newTop, RowSink sink) {
      if (newTop <= top) {
        return;
      }
      int plane = rows * width;
      float[] probs = new float[classes * width];
      int[] mask = new int[width];
      int done = Math.min(newTop - top, rows);
      for (int r = 0; r < done; r++) {
        for (int x = 0; x < width; x++) {
          int i = r * width + x;
          for (int k = 0; k < classes; k++) {
            probs[k * width + x] = acc[k * plane + i] / wsum[i];
          }
          mask[x] = classOf(probs, x);
        }
        sink.row(top + r, probs, mask);
      }
      int keep = rows - done;
      for (int k = 0; k < classes; k++) {
        System.arraycopy(acc, k * plane + done * width, acc, k * plane, keep * width);
        Arrays.fill(acc, k * plane + keep * width, (k + 1) * plane, 0f);
      }
      System.arraycopy(wsum, done * width, wsum, 0, keep * width);
      Arrays.fill(wsum, keep * width, plane, 0f);
      top = newTop;
    }

    /** Arg-max ({@link Prediction#argmax}), or the foreground threshold of a sigmoid head. */
    private int classOf(float[] probs, int x) {
      if (net.classes() == 1) {
        return probs[width + x] > options.thresholdOr(0.5) ? 1 : 0;
      }
      int best = 0;
      float bv = probs[x];
      for (int k = 1; k < classes; k++) {
        float v = probs[k * width + x];
        if (v > bv) {
          bv = v;
          best = k;
        }
      }
      return best;
    }
  }

  /**
   * The network's share of {@link #predict} for this image, for timing: the tile batches are cut
   * once here, and each run of the returned task sends them through the network (with the flip
   * passes of TTA) and reads the probabilities back, as predict does, without blending.
   */
  public Runnable networkOnly(int channels, int height, int width, float[] image) {
    int classesOut = Math.max(2, net.classes());
    Axis ay = axis(height);
    Axis ax = axis(width);
    List<float[]> batches = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    TileSource source = TileSource.of(channels, height, width, image);
    for (List<int[]> group : tileGroups(ay, ax)) {
      float[] in = tileInput(group, source, ay, ax, null);
      batches.add(in);
      sizes.add(group.size());
    }
    return () -> {
      for (int b = 0; b < batches.size(); b++) {
        run(batches.get(b), sizes.get(b), channels, ay.in, ax.in, classesOut, null);
      }
    };
  }

  /** The tile positions (top, left of the output tile) in row order, cut into batches. */
  private List<List<int[]>> tileGroups(Axis ay, Axis ax) {
    List<int[]> tiles = new ArrayList<>();
    for (int py : ay.positions) {
      for (int px : ax.positions) {
        tiles.add(new int[] {py, px});
      }
    }
    List<List<int[]>> groups = new ArrayList<>();
    for (int t0 = 0; t0 < tiles.size(); t0 += options.batch()) {
      groups.add(tiles.subList(t0, Math.min(tiles.size(), t0 + options.batch())));
    }
    return groups;
  }

  /** The network input for one batch of tiles: each tile's input window with its margins. */
  private static float[] tileInput(
      List<int[]> group, TileSource image, Axis ay, Axis ax, float[] reuse) {
    int channels = image.channels();
    int size = group.size() * channels * ay.in * ax.in;
    float[] in = reuse != null && reuse.length == size ? reuse : new float[size];
    int off = 0;
    for (int[] t : group) {
      image.window(t[0] - ay.margin, t[1] - ax.margin, ay.in, ax.in, in, off);
      off += channels * ay.in * ax.in;
    }
    return in;
  }

  /** Tiling of one axis: input and output tile sides, context margin and tile positions. */
  private record Axis(int in, int out, int margin, int[] positions) {}

  private Axis axis(int length) {
    int in;
    if (options.tile() > 0) {
      in = options.tile();
    } else {
      in = net.sideAtLeast(1);
      while (!net.acceptsSide(in) || net.outputSide(in) < length) {
        in++;
      }
    }
    int out = net.outputSide(in);
    int margin = (in - out) / 2;
    List<Integer> pos = new ArrayList<>();
    if (length <= out) {
      pos.add(0);
    } else {
      int stride = Math.max(1, (int) Math.round(out * (1 - options.overlap())));
      for (int p = 0; p + out < length; p += stride) {
        pos.add(p);
      }
      pos.add(length - out);
    }
    return new Axis(in, out, margin, pos.stream().mapToInt(Integer::intValue).toArray());
  }

  private float[] weights(int side) {
    float[] w = new float[side];
    double sigma = side / 8.0;
    double c = (side - 1) / 2.0;
    for (int i = 0; i < side; i++) {
      switch (options.blend()) {
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

  /** Mirror index (numpy 'reflect', repeated for long pads); 0 for a 1-pixel axis. */
  static int reflect(int i, int n) {
    return ContextPad.mirror(i, n);
  }

  /** The probabilities of a batch, into {@code reuse} when it has their size. */
  private float[] run(float[] in, int n, int c, int th, int tw, int classesOut, float[] reuse) {
    try (NDManager m = base.newSubManager()) {
      NDArray x = m.create(in, new Shape(n, c, th, tw));
      NDArray p = probabilities(x);
      if (options.flipTta()) {
        p = p.add(Ops.flip(probabilities(Ops.flip(x, 3)), 3));
        p = p.add(Ops.flip(probabilities(Ops.flip(x, 2)), 2));
        p = p.add(Ops.flip(probabilities(Ops.flip(x, 2, 3)), 2, 3));
        p = p.div(4f);
      }
      int size = Math.toIntExact(p.size());
      float[] out = reuse != null && reuse.length == size ? reuse : new float[size];
      p.toByteBuffer().asFloatBuffer().get(out);
      return out;
    }
  }

  private NDArray probabilities(NDArray x) {
    NDArray logits = net.logits(x);
    if (net.classes() == 1) {
      NDArray fg = logits.getNDArrayInternal().sigmoid();
      return fg.neg().add(1f).concat(fg, 1);
    }
    return logits.softmax(1);
  }
}
