package org.seg4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.seg4j.data.DatasetException;
import org.seg4j.data.loader.LoaderException;
import org.seg4j.io.ProgressBars;
import org.seg4j.train.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns failures into a clear message and an exit code instead of a bare stack trace: user-facing
 * problems (bad input, bad files, a diverged run) print one line and exit 2; anything else prints
 * its type and message and exits 1. The config keys and parameters a library message names are put
 * as the failing command's flags ({@link Hints}). {@code SEG4J_DEBUG=1} adds the stack trace.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(
      Exception ex, CommandLine commandLine, ParseResult parseResult) {
    Throwable t = ex;
    while (t instanceof LoaderException && t.getCause() != null) {
      t = t.getCause();
    }
    boolean user =
        t instanceof IllegalArgumentException
            || t instanceof IOException
            || t instanceof UncheckedIOException
            || t instanceof DatasetException
            || t instanceof LoaderException // without a cause: samples that do not fit a batch
            || t instanceof TrainingDivergedException
            || t instanceof OutOfMemory;
    String msg =
        Hints.adapt(
            t.getMessage() == null ? t.toString() : t.getMessage(), commandLine.getCommandSpec());
    ProgressBars.endLine(commandLine.getErr());
    if (user) {
      commandLine.getErr().println("seg4j: error: " + msg);
    } else {
      commandLine
          .getErr()
          .println(
              "seg4j: unexpected "
                  + t.getClass().getSimpleName()
                  + ": "
                  + msg
                  + "\n(this is a bug in seg4j; rerun with SEG4J_DEBUG=1 for the stack trace)");
    }
    if (System.getenv("SEG4J_DEBUG") != null) {
      ex.printStackTrace(commandLine.getErr());
    }
    return user ? 2 : 1;
  }
}
