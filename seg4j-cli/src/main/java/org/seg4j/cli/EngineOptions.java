package org.seg4j.cli;

import ai.djl.Device;
import org.seg4j.engine.Engines;
import picocli.CommandLine.Option;

/** The {@code --device} and {@code --threads} options shared by commands that run the engine. */
final class EngineOptions {
  @Option(
      names = "--device",
      defaultValue = "auto",
      description = "auto, cpu or gpu (default: ${DEFAULT-VALUE}; gpu needs the -Pcuda build)")
  String device;

  @Option(
      names = "--threads",
      defaultValue = "0",
      description = "libtorch intra-op threads (default: all cores)")
  int threads;

  /** Applies the thread count and resolves the device; loads the engine. */
  Device resolve() {
    Engines.setThreads(threads);
    return Engines.device(device);
  }
}
