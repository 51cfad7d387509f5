package org.seg4j.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.seg4j.engine.Engines;
import org.seg4j.model.ModelConfig;
import org.seg4j.model.ModelOption;
import org.seg4j.model.ModelRegistry;
import org.seg4j.model.SegModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seg4j models}: the registered architectures with their parameter counts; with {@code
 * --arch} one architecture built with its {@code -O} options, followed by the options it knows.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "models",
    description = {
      "List the architectures with their parameter counts.",
      "With --arch NAME, build that one (with its -O options) and list its options."
    })
final class ModelsCommand implements Callable<Integer> {
  @Option(names = "--arch", description = "only this architecture, with its options listed")
  String arch;

  @Option(names = "--in-channels", defaultValue = "1", description = "input channels")
  int inChannels;

  @Option(names = "--classes", defaultValue = "2", description = "output classes")
  int classes;

  @Option(
      names = "--base",
      description = "base width for all (default: each architecture's usual width)")
  Integer base;

  @Option(
      names = {"-O", "--model-opt"},
      description = "architecture option key=value (needs --arch), e.g. -O depth=3")
  Map<String, String> options = new LinkedHashMap<>();

  /** The options of every architecture, for the help's footer. */
  static String optionsHelp() {
    StringBuilder sb =
        new StringBuilder(
            "%nArchitecture options (-O key=value; model.options in a config), as key=default"
                + " (values); seg4j models --arch NAME says what each does:%n");
    Map<List<ModelOption>, List<String>> groups = new LinkedHashMap<>();
    for (ModelRegistry.Entry e : ModelRegistry.entries().values()) {
      groups.computeIfAbsent(e.options(), k -> new ArrayList<>()).add(e.name());
    }
    groups.forEach(
        (opts, archs) ->
            sb.append("  ")
                .append(String.join(", ", archs))
                .append(": ")
                .append(
                    String.join(
                        ", ",
                        opts.stream()
                            .map(o -> o.name() + "=" + o.defaultValue() + " (" + o.allowed() + ")")
                            .toList()))
                .append("%n"));
    return sb.toString();
  }

  private static String lines(Collection<ModelOption> opts) {
    StringBuilder sb = new StringBuilder();
    for (ModelOption o : opts) {
      sb.append(
          String.format(
              "  %-16s %-10s %-27s %s%n", o.name(), o.defaultValue(), o.allowed(), o.doc()));
    }
    return sb.toString();
  }

  @Override
  public Integer call() {
    if (arch == null && !options.isEmpty()) {
      throw new IllegalArgumentException(
          "-O needs --arch: each architecture has options of its own (seg4j models --help"
              + " lists them), e.g. seg4j models --arch unet -O depth=3");
    }
    List<ModelRegistry.Entry> entries =
        arch == null
            ? List.copyOf(ModelRegistry.entries().values())
            : List.of(ModelRegistry.entry(arch));
    Engines.pytorch();
    List<String> rows = new ArrayList<>();
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      for (ModelRegistry.Entry e : entries) {
        int b = base != null ? base : usualBase(e.name());
        SegModel model =
            e.factory().apply(new ModelConfig(e.name(), inChannels, classes, b, options));
        rows.add(
            String.format(
                "%-14s %6d %,14d  %s", e.name(), b, model.parameterCount(), e.description()));
      }
    }
    System.out.printf("%-14s %6s %14s  %s%n", "name", "base", "parameters", "description");
    rows.forEach(System.out::println);
    if (arch != null) {
      System.out.printf("%noptions of %s (-O key=value): name, default, values, what%n", arch);
      System.out.print(lines(entries.get(0).options()));
    }
    return 0;
  }

  private static int usualBase(String arch) {
    if (arch.startsWith("fcn") || arch.startsWith("vgg") || arch.equals("unet-valid")) {
      return 64;
    }
    return 32;
  }
}
