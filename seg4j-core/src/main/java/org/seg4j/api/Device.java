package org.seg4j.api;

import java.util.Locale;

/** Where a model runs: the GPU when libtorch sees one, else the CPU ({@code AUTO}), or either. */
public enum Device {
  /** The GPU when libtorch sees one, else the CPU. */
  AUTO,
  /** The CPU. */
  CPU,
  /** The GPU; loading fails with a clear message when none is visible. */
  GPU;

  /** The name the configuration uses ({@code auto}, {@code cpu}, {@code gpu}). */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
