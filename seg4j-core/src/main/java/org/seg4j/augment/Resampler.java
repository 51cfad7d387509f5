package org.seg4j.augment;

import java.util.Arrays;
import org.seg4j.data.Sample;

/**
 * The one warp behind every geometric transform: each output pixel reads the image at a source
 * position (bilinear, bicubic or nearest) and the mask at the nearest source pixel. A pixel whose
 * nearest source pixel lies outside the input is void: image 0 in every channel, mask {@code
 * ignoreIndex}. Image and mask therefore always agree on which pixels are void. Integral affine
 * maps (flips, rot90, integer shifts and crops) take an exact index-copy path.
 */
final class Resampler {
  /** Keys' cubic convolution parameter, as in OpenCV and PyTorch. */
  static final double CUBIC_A = -0.75;

  private Resampler() {}

  /** Warps {@code s} into an {@code outH x outW} sample through the inverse map {@code inv}. */
  public static Sample affine(
      Sample s, int outH, int outW, Affine inv, Interpolation interp, int ignoreIndex) {
    Output out = new Output(s, outH, outW, ignoreIndex);
    if (inv.isIntegral()) {
      copyIntegral(s, inv, out);
      return out.toSample();
    }
    float[] sx = new float[outW];
    float[] sy = new float[outW];
    for (int y = 0; y < outH; y++) {
      for (int x = 0; x < outW; x++) {
        sx[x] = (float) inv.sourceX(x, y);
        sy[x] = (float) inv.sourceY(x, y);
      }
      sampleRow(s, y, sx, sy, 0, interp, out);
    }
    return out.toSample();
  }

  /**
   * Warps {@code s} through a dense map: output pixel i = y * outW + x reads source position
   * ({@code mapX[i]}, {@code mapY[i]}).
   */
  public static Sample remap(
      Sample s,
      int outH,
      int outW,
      float[] mapX,
      float[] mapY,
      Interpolation interp,
      int ignoreIndex) {
    if (mapX.length != outH * outW || mapY.length != outH * outW) {
      throw new IllegalArgumentException(
          "remap: maps hold "
              + mapX.length
              + "/"
              + mapY.length
              + " values for "
              + outH
              + "x"
              + outW);
    }
    Output out = new Output(s, outH, outW, ignoreIndex);
    for (int y = 0; y < outH; y++) {
      sampleRow(s, y, mapX, mapY, y * outW, interp, out);
    }
    return out.toSample();
  }

  /** Cubic convolution weights for the 4 neighbours at fractional offset {@code t} in [0, 1). */
  static void cubicWeights(double t, double[] w) {
    double a = CUBIC_A;
    double t1 = t + 1;
    double u = 1 - t;
    double u1 = u + 1;
    w[0] = ((a * t1 - 5 * a) * t1 + 8 * a) * t1 - 4 * a;
    w[1] = ((a + 2) * t - (a + 3)) * t * t + 1;
    w[2] = ((a + 2) * u - (a + 3)) * u * u + 1;
    w[3] = ((a * u1 - 5 * a) * u1 + 8 * a) * u1 - 4 * a;
  }

  private static void copyIntegral(Sample s, Affine inv, Output out) {
    int w = s.width();
    int h = s.height();
    int plane = out.height * out.width;
    int srcPlane = h * w;
    long a = (long) inv.a();
    long b = (long) inv.b();
    long d = (long) inv.d();
    long e = (long) inv.e();
    for (int y = 0; y < out.height; y++) {
      long sx = b * y + (long) inv.c();
      long sy = e * y + (long) inv.f();
      for (int x = 0; x < out.width; x++, sx += a, sy += d) {
        if (sx < 0 || sy < 0 || sx >= w || sy >= h) {
          continue;
        }
        int o = y * out.width + x;
        int src = (int) sy * w + (int) sx;
        if (out.mask != null) {
          out.mask[o] = s.mask()[src];
        }
        for (int c = 0; c < s.channels(); c++) {
          out.image[c * plane + o] = s.image()[c * srcPlane + src];
        }
      }
    }
  }

  private static void sampleRow(
      Sample s, int y, float[] mapX, float[] mapY, int offset, Interpolation interp, Output out) {
    int w = s.width();
    int h = s.height();
    int plane = out.height * out.width;
    int srcPlane = h * w;
    float[] img = s.image();
    double[] wx = new double[4];
    double[] wy = new double[4];
    for (int x = 0; x < out.width; x++) {
      float fx = mapX[offset + x];
      float fy = mapY[offset + x];
      int nx = (int) Math.floor(fx + 0.5f);
      int ny = (int) Math.floor(fy + 0.5f);
      if (nx < 0 || ny < 0 || nx >= w || ny >= h) {
        continue;
      }
      int o = y * out.width + x;
      if (out.mask != null) {
        out.mask[o] = s.mask()[ny * w + nx];
      }
      switch (interp) {
        case NEAREST -> {
          for (int c = 0; c < s.channels(); c++) {
            out.image[c * plane + o] = img[c * srcPlane + ny * w + nx];
          }
        }
        case BILINEAR -> {
          int x0 = (int) Math.floor(fx);
          int y0 = (int) Math.floor(fy);
          float tx = fx - x0;
          float ty = fy - y0;
          int xa = clamp(x0, w);
          int xb = clamp(x0 + 1, w);
          int ya = clamp(y0, h) * w;
          int yb = clamp(y0 + 1, h) * w;
          for (int c = 0; c < s.channels(); c++) {
            int base = c * srcPlane;
            float top = img[base + ya + xa] + tx * (img[base + ya + xb] - img[base + ya + xa]);
            float bot = img[base + yb + xa] + tx * (img[base + yb + xb] - img[base + yb + xa]);
            out.image[c * plane + o] = top + ty * (bot - top);
          }
        }
        case BICUBIC -> {
          int x0 = (int) Math.floor(fx);
          int y0 = (int) Math.floor(fy);
          cubicWeights(fx - x0, wx);
          cubicWeights(fy - y0, wy);
          for (int c = 0; c < s.channels(); c++) {
            int base = c * srcPlane;
            double sum = 0;
            for (int j = 0; j < 4; j++) {
              int row = base + clamp(y0 - 1 + j, h) * w;
              double r = 0;
              for (int i = 0; i < 4; i++) {
                r += wx[i] * img[row + clamp(x0 - 1 + i, w)];
              }
              sum += wy[j] * r;
            }
            out.image[c * plane + o] = (float) sum;
          }
        }
      }
    }
  }

  private static int clamp(int v, int n) {
    return v < 0 ? 0 : (v >= n ? n - 1 : v);
  }

  /** The output arrays, pre-filled with the void values. */
  private static final class Output {
    final Sample src;
    final int height;
    final int width;
    final float[] image;
    final int[] mask;

    Output(Sample src, int height, int width, int ignoreIndex) {
      if (height <= 0 || width <= 0) {
        throw new IllegalArgumentException(
            src.id() + ": output size must be positive, got " + height + "x" + width);
      }
      this.src = src;
      this.height = height;
      this.width = width;
      this.image = new float[src.channels() * height * width];
      if (src.mask() != null) {
        this.mask = new int[height * width];
        Arrays.fill(mask, ignoreIndex);
      } else {
        this.mask = null;
      }
    }

    Sample toSample() {
      return new Sample(src.id(), src.channels(), height, width, image, mask);
    }
  }
}
