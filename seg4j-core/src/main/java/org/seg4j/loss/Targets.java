package org.seg4j.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Turns raw targets into safe labels plus a validity mask, checking their values on the way. */
final class Targets {
  private Targets() {}

  /**
   * Targets prepared for a loss.
   *
   * @param labels multi-class: int64 {@code (N,H,W)} with ignored pixels set to 0; binary: float32
   *     {@code (N,H,W)} in [0,1] with ignored pixels set to 0
   * @param valid float32 {@code (N,H,W)}, 1 where the pixel counts, 0 where it is ignored
   */
  record Prepared(NDArray labels, NDArray valid) {
    /** Number of counted pixels, at least a tiny epsilon so an all-ignored batch gives 0. */
    NDArray count() {
      return valid.sum().maximum(1e-12f);
    }

    /** Mean of a per-pixel loss {@code (N,H,W)} over the counted pixels. */
    NDArray mean(NDArray perPixel) {
      return perPixel.mul(valid).sum().div(count());
    }
  }

  /** Class-index targets for logits {@code (N,K,H,W)}. */
  static Prepared classes(NDArray logits, NDArray target, int ignoreIndex) {
    long k = logits.getShape().get(1);
    checkShapes(logits, target);
    NDArray t = target.toType(DataType.INT64, false);
    NDArray ignored = t.eq(ignoreIndex);
    NDArray bad = t.lt(0).logicalOr(t.gte(k)).logicalAnd(ignored.logicalNot());
    if (bad.any().getBoolean()) {
      long value = t.booleanMask(bad).get(0).getLong();
      throw new IllegalArgumentException(
          "target holds class "
              + value
              + " but the model has "
              + k
              + " classes (0.."
              + (k - 1)
              + "); set the ignore index to "
              + value
              + " if it marks void pixels, or remap the mask values to class indices");
    }
    NDArray valid = ignored.logicalNot();
    return new Prepared(
        t.mul(valid.toType(DataType.INT64, false)), valid.toType(DataType.FLOAT32, false));
  }

  /** Binary targets for logits {@code (N,1,H,W)}. */
  static Prepared binary(NDArray logits, NDArray target, int ignoreIndex) {
    if (logits.getShape().get(1) != 1) {
      throw new IllegalArgumentException(
          "binary loss needs single-channel logits (N,1,H,W), got "
              + logits.getShape()
              + "; use the multi-class loss for K > 1 channels");
    }
    NDArray t = target.getShape().dimension() == 4 ? target.squeeze(1) : target;
    checkShapes(logits, t);
    if (t.getDataType().isFloating()) {
      NDArray y = t.toType(DataType.FLOAT32, false);
      if (y.lt(0).logicalOr(y.gt(1)).any().getBoolean()) {
        throw new IllegalArgumentException(
            "float binary target must lie in [0,1]; found values outside, e.g. "
                + y.booleanMask(y.lt(0).logicalOr(y.gt(1))).get(0).getFloat());
      }
      return new Prepared(y, y.onesLike());
    }
    NDArray ignored = t.eq(ignoreIndex);
    NDArray bad = t.neq(0).logicalAnd(t.neq(1)).logicalAnd(ignored.logicalNot());
    if (bad.any().getBoolean()) {
      long value = t.booleanMask(bad).get(0).toType(DataType.INT64, false).getLong();
      throw new IllegalArgumentException(
          "binary target holds "
              + value
              + " but must be 0 or 1; remap the mask (e.g. 255 -> 1) or set the ignore index to "
              + value);
    }
    NDArray valid = ignored.logicalNot().toType(DataType.FLOAT32, false);
    return new Prepared(t.toType(DataType.FLOAT32, false).mul(valid), valid);
  }

  private static void checkShapes(NDArray logits, NDArray target) {
    var ls = logits.getShape();
    var ts = target.getShape();
    if (ls.dimension() != 4
        || ts.dimension() != 3
        || ts.get(0) != ls.get(0)
        || ts.get(1) != ls.get(2)
        || ts.get(2) != ls.get(3)) {
      throw new IllegalArgumentException(
          "logits must be (N,K,H,W) and target (N,H,W) with the same N,H,W; got logits "
              + ls
              + " and target "
              + ts);
    }
  }
}
