package org.seg4j.io;

import java.nio.file.Path;

/**
 * A test hook, for the kill tests only: with {@code -Dseg4j.test.pauseAt=POINT} (or {@code
 * POINT:FILENAME}), the first time seg4j reaches that point (writing a file of that name) it prints
 * {@code seg4j-test-paused-at POINT FILE} on stdout and sleeps until it is killed, so a test can
 * {@code kill -9} it at exactly that moment. The points are {@code checkpoint-write} (half-way
 * through writing a safetensors file's temp file) and {@code log-append} (half-way through writing
 * {@code log.csv}'s temp file) and {@code mid-epoch} (after a training step, before the epoch's
 * end; named by the run's log.csv). When the property is unset it does nothing.
 */
public final class TestPause {
  /** The system property that names the point. */
  public static final String PROPERTY = "seg4j.test.pauseAt";

  /** The line printed before pausing. */
  public static final String MARKER = "seg4j-test-paused-at";

  private TestPause() {}

  /** Pauses for good when {@link #PROPERTY} names {@code point} (and {@code file}'s name). */
  public static void at(String point, Path file) {
    String want = System.getProperty(PROPERTY);
    if (want == null || want.isEmpty()) {
      return;
    }
    String name = file.getFileName().toString();
    if (!want.equals(point) && !want.equals(point + ":" + name)) {
      return;
    }
    System.out.println(MARKER + " " + point + " " + file);
    System.out.flush();
    while (true) {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
