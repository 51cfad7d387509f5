package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every command and subcommand, taken from picocli's own tree so that new ones are covered, prints
 * its usage for {@code --help} and exits 0; {@code seg4j help CMD} does the same.
 */
class HelpTest {
  /** The paths to every command, the root first: [], [info], ..., [dataset, check], ... */
  static Stream<List<String>> commands() {
    List<List<String>> out = new ArrayList<>();
    walk(new CommandLine(new Seg4j()), new ArrayList<>(), out);
    return out.stream();
  }

  private static void walk(CommandLine cl, List<String> path, List<List<String>> out) {
    out.add(List.copyOf(path));
    cl.getSubcommands()
        .forEach(
            (name, sub) -> {
              // aliases map to the same command: visit each command once, under its name
              if (name.equals(sub.getCommandName())) {
                List<String> p = new ArrayList<>(path);
                p.add(name);
                walk(sub, p, out);
              }
            });
  }

  @Test
  void theTreeHoldsTheKnownCommands() {
    List<String> names = commands().map(p -> String.join(" ", p)).toList();
    assertThat(names)
        .contains("", "eval", "predict", "train", "dataset", "dataset check", "help")
        .hasSizeGreaterThan(12);
  }

  @ParameterizedTest(name = "seg4j {0} --help")
  @MethodSource("commands")
  void helpFlagPrintsUsageAndExitsZero(List<String> path) {
    List<String> args = new ArrayList<>(path);
    args.add("--help");
    CliRun r = CliRun.ok(args.toArray(String[]::new));
    String usage = "Usage: " + String.join(" ", prefixed(path));
    assertThat(r.out()).as(r.all()).contains(usage).contains("-h, --help");
    assertThat(r.err()).as(r.all()).doesNotContain("Missing required").doesNotContain("error");
  }

  @ParameterizedTest(name = "seg4j help {0}")
  @MethodSource("commands")
  void helpCommandPrintsTheSameUsage(List<String> path) {
    if (path.isEmpty() || path.size() > 1) {
      return; // `seg4j help CMD` names top-level commands; `seg4j dataset help check` below
    }
    CliRun viaCommand = CliRun.of("help", path.get(0));
    CliRun viaFlag = CliRun.of(path.get(0), "--help");
    assertThat(viaCommand.code()).as(viaCommand.all()).isZero();
    assertThat(viaCommand.out()).isEqualTo(viaFlag.out());
  }

  @Test
  void evalHelpNamesItsModes() {
    CliRun r = CliRun.ok("eval", "--help");
    assertThat(r.out()).contains("Usage: seg4j eval").contains("--run");
    CliRun nested = CliRun.ok("dataset", "help", "check");
    assertThat(nested.out()).contains("Usage: seg4j dataset check");
  }

  private static List<String> prefixed(List<String> path) {
    List<String> p = new ArrayList<>();
    p.add("seg4j");
    p.addAll(path);
    return p;
  }
}
