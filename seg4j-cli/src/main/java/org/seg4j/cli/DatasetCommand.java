package org.seg4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code seg4j dataset}: the dataset tools (only {@code check} so far). */
@Command(
    mixinStandardHelpOptions = true,
    name = "dataset",
    description = "Dataset tools.",
    subcommands = {DatasetCheckCommand.class, CommandLine.HelpCommand.class})
final class DatasetCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
