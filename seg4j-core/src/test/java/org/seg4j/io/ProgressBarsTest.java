package org.seg4j.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import me.tongfei.progressbar.ProgressBar;
import org.junit.jupiter.api.Test;

/** A message printed after a bar starts its own line, whether or not the bar ended it. */
class ProgressBarsTest {
  @Test
  void aLineLeftOpenByABarIsEndedOnceAndAClosedBarLeavesNothingToEnd() throws Exception {
    PrintStream saved = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
      ProgressBar bar = ProgressBars.builder("job", 10).build();
      bar.stepTo(4);
      bar.refresh();
      String rendered = buf.toString(StandardCharsets.UTF_8);
      assertThat(rendered).contains("job").doesNotEndWith("\n");

      StringWriter w = new StringWriter();
      ProgressBars.endLine(new PrintWriter(w));
      assertThat(w.toString()).isEqualTo(System.lineSeparator());
      StringWriter again = new StringWriter();
      ProgressBars.endLine(new PrintWriter(again));
      assertThat(again.toString()).as("the line is ended once").isEmpty();

      bar.close();
      assertThat(buf.toString(StandardCharsets.UTF_8)).endsWith("\n");
      StringWriter after = new StringWriter();
      ProgressBars.endLine(new PrintWriter(after));
      assertThat(after.toString()).as("a closed bar ended its own line").isEmpty();
    } finally {
      System.setErr(saved);
    }
  }
}
