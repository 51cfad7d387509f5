package org.seg4j.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.Map;

/**
 * {@code torch.optim.Adam} and {@code AdamW}, step for step: L2 weight decay added to the gradient
 * (Adam) or decoupled decay of the weight (AdamW), bias-corrected moments and PyTorch's placement
 * of epsilon ({@code sqrt(v)/sqrt(bc2) + eps}).
 */
public final class Adam extends Optimizer {
  private final float beta1;
  private final float beta2;
  private final float eps;
  private final float weightDecay;
  private final boolean decoupled;

  /** Adam (decoupled=false) or AdamW (decoupled=true). */
  public Adam(
      Map<String, Parameter> stateDict,
      float lr,
      float beta1,
      float beta2,
      float eps,
      float weightDecay,
      boolean decoupled) {
    super(stateDict, lr);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.decoupled = decoupled;
  }

  /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. */
  public static Adam of(Map<String, Parameter> stateDict, float lr) {
    return new Adam(stateDict, lr, 0.9f, 0.999f, 1e-8f, 0f, false);
  }

  @Override
  protected void update(String name, NDArray w, NDArray g) {
    float lr = lr();
    NDArray grad = g;
    NDArray decayed = null;
    if (weightDecay != 0f) {
      if (decoupled) {
        w.muli(1f - lr * weightDecay);
      } else {
        try (NDArray wd = w.mul(weightDecay)) {
          decayed = g.add(wd);
        }
        grad = decayed;
      }
    }
    NDArray m = slot("exp_avg", name, w);
    NDArray v = slot("exp_avg_sq", name, w);
    double bc1 = 1 - Math.pow(beta1, step);
    double bc2 = 1 - Math.pow(beta2, step);
    try (NDArray gm = grad.mul(1f - beta1);
        NDArray g2 = grad.mul(grad).muli(1f - beta2)) {
      m.muli(beta1).addi(gm);
      v.muli(beta2).addi(g2);
    }
    try (NDArray denom = v.sqrt().divi((float) Math.sqrt(bc2)).addi(eps);
        NDArray upd = m.div(denom).muli((float) (lr / bc1))) {
      w.subi(upd);
    }
    if (decayed != null) {
      decayed.close();
    }
  }
}
