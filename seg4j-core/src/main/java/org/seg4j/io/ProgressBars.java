package org.seg4j.io;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars on stderr that never leave a message on their line. A bar renders with a carriage
 * return and no newline; it ends its line when it closes, but a bar whose last render failed (an
 * out-of-memory error on the render thread) does not, and the error printed next would follow the
 * bar on the same line. {@link #endLine} ends a line a bar left open.
 */
public final class ProgressBars {
  private static final AtomicBoolean OPEN = new AtomicBoolean();

  private ProgressBars() {}

  /** A bar named {@code task} over {@code max} steps, ASCII style, on the current stderr. */
  public static ProgressBarBuilder builder(String task, long max) {
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(max)
        .setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new LineConsumer(System.err));
  }

  /** Ends the line a bar left open on stderr, if any, so that the next message starts a line. */
  public static void endLine(PrintWriter err) {
    if (OPEN.getAndSet(false)) {
      err.println();
      err.flush();
    }
  }

  /** The console consumer, remembering whether its last output left the line open. */
  private static final class LineConsumer extends ConsoleProgressBarConsumer {
    LineConsumer(PrintStream out) {
      super(out);
    }

    @Override
    public void accept(String rendered) {
      super.accept(rendered);
      OPEN.set(true);
    }

    @Override
    public void close() {
      super.close();
      OPEN.set(false);
    }
  }
}
