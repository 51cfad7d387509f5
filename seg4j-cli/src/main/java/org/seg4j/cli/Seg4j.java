package org.seg4j.cli;

import java.io.PrintStream;
import org.seg4j.engine.NativeMemory;
import org.seg4j.engine.Offline;
import org.seg4j.io.ProgressBars;
import org.seg4j.io.Provenance;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code seg4j} command: semantic segmentation on the JVM, offline. */
@Command(
    name = "seg4j",
    mixinStandardHelpOptions = true,
    version = "seg4j " + Provenance.VERSION,
    description =
        "Semantic segmentation on the JVM (U-Net family, FCN) with DJL + libtorch, offline.",
    subcommands = {
      InfoCommand.class,
      ModelsCommand.class,
      BenchCommand.class,
      DemoCommand.class,
      TrainCommand.class,
      ImportCommand.class,
      PredictCommand.class,
      EvalCommand.class,
      ServeCommand.class,
      ExportCommand.class,
      DatasetCommand.class,
      SplitCommand.class,
      AugmentCommand.class,
      BenchLoaderCommand.class,
      BenchServeCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Seg4j implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Entry point: sets the offline switches before anything can load DJL. */
  public static void main(String[] args) {
    Offline.ensure();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught(t, e, System.err));
    System.exit(execute(args));
  }

  /**
   * A background thread's failure (e.g. the progress bar's timer when the heap runs out): never the
   * JVM's stack trace. An {@link OutOfMemoryError} prints nothing, since the command reports it in
   * its own one line naming what ran out and the fix; anything else is one note naming the thread.
   */
  static void uncaught(Thread t, Throwable e, PrintStream err) {
    if (!(e instanceof OutOfMemoryError)) {
      err.println(
          "seg4j: note: the background thread " + t.getName() + " stopped: " + e.getMessage());
    }
  }

  /** Runs the CLI and returns the exit code (used by tests). */
  public static int execute(String... args) {
    Offline.ensure();
    NativeMemory.configure();
    CommandLine cl = new CommandLine(new Seg4j());
    cl.setExecutionExceptionHandler(new ErrorHandler());
    cl.getSubcommands()
        .get("models")
        .getCommandSpec()
        .usageMessage()
        .footer(ModelsCommand.optionsHelp());
    cl.getSubcommands()
        .get("augment")
        .getCommandSpec()
        .usageMessage()
        .footer(AugmentCommand.transformsHelp());
    try {
      return cl.execute(args);
    } catch (OutOfMemoryError e) {
      // picocli hands only Exceptions to the ErrorHandler; an Error ends up here
      ProgressBars.endLine(cl.getErr());
      cl.getErr().println("seg4j: error: " + OutOfMemory.of(command(cl), e).getMessage());
      cl.getErr().flush();
      return 2;
    }
  }

  /** The subcommand that ran, e.g. {@code dataset check}, or "" when none was parsed. */
  private static String command(CommandLine cl) {
    StringBuilder sb = new StringBuilder();
    CommandLine.ParseResult pr = cl.getParseResult();
    while (pr != null && pr.hasSubcommand()) {
      pr = pr.subcommand();
      sb.append(sb.length() == 0 ? "" : " ").append(pr.commandSpec().name());
    }
    return sb.toString();
  }
}
