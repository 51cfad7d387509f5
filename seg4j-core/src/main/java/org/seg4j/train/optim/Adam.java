package org.seg4j.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Map;

/**
 * {@code torch.optim.Adam} and {@code AdamW}, step for step: L2 weight decay added to the gradient
 * (Adam) or decoupled decay of the weight (AdamW), bias-corrected moments and PyTorch's placement
 * of epsilon ({@code sqrt(v)/sqrt(bc2) + eps}). Bias correction counts each parameter's own steps,
 * as torch does, so a parameter released after frozen steps starts at step 1.
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

  /**
   * One libtorch call per tensor (DJL's fused {@code adamUpdate}: moments, square root and update
   * without Java-side temporaries). Its formula is {@code w -= c * m / (sqrt(v) + e)}; PyTorch's is
   * {@code w -= lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps)}, which is the same with {@code c =
   * lr*sqrt(bc2)/bc1} and {@code e = eps*sqrt(bc2)}. Decoupled decay scales the weight by {@code 1
   * - lr*wd} first, as {@code AdamW} does; L2 decay is added to the gradient.
   */
  @Override
  protected void update(String name, NDArray w, NDArray g) {
    float lr = lr();
    NDArray m = slot("exp_avg", name, w);
    NDArray v = slot("exp_avg_sq", name, w);
    long t = stepOf(name);
    double bc1 = 1 - Math.pow(beta1, t);
    double sqrtBc2 = Math.sqrt(1 - Math.pow(beta2, t));
    if (decoupled && weightDecay != 0f) {
      w.muli(1f - lr * weightDecay);
    }
    JniUtils.adamUpdate(
        (PtNDArray) w,
        (PtNDArray) g,
        (PtNDArray) m,
        (PtNDArray) v,
        1f,
        (float) (lr * sqrtBc2 / bc1),
        decoupled ? 0f : weightDecay,
        1f,
        -1f,
        beta1,
        beta2,
        (float) (eps * sqrtBc2),
        false);
  }
}
