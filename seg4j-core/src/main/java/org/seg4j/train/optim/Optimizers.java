package org.seg4j.train.optim;

import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seg4j.run.TrainConfig;

/**
 * Optimisers by name, like {@link org.seg4j.loss.Losses}: each entry builds its optimiser from the
 * run config's {@code optimizer.*} keys. A new optimiser registers here, one line.
 */
public final class Optimizers {
  /** Builds an optimiser over a state_dict from the config's {@code optimizer.*} keys. */
  @FunctionalInterface
  public interface Factory {
    /** The optimiser for {@code stateDict}'s trainable entries. */
    Optimizer create(TrainConfig c, Map<String, Parameter> stateDict);
  }

  private static final Map<String, Factory> REGISTRY = new LinkedHashMap<>();

  static {
    REGISTRY.put("adam", (c, p) -> adam(c, p, false));
    REGISTRY.put("adamw", (c, p) -> adam(c, p, true));
    REGISTRY.put(
        "sgd",
        (c, p) ->
            new Sgd(
                p,
                (float) c.optimizer().lr(),
                (float) c.optimizer().momentum(),
                (float) c.optimizer().weightDecay(),
                c.optimizer().nesterov()));
  }

  private Optimizers() {}

  /** The valid names, in registration order. */
  public static List<String> names() {
    return List.copyOf(REGISTRY.keySet());
  }

  /** The factory registered as {@code name}, or null when there is none. */
  public static Factory get(String name) {
    return REGISTRY.get(name);
  }

  /** Adam, or AdamW's decoupled weight decay, from lr, betas, eps and weight_decay. */
  private static Adam adam(TrainConfig c, Map<String, Parameter> stateDict, boolean decoupled) {
    double[] betas = c.optimizer().betas();
    if (betas == null || betas.length != 2) {
      throw new IllegalArgumentException(
          "config key 'optimizer.betas' must be two numbers, e.g. [0.9, 0.999]");
    }
    return new Adam(
        stateDict,
        (float) c.optimizer().lr(),
        (float) betas[0],
        (float) betas[1],
        (float) c.optimizer().eps(),
        (float) c.optimizer().weightDecay(),
        decoupled);
  }
}
