package org.seg4j.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;

/**
 * Multi-class Lovász-softmax (Berman's {@code lovasz_softmax} applied to {@code softmax(logits)}):
 * per class, errors {@code |1[y=c] − p_c|} through the Lovász extension, averaged over the classes
 * present in the truth (default) or all classes; over the whole batch (default) or per image.
 * Ignored pixels are dropped.
 */
final class LovaszSoftmaxLoss implements SegLoss {
  private final boolean onlyPresent;
  private final boolean perImage;
  private final int ignoreIndex;

  /**
   * @param onlyPresent average over classes present in the truth ({@code classes='present'})
   * @param perImage compute per image and average, instead of over the flattened batch
   * @param ignoreIndex target value whose pixels are skipped
   */
  public LovaszSoftmaxLoss(boolean onlyPresent, boolean perImage, int ignoreIndex) {
    this.onlyPresent = onlyPresent;
    this.perImage = perImage;
    this.ignoreIndex = ignoreIndex;
  }

  @Override
  public NDArray compute(NDArray logits, NDArray target) {
    Targets.Prepared t = Targets.classes(logits, target, ignoreIndex);
    NDArray probs = logits.softmax(1);
    if (!perImage) {
      return flat(probs, t.labels(), t.valid());
    }
    return Lovasz.perImage(
        probs,
        i ->
            flat(
                probs.get(i).expandDims(0),
                t.labels().get(i).expandDims(0),
                t.valid().get(i).expandDims(0)));
  }

  /** probs (N,K,H,W), labels and valid (N,H,W). */
  private NDArray flat(NDArray probs, NDArray labels, NDArray valid) {
    NDArray keep = valid.reshape(-1).gt(0);
    NDArray ys = labels.reshape(-1).booleanMask(keep);
    long k = probs.getShape().get(1);
    List<NDArray> terms = new ArrayList<>();
    if (ys.getShape().get(0) > 0) {
      for (long c = 0; c < k; c++) {
        NDArray fg = ys.eq(c).toType(DataType.FLOAT32, false);
        if (onlyPresent && fg.sum().getFloat() == 0f) {
          continue;
        }
        NDArray pc = probs.get(":, {}", c).reshape(-1).booleanMask(keep);
        terms.add(Lovasz.extension(fg.sub(pc).abs(), fg));
      }
    }
    return Lovasz.mean(terms, probs);
  }

  @Override
  public String name() {
    return "lovasz-softmax";
  }
}
