package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A background thread's failure prints no stack trace: an out-of-memory error (which the command
 * itself reports in one line) nothing, anything else one note naming the thread.
 */
class UncaughtTest {
  private static String printed(Throwable e) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      Seg4j.uncaught(new Thread(() -> {}, "ProgressBar"), e, err);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void outOfMemoryOnABackgroundThreadPrintsNothing() {
    assertThat(printed(new OutOfMemoryError("Java heap space"))).isEmpty();
  }

  @Test
  void anyOtherFailureIsOneNoteNamingTheThread() {
    assertThat(printed(new IllegalStateException("terminal closed")))
        .isEqualTo("seg4j: note: the background thread ProgressBar stopped: terminal closed\n");
  }
}
