package org.seg4j.cli;

import java.util.concurrent.Callable;
import org.seg4j.data.CheckReport;
import org.seg4j.data.DatasetCheck;
import org.seg4j.data.DatasetException;
import org.seg4j.data.FileDataset;
import org.seg4j.data.Problem;
import org.seg4j.data.ProblemKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code seg4j dataset check}: opens every image and mask once and prints what it found; exits 1
 * when anything is wrong with the data (2 for a wrong option).
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "check",
    description =
        "Open every image and mask once and report pairing, sizes, channels, mask values, class"
            + " pixels and suggested weights, and every problem with its file and fix."
            + " Exits 1 when a problem is found.")
final class DatasetCheckCommand implements Callable<Integer> {
  @Mixin DatasetOptions data;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    FileDataset ds;
    try {
      ds = data.open();
    } catch (DatasetException e) {
      if (e.problems().stream().anyMatch(p -> p.kind() == ProblemKind.CONFIG)) {
        throw e;
      }
      System.out.println("Dataset: " + data.data.toAbsolutePath().normalize());
      System.out.println("Problems (" + e.problems().size() + "):");
      for (Problem p : e.problems()) {
        System.out.println("  " + Hints.adapt(p.message(data.data), spec));
      }
      System.out.println("FAILED while opening the dataset");
      return 1;
    }
    CheckReport report = DatasetCheck.run(ds);
    System.out.print(Hints.adapt(report.toText(), spec));
    return report.ok() ? 0 : 1;
  }
}
