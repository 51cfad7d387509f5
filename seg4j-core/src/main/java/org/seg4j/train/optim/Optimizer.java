package org.seg4j.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.Map;
import org.seg4j.io.SafeTensors.Tensor;

/**
 * An optimiser over named parameters that computes exactly what its PyTorch twin computes and keeps
 * its state (moments, step count) in named tensors, so a run can be resumed bit for bit.
 */
public abstract class Optimizer {
  /** The parameters by state_dict name (only those that require gradients). */
  protected final Map<String, Parameter> params = new LinkedHashMap<>();

  /** The per-parameter state tensors by name, e.g. {@code exp_avg/down.0.0.weight}. */
  protected final Map<String, NDArray> state = new LinkedHashMap<>();

  /** Steps taken so far. */
  protected long step;

  /**
   * Per parameter, the steps it sat out (frozen, or no gradient). PyTorch counts Adam's steps per
   * parameter, so an encoder released after frozen epochs starts its bias correction afresh.
   */
  private final Map<String, Long> skipped = new LinkedHashMap<>();

  private float lr;

  /** Tracks the trainable entries of a state_dict. */
  protected Optimizer(Map<String, Parameter> stateDict, float lr) {
    stateDict.forEach(
        (k, p) -> {
          if (p.requiresGradient()) {
            params.put(k, p);
          }
        });
    this.lr = lr;
  }

  /** The current learning rate. */
  public float lr() {
    return lr;
  }

  /** Sets the learning rate (schedules call this before each step). */
  public void setLr(float lr) {
    this.lr = lr;
  }

  /** Steps taken so far. */
  public long steps() {
    return step;
  }

  /** Applies one update from the gradients accumulated by backward, then zeroes them. */
  public final void step() {
    step++;
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      NDArray w = e.getValue().getArray();
      if (!e.getValue().requiresGradient() || !w.hasGradient()) {
        skipped.merge(
            e.getKey(), 1L, Long::sum); // frozen (e.g. an encoder during its frozen epochs)
        continue;
      }
      try (NDArray g = w.getGradient()) {
        update(e.getKey(), w, g);
      }
      JniUtils.zeroGrad((PtNDArray) w);
    }
  }

  /** The steps that updated parameter {@code name}: its own step count, as PyTorch keeps it. */
  protected long stepOf(String name) {
    return step - skipped.getOrDefault(name, 0L);
  }

  /** Updates one weight in place from its gradient; temporaries must be closed by the caller. */
  protected abstract void update(String name, NDArray weight, NDArray grad);

  /** A state tensor, created as zeros like {@code like} the first time. */
  protected NDArray slot(String kind, String name, NDArray like) {
    return state.computeIfAbsent(kind + "/" + name, k -> like.zerosLike());
  }

  /** The global L2 norm of all gradients, for clipping; 0 when there are none. */
  public double gradNorm() {
    double sum = 0;
    for (Parameter p : params.values()) {
      NDArray w = p.getArray();
      if (w.hasGradient()) {
        try (NDArray g = w.getGradient();
            NDArray sq = g.square();
            NDArray s = sq.sum()) {
          sum += s.getFloat();
        }
      }
    }
    return Math.sqrt(sum);
  }

  /** The largest weight magnitude over all parameters (NaN when a weight is NaN). */
  public double maxAbsWeight() {
    double max = 0;
    for (Parameter p : params.values()) {
      try (NDArray a = p.getArray().abs();
          NDArray m = a.max()) {
        float v = m.getFloat();
        if (Float.isNaN(v)) {
          return Double.NaN;
        }
        max = Math.max(max, v);
      }
    }
    return max;
  }

  /** Scales all gradients so their global norm is at most {@code maxNorm}; returns the norm. */
  public double clipGradNorm(double maxNorm) {
    double norm = gradNorm();
    double coef = maxNorm / (norm + 1e-6);
    if (coef < 1) {
      for (Parameter p : params.values()) {
        NDArray w = p.getArray();
        if (w.hasGradient()) {
          try (NDArray g = w.getGradient()) {
            g.muli((float) coef);
          }
        }
      }
    }
    return norm;
  }

  /**
   * The state as tensors (for checkpoints), including the step count and, for parameters that sat
   * out steps, {@code skipped/NAME}.
   */
  public Map<String, Tensor> exportState() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    out.put("step", Tensor.ofLongs(new long[0], new long[] {step}));
    skipped.forEach((k, v) -> out.put("skipped/" + k, Tensor.ofLongs(new long[0], new long[] {v})));
    state.forEach((k, v) -> out.put(k, Tensor.ofFloats(v.getShape().getShape(), v.toFloatArray())));
    return out;
  }

  /** Restores state written by {@link #exportState()}. */
  public void importState(Map<String, Tensor> tensors) {
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      if (e.getKey().equals("step")) {
        step = e.getValue().toLongs()[0];
        continue;
      }
      String name = e.getKey().substring(e.getKey().indexOf('/') + 1);
      Parameter p = params.get(name);
      if (p == null) {
        throw new IllegalArgumentException(
            "optimizer state names parameter '" + name + "' that the model does not have");
      }
      if (e.getKey().startsWith("skipped/")) {
        skipped.put(name, e.getValue().toLongs()[0]);
        continue;
      }
      NDArray a = p.getArray().getManager().create(e.getValue().toFloats(), p.getShape());
      NDArray old = state.put(e.getKey(), a);
      if (old != null) {
        old.close();
      }
    }
  }
}
