package org.seg4j.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.seg4j.engine.Engines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code seg4j info}: engine, libtorch version, device, threads and network mode. */
@Command(
    mixinStandardHelpOptions = true,
    name = "info",
    description = "Print the engine, libtorch version, device, threads and offline mode.")
final class InfoCommand implements Callable<Integer> {
  @Mixin EngineOptions engine;

  @Override
  public Integer call() {
    Engines.setThreads(engine.threads);
    Map<String, Object> info = Engines.info(engine.device);
    info.forEach((k, v) -> System.out.printf("%-16s %s%n", k, v));
    return 0;
  }
}
