package org.seg4j.train;

/**
 * What may differ when a run is resumed, since neither changes what the run computes beyond its
 * length: a new total of epochs ({@link RunExtension}) and a progress bar switched off.
 *
 * @param epochs the new {@code train.epochs} total, or null to keep the run's
 * @param noProgress no progress bar this time (not written to config.yml)
 */
public record ResumeOptions(Integer epochs, boolean noProgress) {
  /** Resume as configured. */
  public static final ResumeOptions NONE = new ResumeOptions(null, false);
}
