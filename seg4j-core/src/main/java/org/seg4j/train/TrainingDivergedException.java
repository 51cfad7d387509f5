package org.seg4j.train;

/** The loss became NaN or infinite; the message names the epoch, batch and what to change. */
public class TrainingDivergedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** A message naming the epoch, batch and the last good checkpoint. */
  public TrainingDivergedException(String message) {
    super(message);
  }
}
