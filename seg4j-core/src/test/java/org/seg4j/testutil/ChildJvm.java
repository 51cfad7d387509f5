package org.seg4j.testutil;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.seg4j.io.TestPause;

/**
 * Runs {@code seg4j ARGS...} as a child JVM on the test class path, optionally under a file-size
 * limit ({@code ulimit -f} through bash), for the tests that need the kernel to refuse a write the
 * way a full disk does. The child's output comes through pipes, which the limit does not cover.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /**
   * What a child run printed.
   *
   * @param code the exit code
   * @param out its stdout
   * @param err its stderr
   */
  public record Result(int code, String out, String err) {
    /** Everything printed, for assertion messages. */
    public String all() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** Whether child runs under a file-size limit work here: Linux with /bin/bash. */
  public static boolean ulimitAvailable() {
    return System.getProperty("os.name").startsWith("Linux")
        && Files.isExecutable(Path.of("/bin/bash"));
  }

  /**
   * Runs seg4j in a child JVM and waits for it (at most two minutes).
   *
   * @param work a scratch folder of the test (JNA's native part is unpacked there)
   * @param fileLimitBytes the largest file the child may write (rounded down to KiB), or 0 for no
   *     limit
   * @param args the seg4j arguments
   */
  public static Result seg4j(Path work, long fileLimitBytes, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    if (fileLimitBytes > 0) {
      cmd.add("/bin/bash");
      cmd.add("-c");
      cmd.add("ulimit -f " + Math.max(1, fileLimitBytes / 1024) + " && exec \"$@\"");
      cmd.add("bash");
    }
    // JNA unpacks its native part at start; under the file-size limit it could not, so unpack it
    // here first (a real full disk makes seg4j say it cannot check the conv kernels instead)
    cmd.addAll(command("jna.boot.library.path=" + jnaDispatch(work.resolve("jna"))));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    p.getOutputStream().close();
    FutureTask<String> out = drain(p.getInputStream());
    FutureTask<String> err = drain(p.getErrorStream());
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("child seg4j did not finish in 120 s: " + String.join(" ", args));
    }
    return new Result(p.exitValue(), out.get(), err.get());
  }

  /**
   * The command line that starts seg4j in a child JVM on the test class path (offline, no
   * tracking), up to its main class: the seg4j arguments go after it.
   *
   * @param properties extra system properties, each {@code key=value} (given as {@code
   *     -Dkey=value})
   */
  public static List<String> command(String... properties) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:-UsePerfData");
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-DOPT_OUT_TRACKING=true");
    for (String p : properties) {
      cmd.add("-D" + p);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.seg4j.cli.Seg4j");
    return cmd;
  }

  /** Reads a stream to its end on a thread of its own (a full pipe would block the child). */
  private static FutureTask<String> drain(InputStream in) {
    FutureTask<String> task =
        new FutureTask<>(
            () -> {
              try (in) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                in.transferTo(b);
                return b.toString(StandardCharsets.UTF_8);
              }
            });
    Thread t = new Thread(task, "child-jvm-drain");
    t.setDaemon(true);
    t.start();
    return task;
  }

  private static Path jnaDispatch(Path dir) throws IOException {
    Path lib = dir.resolve("libjnidispatch.so");
    if (Files.isRegularFile(lib)) {
      return dir;
    }
    Files.createDirectories(dir);
    String resource = "/com/sun/jna/" + com.sun.jna.Platform.RESOURCE_PREFIX + "/libjnidispatch.so";
    try (InputStream in = ChildJvm.class.getResourceAsStream(resource)) {
      Files.copy(in, lib);
    }
    return dir;
  }

  /**
   * Runs seg4j with {@code args} in a child JVM with {@code -Dseg4j.test.pauseAt=point}, kills it
   * with SIGKILL once it says it paused, and returns the marker line.
   */
  public static String killAtPause(String point, String... args) throws Exception {
    List<String> properties = new ArrayList<>();
    for (String p : List.of("ai.djl.pytorch.num_threads", "ai.djl.pytorch.num_interop_threads")) {
      if (System.getProperty(p) != null) {
        properties.add(p + "=" + System.getProperty(p));
      }
    }
    properties.add(TestPause.PROPERTY + "=" + point);
    List<String> cmd = command(properties.toArray(String[]::new));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    StringBuffer seen = new StringBuffer();
    CompletableFuture<String> paused =
        CompletableFuture.supplyAsync(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  seen.append(line).append('\n');
                  if (line.startsWith(TestPause.MARKER)) {
                    return line;
                  }
                }
                return null;
              } catch (IOException e) {
                return null;
              }
            });
    String marker;
    try {
      marker = paused.get(180, TimeUnit.SECONDS);
    } finally {
      p.destroyForcibly();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(marker).as("the child paused at %s; it printed:%n%s", point, seen).isNotNull();
    assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(137);
    return marker;
  }
}
