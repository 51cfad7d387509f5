package org.seg4j.train.schedule;

/** {@code torch.optim.lr_scheduler.StepLR}: ×gamma every {@code stepSize} epochs. */
record StepLr(double base, int stepSize, double gamma) implements LrSchedule {
  /** Validates the step. */
  public StepLr {
    if (stepSize < 1) {
      throw new IllegalArgumentException("step schedule: step_size " + stepSize + " must be >= 1");
    }
  }

  @Override
  public double lr(int epoch) {
    return base * Math.pow(gamma, epoch / stepSize);
  }
}
