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
  private final TileOptions options;

  /** A predictor over a network whose tensors live on {@code base}'s device. */
  public Predictor(Network net, NDManager base, TileOptions options) {
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
  public TileOptions options() {
    return options;
  }

  /** Predicts a CHW float image (already normalised as the model was trained). */
  public PredictionMaps predict(int channels, int height, int width, float[] image) {
    Collector c = new Collector(Math.max(2, net.classes()), height, width);
    stream(TileSource.of(channels, height, width, image), c, () -> {});
    return c.maps();
  }

  /**
   * Whether {@link #predictAll} runs images of this size as one forward pass: whole-image inference
   * (one tile) without flip TTA.
   */
  public boolean batches(int height, int width) {
    return options.tile() == 0 && !options.flipTta() && grid(height, width).tiles() == 1;
  }

  /**
   * Predicts several CHW float images of one size (already normalised) and gives what {@link
   * #predict} gives for each. When {@link #batches} says so they run as one forward pass of N in
   * one NDManager, closed before this returns; otherwise one by one.
   */
  public List<PredictionMaps> predictAll(
      int channels, int height, int width, List<float[]> images) {
    if (images.size() < 2 || !batches(height, width)) {
      List<PredictionMaps> out = new ArrayList<>(images.size());
      for (float[] image : images) {
        out.add(predict(channels, height, width, image));
      }
      return out;
    }
    checkChannels(channels);
    TileGrid grid = grid(height, width);
    int per = channels * grid.rows().in() * grid.cols().in();
    float[] in = new float[images.size() * per];
    for (int i = 0; i < images.size(); i++) {
      float[] one =
          grid.input(
              grid.batches(1).get(0), TileSource.of(channels, height, width, images.get(i)), null);
      System.arraycopy(one, 0, in, i * per, per);
    }
    float[] probs = run(in, images.size(), channels, grid, null);
    int classesOut = Math.max(2, net.classes());
    int outPer = classesOut * grid.rows().out() * grid.cols().out();
    List<PredictionMaps> out = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      Collector c = new Collector(classesOut, height, width);
      Band band = new Band(classesOut, Math.min(grid.rows().out(), height), width);
      band.add(probs, i * outPer, grid, 0);
      band.moveTo(height, c);
      out.add(c.maps());
    }
    return out;
  }

  /** Gathers the rows a {@link Band} hands over into one image's {@link PredictionMaps}. */
  private static final class Collector implements RowSink {
    private final int classes;
    private final int height;
    private final int width;
    private final float[] acc;
    private final int[] mask;

    Collector(int classes, int height, int width) {
      this.classes = classes;
      this.height = height;
      this.width = width;
      this.acc = new float[classes * height * width];
      this.mask = new int[height * width];
    }

    @Override
    public void row(int y, float[] probs, int[] row) {
      int n = height * width;
      for (int k = 0; k < classes; k++) {
        System.arraycopy(probs, k * width, acc, k * n + y * width, width);
      }
      System.arraycopy(row, 0, mask, y * width, width);
    }

    PredictionMaps maps() {
      return new PredictionMaps(classes, height, width, acc, mask);
    }
  }

  /** How many tiles {@link #stream} runs for an image of this size. */
  public int tiles(int height, int width) {
    return grid(height, width).tiles();
  }

  /** The input tile side used for an image of this size (height, width). */
  public int[] tileInput(int height, int width) {
    TileGrid grid = grid(height, width);
    return new int[] {grid.rows().in(), grid.cols().in()};
  }

  private TileGrid grid(int height, int width) {
    return TileGrid.of(net, options, height, width);
  }

  /**
   * Predicts an image tile by tile, handing each row to {@code sink} as soon as no later tile can
   * change it. Tiles are blended into a band only as tall as one output tile, so memory grows with
   * the tile size and the image width, not with the image; the result is exactly {@link
   * #predict}'s. {@code onTile} runs after each tile.
   */
  public void stream(TileSource image, RowSink sink, Runnable onTile) {
    int channels = image.channels();
    checkChannels(channels);
    int height = image.height();
    int width = image.width();
    int classesOut = Math.max(2, net.classes());
    TileGrid grid = grid(height, width);
    Band band = new Band(classesOut, Math.min(grid.rows().out(), height), width);
    int per = classesOut * grid.rows().out() * grid.cols().out();
    float[] in = null;
    float[] probs = null;
    for (List<TileGrid.Tile> group : grid.batches(options.batch())) {
      // the batch arrays are reused: big images run hundreds of batches of several MB each
      in = grid.input(group, image, in);
      probs = run(in, group.size(), channels, grid, probs);
      for (int g = 0; g < group.size(); g++) {
        TileGrid.Tile t = group.get(g);
        band.moveTo(t.top(), sink);
        band.add(probs, g * per, grid, t.left());
        onTile.run();
      }
    }
    band.moveTo(height, sink);
  }

  private void checkChannels(int channels) {
    if (channels != net.inChannels()) {
      throw new IllegalArgumentException(
          "the image has "
              + channels
              + " channel(s) but the model takes "
              + net.inChannels()
              + ": convert it (grey ↔ RGB) or use a model trained with seg4j train in_channels="
              + channels);
    }
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

    /**
     * Adds the tile at {@code probs[off..]} whose output's top row is {@link #top} and left column
     * {@code x0}.
     */
    void add(float[] probs, int off, TileGrid grid, int x0) {
      int plane = rows * width;
      int th = grid.rows().out();
      int tw = grid.cols().out();
      for (int y = 0; y < th && y < rows; y++) {
        for (int x = 0; x < tw && x0 + x < width; x++) {
          float wt = grid.weight(y, x);
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

    /** Arg-max ({@link PredictionMaps#argmax}), or the foreground threshold of a sigmoid head. */
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
    TileGrid grid = grid(height, width);
    List<float[]> batches = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    TileSource source = TileSource.of(channels, height, width, image);
    for (List<TileGrid.Tile> group : grid.batches(options.batch())) {
      batches.add(grid.input(group, source, null));
      sizes.add(group.size());
    }
    return () -> {
      for (int b = 0; b < batches.size(); b++) {
        run(batches.get(b), sizes.get(b), channels, grid, null);
      }
    };
  }

  /** Mirror index (numpy 'reflect', repeated for long pads); 0 for a 1-pixel axis. */
  static int reflect(int i, int n) {
    return ContextPad.mirror(i, n);
  }

  /** The probabilities of a batch, into {@code reuse} when it has their size. */
  private float[] run(float[] in, int n, int channels, TileGrid grid, float[] reuse) {
    try (NDManager m = base.newSubManager()) {
      NDArray x = m.create(in, new Shape(n, channels, grid.rows().in(), grid.cols().in()));
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
