package org.seg4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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

  /** {@code torch.flip(x, dims)}. */
  public static NDArray flip(NDArray x, int... dims) {
    long[] d = new long[dims.length];
    for (int i = 0; i < dims.length; i++) {
      d[i] = dims[i];
    }
    return JniUtils.flip(pt(x), d);
  }

  /** {@code F.interpolate(x, size=(h, w), mode='bilinear', align_corners=alignCorners)}. */
  public static NDArray bilinear(NDArray x, long h, long w, boolean alignCorners) {
    return JniUtils.interpolate(pt(x), new long[] {h, w}, 2, alignCorners);
  }

  /** {@code F.interpolate(x, size=(h, w), mode='nearest')}. */
  public static NDArray nearest(NDArray x, long h, long w) {
    return JniUtils.interpolate(pt(x), new long[] {h, w}, 0, false);
  }
}
