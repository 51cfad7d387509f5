package org.seg4j.train.schedule;

/** A fixed learning rate. */
record ConstantLr(double base) implements LrSchedule {
  @Override
  public double lr(int epoch) {
    return base;
  }
}
