package org.seg4j.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads this process's resident memory from {@code /proc/self/status} (Linux), including native
 * memory held by libtorch, which the JVM's own counters do not see. Returns -1 elsewhere.
 */
public final class ProcessMemory {
  private ProcessMemory() {}

  /** Current resident set size in MiB (VmRSS). */
  public static double rssMb() {
    return field("VmRSS:");
  }

  /** Peak resident set size in MiB (VmHWM). */
  public static double peakRssMb() {
    return field("VmHWM:");
  }

  private static double field(String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(name)) {
          String kb = line.substring(name.length()).trim().split("\\s+")[0];
          return Long.parseLong(kb) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
