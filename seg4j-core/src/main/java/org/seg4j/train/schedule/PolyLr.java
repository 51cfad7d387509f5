package org.seg4j.train.schedule;

/** Poly decay as in DeepLab/MMSeg: base·(1 − epoch/maxEpochs)^power, floored at minLr. */
record PolyLr(double base, int maxEpochs, double power, double minLr) implements LrSchedule {
  @Override
  public double lr(int epoch) {
    double f = Math.max(0, 1 - (double) epoch / maxEpochs);
    return Math.max(minLr, (base - minLr) * Math.pow(f, power) + minLr);
  }
}
