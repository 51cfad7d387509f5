package org.seg4j.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.seg4j.model.ModelConfig;
import picocli.CommandLine.Option;

/** The options that pick and size an architecture: --arch, --in-channels, --classes, --base, -O. */
final class ModelOptions {
  @Option(names = "--arch", defaultValue = "unet", description = "architecture (see seg4j models)")
  String arch;

  @Option(names = "--in-channels", defaultValue = "1", description = "input channels")
  int inChannels;

  @Option(names = "--classes", defaultValue = "2", description = "output classes")
  int classes;

  @Option(names = "--base", defaultValue = "32", description = "base width (channels of level 0)")
  int base;

  @Option(
      names = {"-O", "--model-opt"},
      description = "architecture option key=value, e.g. -O bn=false -O up=bilinear")
  Map<String, String> options = new LinkedHashMap<>();

  ModelConfig config() {
    return new ModelConfig(arch, inChannels, classes, base, options);
  }
}
