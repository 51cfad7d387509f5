package org.seg4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * PyTorch's {@code nn.Dropout2d(p)}: in training, zeroes whole channels with probability p and
 * scales the kept ones by 1/(1−p); in eval it is the identity.
 */
public final class Dropout2d extends TorchBlock {
  private final float p;

  /** Drops each channel with probability {@code p} in [0, 1). */
  public Dropout2d(float p) {
    if (p < 0f || p >= 1f) {
      throw new IllegalArgumentException(
          "Dropout2d: p=" + p + " must be in [0, 1): use e.g. 0.1 to 0.5, or 0 to disable");
    }
    this.p = p;
  }

  @Override
  public NDArray forward(NDArray x, boolean training) {
    if (!training || p == 0f) {
      return x;
    }
    Shape s = x.getShape();
    NDArray keep =
        x.getManager()
            .randomUniform(0f, 1f, new Shape(s.get(0), s.get(1), 1, 1))
            .gte(p)
            .toType(DataType.FLOAT32, false);
    return apply(x, keep);
  }

  /** Applies a given keep mask of shape (N, C, 1, 1) with values 0/1, scaled by 1/(1−p). */
  public NDArray apply(NDArray x, NDArray keepMask) {
    return x.mul(keepMask.div(1f - p));
  }
}
