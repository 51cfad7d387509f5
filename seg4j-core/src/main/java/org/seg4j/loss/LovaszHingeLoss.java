package org.seg4j.loss;

import static org.seg4j.nn.Ops.scalar;

import ai.djl.ndarray.NDArray;

/**
 * Binary Lovász hinge on a single-channel head (Berman's {@code lovasz_hinge}): errors {@code 1 −
 * x·(2y−1)}, ReLU, then the Lovász extension; per image and averaged (default, as the reference),
 * or over the whole batch at once. Ignored pixels are dropped.
 */
final class LovaszHingeLoss implements SegLoss {
  private final boolean perImage;
  private final int ignoreIndex;

  /**
   * @param perImage compute per image and average (true) or over the flattened batch (false)
   * @param ignoreIndex target value whose pixels are skipped
   */
  public LovaszHingeLoss(boolean perImage, int ignoreIndex) {
    this.perImage = perImage;
    this.ignoreIndex = ignoreIndex;
  }

  @Override
  public NDArray compute(NDArray logits, NDArray target) {
    Targets.Prepared t = Targets.binary(logits, target, ignoreIndex);
    NDArray x = logits.squeeze(1);
    if (!perImage) {
      return flat(x, t.labels(), t.valid());
    }
    return Lovasz.perImage(x, i -> flat(x.get(i), t.labels().get(i), t.valid().get(i)));
  }

  private static NDArray flat(NDArray x, NDArray y, NDArray valid) {
    NDArray keep = valid.reshape(-1).gt(0);
    NDArray xs = x.reshape(-1).booleanMask(keep);
    NDArray ys = y.reshape(-1).booleanMask(keep);
    if (ys.getShape().get(0) == 0) {
      return x.sum().mul(scalar(x, 0f));
    }
    NDArray errors = ys.mul(2f).sub(1f).mul(xs).neg().add(1f);
    // relu is monotone, so sorting relu(errors) orders the positive errors as the reference does
    return Lovasz.extension(errors.getNDArrayInternal().relu(), ys);
  }

  @Override
  public String name() {
    return "lovasz";
  }
}
