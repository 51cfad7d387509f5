package org.seg4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Thin access to libtorch ops that DJL's NDArray API hides or gets wrong (flip, interpolate with
 * align_corners). Everything here is differentiable.
 */
public final class Ops {
  private Ops() {}

  static PtNDArray pt(NDArray a) {
    if (a instanceof PtNDArray) {
      return (PtNDArray) a;
    }
    NDManager m = a.getManager();
    return ((PtNDManager) m).from(a);
  }

  /**
   * A scalar as an array attached to {@code like}'s manager, for arithmetic on arrays that need a
   * gradient. DJL's {@code x.mul(2f)} makes the scalar a tensor over a Java buffer and releases it
   * at once, but autograd keeps that tensor for the backward pass: a garbage collection between
   * forward and backward then frees the buffer and the gradient reads garbage. An attached array
   * lives until its manager (the batch's) closes, after the step.
   */
  public static NDArray scalar(NDArray like, float value) {
    return like.getManager().create(value);
  }

  /** {@code torch.flip(x, dims)}. */
  public static NDArray flip(NDArray x, int... dims) {
    long[] d = new long[dims.length];
    for (int i = 0; i < dims.length; i++) {
      d[i] = dims[i];
    }
    return JniUtils.flip(pt(x), d);
  }

  /**
   * {@code F.interpolate(x, size=(h, w), mode='bilinear', align_corners=alignCorners)}.
   *
   * <p>align_corners=False uses libtorch's kernel. align_corners=True is composed from two
   * separable gathers and lerps, because the libtorch 2.7.1 kernel reached through DJL 0.35.1
   * computes it with the align_corners=False source index (checked against PyTorch fixtures).
   */
  public static NDArray bilinear(NDArray x, long h, long w, boolean alignCorners) {
    if (!alignCorners) {
      return JniUtils.interpolate(pt(x), new long[] {h, w}, 2, false);
    }
    return lerpAlignCorners(lerpAlignCorners(x, 2, h), 3, w);
  }

  /**
   * Linear interpolation along one axis of an NCHW tensor with align_corners=True, as one matrix
   * product with the {@code (in, out)} interpolation matrix (two non-zero weights, {@code 1 - λ}
   * and {@code λ}, per output index). One GEMM forward and one backward: gathering the two
   * neighbours by index instead made backward an accumulating {@code index_put_} over zeroed
   * buffers, a fifth of a 96² U-Net training step.
   */
  private static NDArray lerpAlignCorners(NDArray x, int axis, long out) {
    long in = x.getShape().get(axis);
    if (in == out) {
      return x;
    }
    float[] weights = new float[(int) (in * out)];
    // as PyTorch: scale = (in - 1) / (out - 1) in float, src = scale * dst
    float scale = out > 1 ? (float) (in - 1) / (float) (out - 1) : 0f;
    for (int d = 0; d < out; d++) {
      float src = scale * d;
      long lo = Math.min((long) src, in - 1);
      long hi = Math.min(lo + 1, in - 1);
      float frac = src - lo;
      weights[(int) (lo * out + d)] += 1f - frac;
      weights[(int) (hi * out + d)] += frac;
    }
    NDArray matrix = x.getManager().create(weights, new Shape(in, out));
    if (axis == 3) {
      return x.matMul(matrix);
    }
    return x.transpose(0, 1, 3, 2).matMul(matrix).transpose(0, 1, 3, 2);
  }

  /** {@code F.interpolate(x, size=(h, w), mode='nearest')}. */
  public static NDArray nearest(NDArray x, long h, long w) {
    return JniUtils.interpolate(pt(x), new long[] {h, w}, 0, false);
  }
}
