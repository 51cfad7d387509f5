package org.seg4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;

/** PyTorch's {@code nn.MaxPool2d(kernel, stride, ceil_mode)} with no padding. */
public final class MaxPool2d extends TorchBlock {
  private final int kernel;
  private final int stride;
  private final boolean ceil;

  /** A max pool of the given kernel and stride. */
  public MaxPool2d(int kernel, int stride, boolean ceilMode) {
    this.kernel = kernel;
    this.stride = stride;
    this.ceil = ceilMode;
  }

  /** {@code nn.MaxPool2d(2)}. */
  public MaxPool2d() {
    this(2, 2, false);
  }

  /** The kernel side. */
  public int kernel() {
    return kernel;
  }

  /** The stride. */
  public int stride() {
    return stride;
  }

  /** Whether the output side rounds up. */
  public boolean ceilMode() {
    return ceil;
  }

  @Override
  public NDArray forward(NDArray x, boolean training) {
    return Pool.maxPool2d(
        x, new Shape(kernel, kernel), new Shape(stride, stride), new Shape(0, 0), ceil);
  }
}
