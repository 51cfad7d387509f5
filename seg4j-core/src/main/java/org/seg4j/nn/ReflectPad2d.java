package org.seg4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;

/**
 * PyTorch's {@code nn.ReflectionPad2d(p)}: mirror padding without repeating the edge, built from
 * slices, flips and concat (DJL's PyTorch engine has no reflect pad).
 */
final class ReflectPad2d extends TorchBlock {
  private final int padding;

  /** Pads every side by {@code padding} pixels. */
  public ReflectPad2d(int padding) {
    this.padding = padding;
  }

  @Override
  public NDArray forward(NDArray x, boolean training) {
    return pad(x, padding);
  }

  /** Reflect-pads the last two axes of an NCHW tensor by {@code p} on every side. */
  public static NDArray pad(NDArray x, int p) {
    if (p == 0) {
      return x;
    }
    long h = x.getShape().get(2);
    long w = x.getShape().get(3);
    if (p >= h || p >= w) {
      throw new IllegalArgumentException(
          "reflect padding "
              + p
              + " needs a side larger than "
              + p
              + ", but the input is "
              + h
              + "x"
              + w
              + ": use a larger input or padding_mode zeros");
    }
    NDArray top = Ops.flip(x.get(new NDIndex(":, :, 1:{}, :", p + 1)), 2);
    NDArray bottom = Ops.flip(x.get(new NDIndex(":, :, {}:{}, :", h - p - 1, h - 1)), 2);
    NDArray rows = NDArrays.concat(new NDList(top, x, bottom), 2);
    NDArray left = Ops.flip(rows.get(new NDIndex(":, :, :, 1:{}", p + 1)), 3);
    NDArray right = Ops.flip(rows.get(new NDIndex(":, :, :, {}:{}", w - p - 1, w - 1)), 3);
    return NDArrays.concat(new NDList(left, rows, right), 3);
  }
}
