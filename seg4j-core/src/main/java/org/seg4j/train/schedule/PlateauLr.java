package org.seg4j.train.schedule;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ReduceLROnPlateau(mode='max', threshold_mode='rel')}: ×factor after {@code patience}
 * epochs without a relative improvement of {@code threshold}, then {@code cooldown} epochs of rest,
 * never below {@code minLr}. Its counters are saved for resume.
 */
public final class PlateauLr implements LrSchedule {
  private final double factor;
  private final int patience;
  private final double threshold;
  private final int cooldown;
  private final double minLr;
  private double current;
  private double best = Double.NEGATIVE_INFINITY;
  private int bad;
  private int cooldownLeft;

  /** A plateau schedule on a metric to maximise (e.g. validation mIoU). */
  public PlateauLr(
      double base, double factor, int patience, double threshold, int cooldown, double minLr) {
    this.current = base;
    this.factor = factor;
    this.patience = patience;
    this.threshold = threshold;
    this.cooldown = cooldown;
    this.minLr = minLr;
  }

  @Override
  public double lr(int epoch) {
    return current;
  }

  @Override
  public void observe(int epoch, double metric) {
    if (metric > best * (1 + threshold) || best == Double.NEGATIVE_INFINITY) {
      best = metric;
      bad = 0;
    } else {
      bad++;
    }
    if (cooldownLeft > 0) {
      cooldownLeft--;
      bad = 0;
    }
    if (bad > patience) {
      current = Math.max(minLr, current * factor);
      cooldownLeft = cooldown;
      bad = 0;
    }
  }

  @Override
  public Map<String, Double> state() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("current", current);
    m.put("best", best);
    m.put("bad", (double) bad);
    m.put("cooldown_left", (double) cooldownLeft);
    return m;
  }

  @Override
  public void rebase(double ratio) {
    current = Math.max(minLr, current * ratio);
  }

  @Override
  public void restore(Map<String, Double> s) {
    current = s.getOrDefault("current", current);
    best = s.getOrDefault("best", best);
    bad = s.getOrDefault("bad", 0.0).intValue();
    cooldownLeft = s.getOrDefault("cooldown_left", 0.0).intValue();
  }
}
