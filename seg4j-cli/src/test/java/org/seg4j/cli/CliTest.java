package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.seg4j.engine.Offline;

/** The CLI's commands as a user runs them: exit codes and what they print. */
class CliTest {
  /** Runs the CLI capturing stdout and stderr: {exit code, stdout, stderr}. */
  static String[] run(String... args) {
    CliRun r = CliRun.of(args);
    return new String[] {Integer.toString(r.code()), r.out(), r.err()};
  }

  @Test
  void infoReportsEngineAndOffline() {
    String[] r = run("info", "--device", "cpu");
    assertThat(r[0]).isEqualTo("0");
    assertThat(r[1]).contains("PyTorch").contains("libtorch").contains("2.7.1");
    assertThat(r[1]).containsPattern("offline\\s+true");
    assertThat(Offline.isOffline()).isTrue();
  }

  @Test
  void unknownDeviceIsAClearError() {
    String[] r = run("info", "--device", "tpu");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("--device tpu").contains("auto, cpu or gpu");
  }

  @Test
  void unknownArchitectureListsValidNames() {
    String[] r = run("bench", "--arch", "segformer", "--steps", "1", "--size", "32");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("unknown architecture 'segformer'").contains("valid names are");
  }
}
