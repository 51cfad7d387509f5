package org.seg4j.nn;

import ai.djl.ndarray.NDArray;

/**
 * PyTorch's {@code nn.Upsample(scale_factor=s, mode='bilinear', align_corners=...)} (or 'nearest'),
 * sized exactly like {@code floor(side * s)}.
 */
public final class Upsample extends TorchBlock {
  /** The interpolation kernel. */
  public enum Mode {
    BILINEAR,
    NEAREST
  }

  private final int scale;
  private final Mode mode;
  private final boolean alignCorners;

  /** Up-samples by an integer {@code scale}. */
  public Upsample(int scale, Mode mode, boolean alignCorners) {
    this.scale = scale;
    this.mode = mode;
    this.alignCorners = alignCorners;
  }

  /** Bilinear ×{@code scale}. */
  public static Upsample bilinear(int scale, boolean alignCorners) {
    return new Upsample(scale, Mode.BILINEAR, alignCorners);
  }

  /** The integer scale factor. */
  public int scale() {
    return scale;
  }

  /** The interpolation kernel. */
  public Mode mode() {
    return mode;
  }

  /** Whether bilinear aligns the corner pixels. */
  public boolean alignCorners() {
    return alignCorners;
  }

  @Override
  public NDArray forward(NDArray x, boolean training) {
    long h = x.getShape().get(2) * scale;
    long w = x.getShape().get(3) * scale;
    return resize(x, h, w);
  }

  /** Resizes to an explicit size with this block's mode. */
  public NDArray resize(NDArray x, long h, long w) {
    return mode == Mode.NEAREST ? Ops.nearest(x, h, w) : Ops.bilinear(x, h, w, alignCorners);
  }
}
