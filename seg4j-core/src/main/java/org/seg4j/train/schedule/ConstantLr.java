package org.seg4j.train.schedule;

/** A fixed learning rate. */
public record ConstantLr(double base) implements LrSchedule {
  @Override
  public double lr(int epoch) {
    return base;
  }
}
