package org.seg4j.loss;

import static org.seg4j.nn.Ops.scalar;

import ai.djl.ndarray.NDArray;

/**
 * Focal loss (Lin et al. 2017), averaged over the non-ignored pixels.
 *
 * <ul>
 *   <li>Multi-class logits (N,K,H,W): {@code −α[y]·(1−p_y)^γ·log p_y} with {@code p = softmax};
 *       {@code α} has one entry per class (null = all 1), as in kornia's focal loss.
 *   <li>Binary logits (N,1,H,W): {@code α_t·(1−p_t)^γ·BCE(x,y)} with {@code p_t = exp(−BCE)}; a
 *       single {@code α} means {@code α_t = α} for y=1 and {@code 1−α} for y=0 (smp's {@code
 *       focal_loss_with_logits}), two values give {@code α_t = α[y]}.
 * </ul>
 *
 * The mean is a plain mean over counted pixels, not normalised by α.
 */
final class FocalLoss implements SegLoss {
  private final float gamma;
  private final float[] alpha;
  private final int ignoreIndex;

  /**
   * @param gamma focusing parameter γ (2 is the usual choice; 0 gives (weighted) cross-entropy)
   * @param alpha per-class balance α, or null for none
   * @param ignoreIndex target value whose pixels are skipped
   */
  public FocalLoss(double gamma, float[] alpha, int ignoreIndex) {
    if (gamma < 0) {
      throw new IllegalArgumentException("focal gamma must be >= 0, got " + gamma);
    }
    this.gamma = (float) gamma;
    this.alpha = alpha == null ? null : alpha.clone();
    this.ignoreIndex = ignoreIndex;
  }

  @Override
  public NDArray compute(NDArray logits, NDArray target) {
    return logits.getShape().get(1) == 1 ? binary(logits, target) : multiClass(logits, target);
  }

  private NDArray multiClass(NDArray logits, NDArray target) {
    Targets.Prepared t = Targets.classes(logits, target, ignoreIndex);
    NDArray logp = logits.logSoftmax(1).gather(t.labels().expandDims(1), 1).squeeze(1);
    NDArray loss = modulation(logp.exp()).mul(logp).neg();
    if (alpha != null) {
      loss = loss.mul(ClassWeights.perPixel(alpha, logits, t));
    }
    return t.mean(loss);
  }

  private NDArray binary(NDArray logits, NDArray target) {
    Targets.Prepared t = Targets.binary(logits, target, ignoreIndex);
    NDArray y = t.labels();
    NDArray logpt = BceWithLogitsLoss.perPixel(logits.squeeze(1), y, 1f);
    NDArray loss = modulation(logpt.neg().exp()).mul(logpt);
    if (alpha != null) {
      float pos;
      float neg;
      if (alpha.length == 1) {
        pos = alpha[0];
        neg = 1f - alpha[0];
      } else if (alpha.length == 2) {
        neg = alpha[0];
        pos = alpha[1];
      } else {
        throw new IllegalArgumentException(
            "binary focal alpha takes 1 value (positive class) or 2 (per class), got "
                + alpha.length);
      }
      loss = loss.mul(y.mul(pos - neg).add(neg));
    }
    return t.mean(loss);
  }

  /** {@code (1 − p)^γ}. */
  private NDArray modulation(NDArray p) {
    NDArray q = p.neg().add(1f);
    return gamma == 0f ? q.onesLike() : q.pow(scalar(q, gamma));
  }

  @Override
  public String name() {
    return "focal";
  }
}
