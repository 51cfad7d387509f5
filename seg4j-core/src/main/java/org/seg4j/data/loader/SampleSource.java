package org.seg4j.data.loader;

import org.seg4j.data.Sample;

/** Random access to decoded samples, the minimal view of a dataset that the loader needs. */
public interface SampleSource {
  /** Number of samples. */
  int size();

  /** Decodes sample {@code index} (0-based); called from worker threads, so must be thread-safe. */
  Sample get(int index);

  /** A name for sample {@code index} used in error messages, without decoding it. */
  default String id(int index) {
    return "#" + index;
  }
}
