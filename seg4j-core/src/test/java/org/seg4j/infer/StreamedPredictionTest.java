package org.seg4j.infer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.awt.Rectangle;
import java.awt.image.Raster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.data.Sample;
import org.seg4j.io.ImageIo;
import org.seg4j.io.Provenance;
import org.seg4j.io.RawImage;
import org.seg4j.io.RowImage;
import org.seg4j.nn.Ops;

/**
 * Streamed prediction (issue 9 item 12) gives exactly the bits of the whole-image prediction it
 * replaced: {@link #reference} is the accumulation {@code Predictor.predict} did before streaming
 * (one full-size sum per class), and every tiling, blend, batch, flip TTA and head must match it
 * bit for bit, through {@link Predictor#predict} and through {@link Predictor#stream} reading rows
 * on demand. The row-made output images equal the whole-image ones pixel for pixel.
 */
class StreamedPredictionTest {
  static NDManager manager;
  @TempDir Path tmp;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  /**
   * A network whose answer depends on the pixel, its position inside the tile (so tiling and
   * blending matter) and, with a margin, on context: three classes, or one sigmoid logit.
   */
  static Network positional(int m, int margin, int classes) {
    return new FakeNetwork(
        classes,
        2,
        m,
        margin,
        batch -> {
          long h = batch.getShape().get(2);
          long w = batch.getShape().get(3);
          NDArray x = batch.mean(new int[] {1}, true);
          if (margin > 0) {
            x = x.get(new NDIndex(":, :, {}:{}, {}:{}", margin, h - margin, margin, w - margin));
          }
          long oh = x.getShape().get(2);
          long ow = x.getShape().get(3);
          NDArray ramp =
              batch.getManager().arange(0f, (float) oh).reshape(1, 1, oh, 1).mul(0.07f).sub(1f);
          NDArray rampX =
              batch.getManager().arange(0f, (float) ow).reshape(1, 1, 1, ow).mul(0.05f).sub(0.8f);
          NDArray a = x.mul(4f).add(ramp);
          if (classes == 1) {
            return a.sub(rampX);
          }
          NDArray b = x.mul(x).mul(3f).add(rampX);
          NDArray c = a.mul(b).mul(0.5f).sub(0.2f);
          return NDArrays.concat(new NDList(a, b, c), 1);
        });
  }

  static float[] image(int h, int w) {
    float[] img = new float[2 * h * w];
    for (int i = 0; i < img.length; i++) {
      img[i] = (float) Math.sin(i * 0.37) * 0.5f + (float) Math.cos(i * 0.011) * 0.3f;
    }
    return img;
  }

  @Test
  void everyTilingGivesTheBitsOfTheWholeImageSum() {
    List<TileOptions> options = new ArrayList<>();
    for (TileOptions.Blend b : TileOptions.Blend.values()) {
      options.add(new TileOptions(16, 0.25, b, false, 3));
      options.add(new TileOptions(24, 0.5, b, false, 1));
    }
    options.add(new TileOptions(16, 0, TileOptions.Blend.GAUSSIAN, false, 5));
    options.add(new TileOptions(32, 0.7, TileOptions.Blend.GAUSSIAN, true, 2));
    options.add(TileOptions.whole());
    options.add(TileOptions.whole().withFlipTta(true));
    int[][] sizes = {{37, 50}, {70, 23}, {16, 16}, {5, 81}};
    for (int classes : new int[] {3, 1}) {
      for (int margin : new int[] {0, 4}) {
        Network net = positional(8, margin, classes);
        for (TileOptions o : options) {
          if (o.tile() > 0 && !net.acceptsSide(o.tile())) {
            continue;
          }
          TileOptions opts = classes == 1 ? o.withThreshold(0.4) : o;
          for (int[] hw : sizes) {
            String what = classes + " class(es), margin " + margin + ", " + opts + ", " + hw[0];
            float[] img = image(hw[0], hw[1]);
            PredictionMaps want = reference(net, opts, 2, hw[0], hw[1], img);
            Predictor pr = new Predictor(net, manager, opts);
            PredictionMaps got = pr.predict(2, hw[0], hw[1], img);
            assertThat(Arrays.equals(got.probabilities(), want.probabilities())).as(what).isTrue();
            assertThat(got.mask()).as(what).isEqualTo(want.mask());
            PredictionMaps s = streamed(pr, hw[0], hw[1], img, want.classes());
            assertThat(Arrays.equals(s.probabilities(), want.probabilities())).as(what).isTrue();
            assertThat(s.mask()).as(what).isEqualTo(want.mask());
          }
        }
      }
    }
  }

