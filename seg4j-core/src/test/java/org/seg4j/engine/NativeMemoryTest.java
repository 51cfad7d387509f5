package org.seg4j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * glibc's malloc settings: the opt-in mmap threshold and training's reuse of freed blocks, applied
 * through mallopt and reported by {@code info}.
 */
class NativeMemoryTest {
  @Test
  void fixesTheMmapThresholdOnGlibc() {
    assumeGlibc();
    // 32 MiB is glibc's ceiling for the threshold and where its own adjustment ends up anyway
    assertThat(NativeMemory.apply(32 << 20))
        .isEqualTo("blocks over 32768 KiB mmap'd (fixed M_MMAP_THRESHOLD)");
  }

  @Test
  void trainingKeepsFreedBlocksForReuse() {
    assumeGlibc();
    NativeMemory.forTraining();
    assertThat(NativeMemory.status())
        .contains("; in training: freed blocks kept for reuse (M_MMAP_THRESHOLD 1 GiB");
  }

  private static void assumeGlibc() {
    assumeTrue(
        System.getProperty("os.name").startsWith("Linux")
            && (Files.exists(Path.of("/lib/x86_64-linux-gnu/libc.so.6"))
                || Files.exists(Path.of("/lib64/libc.so.6"))),
        "needs Linux with glibc");
  }

  @Test
  void infoReportsTheSetting() {
    NativeMemory.configure();
    assertThat(Engines.info("cpu")).containsEntry("native_memory", NativeMemory.status());
    assertThat(NativeMemory.status()).startsWith("glibc default");
  }
}
