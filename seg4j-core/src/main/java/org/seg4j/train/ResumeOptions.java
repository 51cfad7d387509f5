package org.seg4j.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What may differ when a run is resumed ({@link RunExtension}): a new total of epochs, keys of
 * {@link RunExtension#MAY_CHANGE} (the learning rate, early stop, the save policy, ...), and a
 * progress bar switched off.
 *
 * @param epochs the new {@code train.epochs} total, or null to keep the run's
 * @param noProgress no progress bar this time (not written to config.yml)
 * @param changes config keys to change for the rest of the run, key to YAML value, in the order
 *     given; each must be one of {@link RunExtension#MAY_CHANGE}
 */
public record ResumeOptions(Integer epochs, boolean noProgress, Map<String, String> changes) {
  /** Resume as configured. */
  public static final ResumeOptions NONE = new ResumeOptions(null, false, Map.of());

  /** The config keys a resumed run may change, each with what it changes. */
  public static Map<String, String> changeable() {
    return RunExtension.MAY_CHANGE;
  }

  /** Copies {@code changes}. */
  public ResumeOptions {
    changes = Collections.unmodifiableMap(new LinkedHashMap<>(changes));
  }
}
