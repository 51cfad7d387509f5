package org.seg4j.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.Map;

/**
 * {@code torch.optim.SGD} with momentum (dampening 0), Nesterov and L2 weight decay, step for step:
 * the first step seeds the momentum buffer with the gradient, as PyTorch does.
 */
public final class Sgd extends Optimizer {
  private final float momentum;
  private final float weightDecay;
  private final boolean nesterov;

  /** SGD with the given momentum (0 for none), weight decay and Nesterov switch. */
  public Sgd(
      Map<String, Parameter> stateDict,
      float lr,
      float momentum,
      float weightDecay,
      boolean nesterov) {
    super(stateDict, lr);
    if (momentum < 0f || momentum >= 1f) {
      throw new IllegalArgumentException(
          "SGD momentum " + momentum + " must be in [0, 1): e.g. 0.9 or 0.99");
    }
    if (nesterov && momentum == 0f) {
      throw new IllegalArgumentException("Nesterov SGD needs momentum > 0: e.g. momentum 0.9");
    }
    this.momentum = momentum;
    this.weightDecay = weightDecay;
    this.nesterov = nesterov;
  }

  /**
   * PyTorch's order of operations ({@code d = g + wd·w}; {@code buf = m·buf + d}, seeded with
   * {@code d}; Nesterov {@code d + m·buf}; {@code w -= lr·d}), without copying the gradient or the
   * buffer: each step allocates only the decayed gradient and the scaled update.
   */
  @Override
  protected void update(String name, NDArray w, NDArray g) {
    NDArray own = null;
    try {
      NDArray d = g;
      if (weightDecay != 0f) {
        try (NDArray wd = w.mul(weightDecay)) {
          own = g.add(wd);
        }
        d = own;
      }
      if (momentum != 0f) {
        String key = "momentum_buffer/" + name;
        NDArray buf = state.get(key);
        if (buf == null) {
          buf = d.duplicate();
          state.put(key, buf);
        } else {
          buf.muli(momentum).addi(d);
        }
        if (nesterov) {
          try (NDArray mb = buf.mul(momentum)) {
            if (own == null) {
              own = g.add(mb);
            } else {
              own.addi(mb);
            }
          }
          d = own;
        } else {
          d = buf;
        }
      }
      try (NDArray step = d.mul(lr())) {
        w.subi(step);
      }
    } finally {
      if (own != null) {
        own.close();
      }
    }
  }
}
