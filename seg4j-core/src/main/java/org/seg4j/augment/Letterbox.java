package org.seg4j.augment;

import org.seg4j.data.Sample;

/**
 * Fits a {@code srcH x srcW} image into the model's {@code dstH x dstW} input: scaled by {@code
 * scaleY, scaleX} into an {@code innerH x innerW} area placed at ({@code padTop, padLeft}), the
 * rest void. With {@code keepAspect} both scales are equal up to rounding the inner area to whole
 * pixels (letterbox); without it the image is stretched (plain resize, no padding). {@link
 * #invertMask} and {@link #invertProbabilities} map a prediction back to the original size with the
 * exact inverse of the same map.
 */
public record Letterbox(
    int srcH, int srcW, int dstH, int dstW, int innerH, int innerW, int padTop, int padLeft) {

  /** Checks the sizes. */
  public Letterbox {
    if (srcH <= 0 || srcW <= 0 || innerH <= 0 || innerW <= 0) {
      throw new IllegalArgumentException(
          "letterbox: sizes must be positive, got "
              + srcH
              + "x"
              + srcW
              + " -> "
              + innerH
              + "x"
              + innerW);
    }
    if (padTop < 0 || padLeft < 0 || padTop + innerH > dstH || padLeft + innerW > dstW) {
      throw new IllegalArgumentException(
          "letterbox: inner area "
              + innerH
              + "x"
              + innerW
              + " at ("
              + padTop
              + ", "
              + padLeft
              + ") does not fit "
              + dstH
              + "x"
              + dstW);
    }
  }

  /** Plans the fit of a {@code srcH x srcW} image into {@code dstH x dstW}. */
  public static Letterbox of(int srcH, int srcW, int dstH, int dstW, boolean keepAspect) {
    if (!keepAspect) {
      return new Letterbox(srcH, srcW, dstH, dstW, dstH, dstW, 0, 0);
    }
    double s = Math.min((double) dstH / srcH, (double) dstW / srcW);
    int ih = Math.max(1, Math.min(dstH, (int) Math.round(srcH * s)));
    int iw = Math.max(1, Math.min(dstW, (int) Math.round(srcW * s)));
    return new Letterbox(srcH, srcW, dstH, dstW, ih, iw, (dstH - ih) / 2, (dstW - iw) / 2);
  }

  /** Vertical scale factor innerH / srcH. */
  public double scaleY() {
    return (double) innerH / srcH;
  }

  /** Horizontal scale factor innerW / srcW. */
  public double scaleX() {
    return (double) innerW / srcW;
  }

  /** Inverse map used forwards: letterboxed pixel to original position. */
  public Affine toSource() {
    double ix = 1 / scaleX();
    double iy = 1 / scaleY();
    return new Affine(ix, 0, (0.5 - padLeft) * ix - 0.5, 0, iy, (0.5 - padTop) * iy - 0.5);
  }

  /** Inverse map used backwards: original pixel to letterboxed position. */
  public Affine toLetterboxed() {
    double sx = scaleX();
    double sy = scaleY();
    return new Affine(sx, 0, 0.5 * sx - 0.5 + padLeft, 0, sy, 0.5 * sy - 0.5 + padTop);
  }

  /** Letterboxes {@code s} (image with {@code interp}, mask nearest, padding void). */
  public Sample apply(Sample s, Interpolation interp, int ignoreIndex) {
    if (s.height() != srcH || s.width() != srcW) {
      throw new IllegalArgumentException(
          s.id()
              + ": letterbox planned for "
              + srcH
              + "x"
              + srcW
              + " but the sample is "
              + s.height()
              + "x"
              + s.width());
    }
    return Resampler.affine(s, dstH, dstW, toSource(), interp, ignoreIndex);
  }

  /** Maps a {@code dstH x dstW} class map back to {@code srcH x srcW} (nearest). */
  public int[] invertMask(int[] prediction) {
    Sample p = new Sample("prediction", 0, dstH, dstW, new float[0], prediction);
    return Resampler.affine(p, srcH, srcW, toLetterboxed(), Interpolation.NEAREST, -1).mask();
  }

  /** Maps {@code channels x dstH x dstW} probabilities back to {@code srcH x srcW} (bilinear). */
  public float[] invertProbabilities(float[] probabilities, int channels) {
    Sample p = new Sample("probabilities", channels, dstH, dstW, probabilities, null);
    return Resampler.affine(p, srcH, srcW, toLetterboxed(), Interpolation.BILINEAR, -1).image();
  }
}
