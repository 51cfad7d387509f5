package org.seg4j.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.concurrent.Callable;
import org.seg4j.engine.Engines;
import org.seg4j.model.ModelConfig;
import org.seg4j.model.ModelRegistry;
import org.seg4j.model.SegModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seg4j models}: the registered architectures with their parameter counts. */
@Command(
    mixinStandardHelpOptions = true,
    name = "models",
    description = "List the architectures with their parameter counts.")
final class ModelsCommand implements Callable<Integer> {
  @Option(names = "--in-channels", defaultValue = "1", description = "input channels")
  int inChannels;

  @Option(names = "--classes", defaultValue = "2", description = "output classes")
  int classes;

  @Option(
      names = "--base",
      description = "base width for all (default: each architecture's usual width)")
  Integer base;

  @Override
  public Integer call() {
    Engines.pytorch();
    System.out.printf("%-14s %6s %14s  %s%n", "name", "base", "parameters", "description");
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      for (ModelRegistry.Entry e : ModelRegistry.entries().values()) {
        int b = base != null ? base : usualBase(e.name());
        SegModel model = e.factory().apply(ModelConfig.of(e.name(), inChannels, classes, b));
        System.out.printf(
            "%-14s %6d %,14d  %s%n", e.name(), b, model.parameterCount(), e.description());
      }
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
