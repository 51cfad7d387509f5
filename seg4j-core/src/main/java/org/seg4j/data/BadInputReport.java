package org.seg4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Handles bad input by policy: with {@code skipBad} off it throws a {@link DatasetException}, with
 * it on it records the problem and the caller skips the file. Thread-safe.
 */
final class BadInputReport {
  private final boolean skipBad;
  private final List<Problem> skipped = new ArrayList<>();

  /** A report that throws on bad input (skipBad false) or records it (skipBad true). */
  public BadInputReport(boolean skipBad) {
    this.skipBad = skipBad;
  }

  /** Whether bad files are skipped rather than fatal. */
  public boolean skipBad() {
    return skipBad;
  }

  /**
   * Throws the problem, or records it when skipping is on and the problem concerns one file.
   *
   * @throws DatasetException unless the problem was recorded as skipped
   */
  public void handle(Problem problem) {
    if (!skipBad || !problem.kind().perFile()) {
      throw new DatasetException(problem);
    }
    synchronized (skipped) {
      skipped.add(problem);
    }
  }

  /** The problems skipped so far. */
  public List<Problem> skipped() {
    synchronized (skipped) {
      return List.copyOf(skipped);
    }
  }

  /** A plain-text list of the skipped files, one per line, relative to root. */
  public String toText(Path root) {
    StringBuilder sb = new StringBuilder();
    for (Problem p : skipped()) {
      sb.append("  skipped: ").append(p.message(root)).append('\n');
    }
    return sb.toString();
  }
}
