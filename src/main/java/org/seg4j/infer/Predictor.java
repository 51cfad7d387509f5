package org.seg4j.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
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
          "--tile "
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
    if (channels != net.inChannels()) {
      throw new IllegalArgumentException(
          "the image has "
              + channels
              + " channel(s) but the model takes "
              + net.inChannels()
              + ": convert it (grey ↔ RGB) or use a model trained with seg4j train --in-channels "
              + channels);
    }
    int classesOut = Math.max(2, net.classes());
    Axis ay = axis(height);
    Axis ax = axis(width);
    float[] acc = new float[classesOut * height * width];
    float[] wsum = new float[height * width];
    float[] wy = weights(ay.out);
    float[] wx = weights(ax.out);
    for (List<int[]> group : tileGroups(ay, ax)) {
      float[] in = tileInput(group, image, channels, height, width, ay, ax);
      float[] probs = run(in, group.size(), channels, ay.in, ax.in, classesOut);
      int per = classesOut * ay.out * ax.out;
      for (int g = 0; g < group.size(); g++) {
        int[] t = group.get(g);
        accumulate(
            probs,
            g * per,
            classesOut,
            ay.out,
            ax.out,
            t[0],
            t[1],
            height,
            width,
            wy,
            wx,
            acc,
            wsum);
      }
    }
    int n = height * width;
    for (int k = 0; k < classesOut; k++) {
      for (int i = 0; i < n; i++) {
        acc[k * n + i] /= wsum[i];
      }
    }
    int[] mask;
    if (net.classes() == 1) {
      // single-logit head: channel 1 holds sigmoid(logit); foreground above the threshold
      mask = new int[n];
      double threshold = options.thresholdOr(0.5);
      for (int i = 0; i < n; i++) {
        mask[i] = acc[n + i] > threshold ? 1 : 0;
      }
    } else {
      mask = Prediction.argmax(acc, classesOut, height, width);
    }
    return new Prediction(classesOut, height, width, acc, mask);
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
    for (List<int[]> group : tileGroups(ay, ax)) {
      float[] in = tileInput(group, image, channels, height, width, ay, ax);
      batches.add(in);
      sizes.add(group.size());
    }
    return () -> {
      for (int b = 0; b < batches.size(); b++) {
        run(batches.get(b), sizes.get(b), channels, ay.in, ax.in, classesOut);
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
      List<int[]> group, float[] image, int channels, int height, int width, Axis ay, Axis ax) {
    float[] in = new float[group.size() * channels * ay.in * ax.in];
    int off = 0;
    for (int[] t : group) {
      extract(
          image,
          channels,
          height,
          width,
          t[0] - ay.margin,
          t[1] - ax.margin,
          ay.in,
          ax.in,
          in,
          off);
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

  private static void extract(
      float[] img, int c, int h, int w, int y0, int x0, int th, int tw, float[] out, int off) {
    int[] xs = new int[tw];
    for (int x = 0; x < tw; x++) {
      xs[x] = reflect(x0 + x, w);
    }
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < th; y++) {
        int sy = reflect(y0 + y, h);
        int src = (ch * h + sy) * w;
        int dst = off + (ch * th + y) * tw;
        for (int x = 0; x < tw; x++) {
          out[dst + x] = img[src + xs[x]];
        }
      }
    }
  }

  private float[] run(float[] in, int n, int c, int th, int tw, int classesOut) {
    try (NDManager m = base.newSubManager()) {
      NDArray x = m.create(in, new Shape(n, c, th, tw));
      NDArray p = probabilities(x);
      if (options.flipTta()) {
        p = p.add(Ops.flip(probabilities(Ops.flip(x, 3)), 3));
        p = p.add(Ops.flip(probabilities(Ops.flip(x, 2)), 2));
        p = p.add(Ops.flip(probabilities(Ops.flip(x, 2, 3)), 2, 3));
        p = p.div(4f);
      }
      return p.toFloatArray();
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

  private static void accumulate(
      float[] probs,
      int off,
      int k,
      int th,
      int tw,
      int y0,
      int x0,
      int h,
      int w,
      float[] wy,
      float[] wx,
      float[] acc,
      float[] wsum) {
    int n = h * w;
    for (int y = 0; y < th && y0 + y < h; y++) {
      for (int x = 0; x < tw && x0 + x < w; x++) {
        float wt = wy[y] * wx[x];
        int dst = (y0 + y) * w + x0 + x;
        wsum[dst] += wt;
        for (int c = 0; c < k; c++) {
          acc[c * n + dst] += wt * probs[off + (c * th + y) * tw + x];
        }
      }
    }
  }
}
