package org.seg4j.train.schedule;

import java.util.Map;

/**
 * A learning-rate schedule over epochs, stepped like PyTorch's per-epoch schedulers: {@link
 * #lr(int)} gives the rate for a 0-based epoch. Stateful schedules (plateau) learn from {@link
 * #observe} and save that state for an exact resume.
 */
public interface LrSchedule {
  /** The learning rate for the 0-based epoch. */
  double lr(int epoch);

  /** Reports the validation metric at the end of an epoch (only plateau uses it). */
  default void observe(int epoch, double metric) {}

  /** State needed to resume; empty for stateless schedules. */
  default Map<String, Double> state() {
    return Map.of();
  }

  /** Restores {@link #state()}. */
  default void restore(Map<String, Double> state) {}

  /**
   * Scales a rate the schedule keeps in its state by {@code ratio}, when a resumed run changes the
   * base rate (stateless schedules read the new base from the config and need nothing).
   */
  default void rebase(double ratio) {}
}
