package org.seg4j.train.schedule;

import java.util.List;

/** {@code MultiStepLR}: ×gamma at each milestone epoch. */
record MultiStepLr(double base, List<Integer> milestones, double gamma) implements LrSchedule {
  @Override
  public double lr(int epoch) {
    long passed = milestones.stream().filter(m -> m <= epoch).count();
    return base * Math.pow(gamma, passed);
  }
}
