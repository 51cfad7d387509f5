package org.seg4j.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seg4j.augment.AugmentConfig;
import org.seg4j.loss.Losses;
import org.seg4j.model.ModelRegistry;
import org.seg4j.train.optim.Optimizers;
import org.seg4j.train.schedule.Schedules;

/**
 * What seg4j knows by name: architectures, losses, optimizers, learning-rate schedules and
 * augmentation transforms, each list in the order {@code seg4j models} and {@code --help} show it.
 * These are the values {@link Training.Builder} takes.
 */
public final class Registries {
  private Registries() {}

  /** Architecture names with their one-line descriptions. */
  public static Map<String, String> models() {
    Map<String, String> out = new LinkedHashMap<>();
    ModelRegistry.entries().forEach((name, e) -> out.put(name, e.description()));
    return out;
  }

  /** Loss names; {@code +} joins two into a weighted sum, e.g. {@code ce+dice}. */
  public static List<String> losses() {
    return Losses.names();
  }

  /** Optimizer names. */
  public static List<String> optimizers() {
    return Optimizers.names();
  }

  /** Learning-rate schedule names. */
  public static List<String> schedules() {
    return Schedules.names();
  }

  /** Augmentation transform types of the {@code augment} list. */
  public static List<String> transforms() {
    return AugmentConfig.types();
  }
}
