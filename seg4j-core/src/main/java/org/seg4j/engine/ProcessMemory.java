package org.seg4j.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a process's resident memory from {@code /proc/PID/status} (Linux), including native memory
 * held by libtorch, which the JVM's own counters do not see. For this process the readers return -1
 * elsewhere; for another process {@link #rssMb(long)} fails naming the file.
 */
public final class ProcessMemory {
  private static final Path SELF = Path.of("/proc/self/status");

  private ProcessMemory() {}

  /** Current resident set size in MiB (VmRSS). */
  public static double rssMb() {
    long kb = kbOrMinus1("VmRSS:");
    return kb < 0 ? -1 : kb / 1024.0;
  }

  /** Current resident set size in bytes (VmRSS), or -1 when unknown. */
  public static long rssBytes() {
    long kb = kbOrMinus1("VmRSS:");
    return kb < 0 ? -1 : kb * 1024;
  }

  /** Peak resident set size in MiB (VmHWM). */
  public static double peakRssMb() {
    long kb = kbOrMinus1("VmHWM:");
    return kb < 0 ? -1 : kb / 1024.0;
  }

  /**
   * The resident set size of process {@code pid} in MiB (VmRSS of {@code /proc/PID/status}).
   *
   * @throws IOException when the process does not exist (any more) or reports no VmRSS
   */
  public static double rssMb(long pid) throws IOException {
    return kb(Path.of("/proc", Long.toString(pid), "status"), "VmRSS:") / 1024.0;
  }

  private static long kbOrMinus1(String name) {
    try {
      return kb(SELF, name);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The kB value of the line starting {@code name} in {@code status}. */
  private static long kb(Path status, String name) throws IOException {
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith(name)) {
        return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
      }
    }
    throw new IOException(
        status + " has no " + name.replace(":", "") + " line (a kernel thread or a zombie?)");
  }
}
