package org.seg4j.train.schedule;

/** {@code CosineAnnealingLR(T_max, eta_min)} in its closed form. */
public record CosineLr(double base, int tMax, double etaMin) implements LrSchedule {
  @Override
  public double lr(int epoch) {
    int e = Math.min(epoch, tMax);
    return etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * e / tMax)) / 2;
  }
}
