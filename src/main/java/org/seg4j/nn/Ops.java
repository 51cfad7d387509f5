package org.seg4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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
   * <p>libtorch's interpolate as DJL 0.35.1 calls it is wrong for {@code align_corners=True}: it
   * samples at {@code (k + ½)·s − ½} with {@code s = (in − 1)/(out − 1)} instead of {@code k·s}
   * (checked against PyTorch: 1×4 → 1×8 gives 0, 1/7, 4/7, 1, … instead of 0, 3/7, 6/7, …). So that
   * case is computed here, separably, from two gathers and a lerp per axis, as PyTorch's CPU kernel
   * does.
   */
  public static NDArray bilinear(NDArray x, long h, long w, boolean alignCorners) {
    if (alignCorners) {
      return lerpAlignCorners(lerpAlignCorners(x, 3, w), 2, h);
    }
    return JniUtils.interpolate(pt(x), new long[] {h, w}, 2, false);
  }

  /** Linear resampling of one axis to {@code out} samples with align_corners=True. */
  private static NDArray lerpAlignCorners(NDArray x, int axis, long out) {
    long in = x.getShape().get(axis);
    if (in == out) {
      return x;
    }
    float scale = out > 1 ? (float) (in - 1) / (float) (out - 1) : 0f;
    long[] i0 = new long[(int) out];
    long[] i1 = new long[(int) out];
    float[] lambda = new float[(int) out];
    for (int k = 0; k < out; k++) {
      float src = scale * k;
      i0[k] = Math.min((long) src, in - 1);
      i1[k] = i0[k] < in - 1 ? i0[k] + 1 : i0[k];
      lambda[k] = src - i0[k];
    }
    NDManager m = x.getManager();
    String sel = axis == 2 ? ":, :, {}" : ":, :, :, {}";
    NDArray a = x.get(new NDIndex(sel, m.create(i0)));
    NDArray b = x.get(new NDIndex(sel, m.create(i1)));
    Shape lamShape = axis == 2 ? new Shape(1, 1, out, 1) : new Shape(1, 1, 1, out);
    NDArray l1 = m.create(lambda, lamShape);
    NDArray l0 = l1.neg().add(1f);
    return a.mul(l0).add(b.mul(l1));
  }

  /** {@code F.interpolate(x, size=(h, w), mode='nearest')}. */
  public static NDArray nearest(NDArray x, long h, long w) {
    return JniUtils.interpolate(pt(x), new long[] {h, w}, 0, false);
  }
}
