package org.seg4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.seg4j.data.DatasetException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns user-facing failures (bad input, bad files) into one clear line and exit code 2, instead of
 * a stack trace. {@code SEG4J_DEBUG=1} prints the trace too.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(
      Exception ex, CommandLine commandLine, ParseResult parseResult) {
    boolean user =
        ex instanceof IllegalArgumentException
            || ex instanceof IOException
            || ex instanceof UncheckedIOException
            || ex instanceof DatasetException;
    commandLine.getErr().println("seg4j: error: " + ex.getMessage());
    if (!user || System.getenv("SEG4J_DEBUG") != null) {
      ex.printStackTrace(commandLine.getErr());
    }
    return user ? 2 : 1;
  }
}
