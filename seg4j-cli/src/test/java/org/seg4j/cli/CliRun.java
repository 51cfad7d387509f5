package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * One run of the CLI in this JVM with stdout and stderr captured, for tests.
 *
 * @param code the exit code
 * @param out what went to stdout
 * @param err what went to stderr
 */
record CliRun(int code, String out, String err) {
  /** Runs {@code seg4j args...}. */
  static CliRun of(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      code = Seg4j.execute(args);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return new CliRun(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
  }

  /** Runs {@code seg4j args...} and asserts it exits 0, with everything printed as the message. */
  static CliRun ok(String... args) {
    CliRun r = of(args);
    assertThat(r.code()).as(r.all()).isZero();
    return r;
  }

  /** Everything printed, for assertion messages. */
  String all() {
    return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
