package org.seg4j.train.schedule;

import java.util.Map;

/**
 * Linear warm-up in front of any schedule: over the first {@code epochs} epochs the rate rises from
 * {@code startFactor}·lr to lr, per iteration ({@link #lr(int, double)}).
 */
public record Warmup(LrSchedule inner, int epochs, double startFactor) implements LrSchedule {
  @Override
  public double lr(int epoch) {
    return lr(epoch, 0);
  }

  /** The rate at a point inside an epoch ({@code fraction} in [0, 1)). */
  public double lr(int epoch, double fraction) {
    double l = inner.lr(epoch);
    double e = epoch + fraction;
    if (epochs <= 0 || e >= epochs) {
      return l;
    }
    return l * (startFactor + (1 - startFactor) * e / epochs);
  }

  @Override
  public void observe(int epoch, double metric) {
    inner.observe(epoch, metric);
  }

  @Override
  public Map<String, Double> state() {
    return inner.state();
  }

  @Override
  public void rebase(double ratio) {
    inner.rebase(ratio);
  }

  @Override
  public void restore(Map<String, Double> state) {
    inner.restore(state);
  }
}