  /** The prediction through {@link Predictor#stream}, rows made on demand, as a record. */
  private static PredictionMaps streamed(Predictor pr, int h, int w, float[] img, int k) {
    RowCache rows =
        new RowCache(
            2,
            h,
            w,
            y -> {
              float[] r = new float[2 * w];
              for (int c = 0; c < 2; c++) {
                System.arraycopy(img, (c * h + y) * w, r, c * w, w);
              }
              return r;
            },
            pr.tileInput(h, w)[0]);
    float[] probs = new float[k * h * w];
    int[] mask = new int[h * w];
    int[] next = {0};
    pr.stream(
        rows,
        (y, p, m) -> {
          assertThat(y).as("rows in order").isEqualTo(next[0]++);
          for (int c = 0; c < k; c++) {
            System.arraycopy(p, c * w, probs, (c * h + y) * w, w);
          }
          System.arraycopy(m, 0, mask, y * w, w);
        },
        () -> {});
    assertThat(next[0]).isEqualTo(h);
    return new PredictionMaps(k, h, w, probs, mask);
  }

  /**
   * {@code Predictor.predict} as it was before streaming: the whole image's weighted sums per class
   * and the weight sum, divided at the end, then the arg-max or the threshold.
   */
  static PredictionMaps reference(
      Network net, TileOptions options, int channels, int height, int width, float[] image) {
    int classesOut = Math.max(2, net.classes());
    int[] ay = axis(net, options, height);
    int[] ax = axis(net, options, width);
    int inY = ay[0];
    int outY = ay[1];
    int inX = ax[0];
    int outX = ax[1];
    int[] posY = Arrays.copyOfRange(ay, 3, ay.length);
    int[] posX = Arrays.copyOfRange(ax, 3, ax.length);
    float[] acc = new float[classesOut * height * width];
    float[] wsum = new float[height * width];
    float[] wy = weights(options, outY);
    float[] wx = weights(options, outX);
    List<int[]> tiles = new ArrayList<>();
    for (int py : posY) {
      for (int px : posX) {
        tiles.add(new int[] {py, px});
      }
    }
    TileSource src = TileSource.of(channels, height, width, image);
    for (int t0 = 0; t0 < tiles.size(); t0 += options.batch()) {
      List<int[]> group = tiles.subList(t0, Math.min(tiles.size(), t0 + options.batch()));
      float[] in = new float[group.size() * channels * inY * inX];
      for (int g = 0; g < group.size(); g++) {
        int[] t = group.get(g);
        src.window(t[0] - ay[2], t[1] - ax[2], inY, inX, in, g * channels * inY * inX);
      }
      float[] probs = run(net, options, in, group.size(), channels, inY, inX);
      int per = classesOut * outY * outX;
      for (int g = 0; g < group.size(); g++) {
        int[] t = group.get(g);
        int n = height * width;
        for (int y = 0; y < outY && t[0] + y < height; y++) {
          for (int x = 0; x < outX && t[1] + x < width; x++) {
            float wt = wy[y] * wx[x];
            int dst = (t[0] + y) * width + t[1] + x;
            wsum[dst] += wt;
            for (int c = 0; c < classesOut; c++) {
              acc[c * n + dst] += wt * probs[g * per + (c * outY + y) * outX + x];
            }
          }
        }
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
      mask = new int[n];
      double threshold = options.thresholdOr(0.5);
      for (int i = 0; i < n; i++) {
        mask[i] = acc[n + i] > threshold ? 1 : 0;
      }
    } else {
      mask = PredictionMaps.argmax(acc, classesOut, height, width);
    }
    return new PredictionMaps(classesOut, height, width, acc, mask);
  }

  /** in, out, margin, then the positions. */
  private static int[] axis(Network net, TileOptions options, int length) {
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
    int[] r = new int[3 + pos.size()];
    r[0] = in;
    r[1] = out;
    r[2] = (in - out) / 2;
    for (int i = 0; i < pos.size(); i++) {
      r[3 + i] = pos.get(i);
    }
    return r;
  }

  /** The blend weights (checked by hand in {@code TileGridTest}; the accumulation is the point). */
  private static float[] weights(TileOptions options, int side) {
    return TileGrid.weights(side, options.blend());
  }

  private static float[] run(
      Network net, TileOptions options, float[] in, int n, int c, int th, int tw) {
    try (NDManager m = manager.newSubManager()) {
      NDArray x = m.create(in, new Shape(n, c, th, tw));
      NDArray p = probabilities(net, x);
      if (options.flipTta()) {
        p = p.add(Ops.flip(probabilities(net, Ops.flip(x, 3)), 3));
        p = p.add(Ops.flip(probabilities(net, Ops.flip(x, 2)), 2));
        p = p.add(Ops.flip(probabilities(net, Ops.flip(x, 2, 3)), 2, 3));
        p = p.div(4f);
      }
      return p.toFloatArray();
    }
  }

  private static NDArray probabilities(Network net, NDArray x) {
    NDArray logits = net.logits(x);
    if (net.classes() == 1) {
      NDArray fg = logits.getNDArrayInternal().sigmoid();
      return fg.neg().add(1f).concat(fg, 1);
    }
    return logits.softmax(1);
  }

  @Test
  void rowMadeOutputsEqualTheWholeImageOnes() throws Exception {
    int h = 37;
    int w = 53;
    for (int channels : new int[] {1, 3}) {
      float[] planes = new float[channels * h * w];
      for (int i = 0; i < planes.length; i++) {
        planes[i] = (float) ((Math.sin(i * 0.13) + 1) / 2 * 1.05 - 0.02);
      }
      Sample display = new Sample("d", channels, h, w, planes, null);
      for (int classes : new int[] {2, 5}) {
        int[] mask = new int[h * w];
        byte[] bytes = new byte[h * w];
        float[] probs = new float[classes * h * w];
        for (int i = 0; i < mask.length; i++) {
          mask[i] = (i * 7 / 3) % classes;
          bytes[i] = (byte) mask[i];
          probs[mask[i] * h * w + i] = (i % 11) / 10f;
        }
        PredictionMaps p = new PredictionMaps(classes, h, w, probs, mask);
        IntFunction<float[]> rows =
            y -> {
              float[] r = new float[channels * w];
              for (int c = 0; c < channels; c++) {
                System.arraycopy(planes, (c * h + y) * w, r, c * w, w);
              }
              return r;
            };
        String what = channels + " channel(s), " + classes + " classes";
        assertSame(Outputs.indexMask(p), Outputs.indexMask(w, h, bytes), what + " mask");
        assertSame(
            Outputs.viewableMask(p), Outputs.viewableMask(w, h, bytes, classes), what + " view");
        assertSame(
            Outputs.overlay(display, mask, classes, 0.4),
            Outputs.overlay(w, h, bytes, classes, 0.4, channels, rows),
            what + " overlay");
        assertSame(
            Outputs.cutout(display, mask),
            Outputs.cutout(w, h, bytes, channels, rows),
            what + " cutout");
        byte[] prob1 = new byte[h * w];
        for (int i = 0; i < prob1.length; i++) {
          prob1[i] = (byte) Outputs.probabilityByte(probs[h * w + i]);
        }
        assertSame(Outputs.probability(p, 1), Outputs.probability(w, h, prob1), what + " prob");
        // and through the PNG writer, row by row
        Path f = tmp.resolve(channels + "_" + classes + ".png");
        ImageIo.writeRendered(
            Outputs.overlay(w, h, bytes, classes, 0.4, channels, rows), f, Provenance.PREDICTION);
        assertThat(Provenance.of(f)).isEqualTo(Provenance.PREDICTION);
        RawImage back = ImageIo.read(f);
        assertThat(back.data())
            .as(what + " overlay PNG")
            .isEqualTo(Outputs.overlay(display, mask, classes, 0.4).data());
        Path v = tmp.resolve(channels + "_" + classes + "_view.png");
        ImageIo.writeRendered(Outputs.viewableMask(w, h, bytes, classes), v, null);
        RawImage view = ImageIo.read(v);
        RawImage wantView = Outputs.viewableMask(p);
        assertThat(view.data()).as(what + " view PNG").isEqualTo(wantView.data());
        assertThat(view.isPalette()).isEqualTo(wantView.isPalette());
      }
    }
  }

  private static void assertSame(RawImage want, RowImage got, String what) {
    Raster r = got.getData();
    int[] px = r.getPixels(0, 0, got.getWidth(), got.getHeight(), (int[]) null);
    assertThat(px).as(what).isEqualTo(want.data());
    Raster band = got.getData(new Rectangle(3, 5, 10, 7));
    int[] part = band.getPixels(3, 5, 10, 7, (int[]) null);
    int ch = want.channels();
    for (int y = 0; y < 7; y++) {
      for (int x = 0; x < 10 * ch; x++) {
        assertThat(part[y * 10 * ch + x])
            .as(what + " part")
            .isEqualTo(want.data()[((5 + y) * want.width() + 3) * ch + x]);
      }
    }
  }
}
