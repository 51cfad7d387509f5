package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.seg4j.io.ImageIo;

/**
 * The shared checks of the hostile-input tests (issue 9): a failing command prints one line that
 * names what it must name, no stack trace, and leaves nothing truncated under a final name. Each
 * class of failure has its own parameterised test built on these checks and on {@link
 * HostileCorpus}.
 */
final class Hostile {
  private Hostile() {}

  /**
   * Asserts {@code r} failed as a user error (exit 2) with exactly one {@code seg4j: error:} line
   * that contains every one of {@code named}, and nothing that looks like a stack trace.
   */
  static void oneLineError(CliRun r, String... named) {
    assertThat(r.code()).as(r.all()).isEqualTo(2);
    noStackTrace(r);
    // the error starts its own line, even after a progress bar (ProgressBars.endLine)
    List<String> errors = r.err().lines().filter(l -> l.startsWith("seg4j: error:")).toList();
    assertThat(r.err().lines().filter(l -> l.contains("seg4j: error:")))
        .as(r.all())
        .hasSameSizeAs(errors);
    assertThat(errors).as(r.all()).hasSize(1);
    for (String n : named) {
      assertThat(errors.get(0)).as(r.all()).contains(n);
    }
  }

  /** Asserts nothing printed looks like a Java stack trace or a raw exception name. */
  static void noStackTrace(CliRun r) {
    assertThat(r.all())
        .doesNotContain("\tat ")
        .doesNotContain("at org.")
        .doesNotContain("at java.")
        .doesNotContain("Exception:")
        .doesNotContain("this is a bug in seg4j");
  }

  /**
   * Asserts every PNG under {@code dir} decodes in full and no temp file ({@code .*.tmp}) is left:
   * nothing truncated sits under a final name.
   */
  static void nothingTruncated(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String name = p.getFileName().toString();
        assertThat(name).as("temp file left: " + p).doesNotEndWith(".tmp");
        if (name.endsWith(".png")) {
          try {
            ImageIo.read(p);
          } catch (IOException | RuntimeException e) {
            throw new AssertionError("truncated or unreadable under a final name: " + p, e);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
