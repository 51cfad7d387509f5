package org.seg4j.loss;

import static org.seg4j.nn.Ops.scalar;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The shared core of the Lovász losses (Berman et al. 2018, {@code lovasz_losses.py}): sort the
 * errors in decreasing order and take their dot product with the gradient of the Lovász extension
 * of the Jaccard loss. The sort is an argsort on detached errors followed by a gather, so gradients
 * flow to the errors.
 */
final class Lovasz {
  private Lovasz() {}

  /**
   * @param errors per-pixel errors (P,), differentiable
   * @param truth 0/1 float (P,) foreground indicator
   * @return {@code dot(errors_sorted, lovasz_grad(truth_sorted))}, scalar
   */
  static NDArray extension(NDArray errors, NDArray truth) {
    NDArray perm = errors.stopGradient().argSort(0, false);
    NDArray sortedErrors = errors.gather(perm, 0);
    NDArray sortedTruth = truth.gather(perm, 0);
    return sortedErrors.mul(grad(sortedTruth)).sum();
  }

  /** Berman's {@code lovasz_grad}: the Jaccard loss increments along the sorted order. */
  static NDArray grad(NDArray gtSorted) {
    NDArray gts = gtSorted.sum();
    NDArray intersection = gts.sub(gtSorted.cumSum(0));
    NDArray union = gts.add(gtSorted.neg().add(1f).cumSum(0));
    NDArray jaccard = intersection.div(union).neg().add(1f);
    long p = jaccard.getShape().get(0);
    if (p <= 1) {
      return jaccard;
    }
    NDArray shifted =
        NDArrays.concat(new NDList(jaccard.get("0:1").zerosLike(), jaccard.get(":-1")));
    return jaccard.sub(shifted);
  }

  /** Mean of per-image or per-class terms, as Berman's {@code mean(...)}. */
  static NDArray mean(List<NDArray> terms, NDArray zeroLike) {
    if (terms.isEmpty()) {
      return zeroLike.sum().mul(scalar(zeroLike, 0f));
    }
    NDArray total = terms.get(0);
    for (int i = 1; i < terms.size(); i++) {
      total = total.add(terms.get(i));
    }
    return total.div(scalar(total, terms.size()));
  }

  /** Mean over the batch of {@code term(i)}, one term per image (Berman's {@code per_image}). */
  static NDArray perImage(NDArray batch, LongFunction<NDArray> term) {
    List<NDArray> terms = new ArrayList<>();
    for (long i = 0; i < batch.getShape().get(0); i++) {
      terms.add(term.apply(i));
    }
    return mean(terms, batch);
  }
}
