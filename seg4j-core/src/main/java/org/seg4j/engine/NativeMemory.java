package org.seg4j.engine;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.util.Locale;

/**
 * An opt-in trade of speed for native memory. glibc's malloc raises its mmap threshold each time a
 * large block is freed, so after a few steps libtorch's activation buffers come from the heap
 * arenas, which are fast to reuse but grow in ~48 MiB jumps. {@code -Dseg4j.mmap_threshold=BYTES}
 * fixes the threshold ({@code mallopt(M_MMAP_THRESHOLD, …)}, like {@code MALLOC_MMAP_THRESHOLD_}),
 * so blocks above it go back to the system when freed.
 *
 * <p>Measured on a U-Net base 32 at 256², batch 4, 200 steps with a 1 GiB pre-touched heap: glibc's
 * default gives RSS 2371 → 2421 MB (one jump near step 100, flat after it) at 1.80 train img/s;
 * 131072 gives 1374 → 1378 MB but 1.21 img/s, because every step faults its buffers in afresh. So
 * the default leaves glibc alone; the option is for memory-bound machines.
 */
public final class NativeMemory {
  /** glibc's {@code M_MMAP_THRESHOLD} parameter of {@code mallopt}. */
  private static final int M_MMAP_THRESHOLD = -3;

  private static String status;

  private NativeMemory() {}

  /** Applies {@code seg4j.mmap_threshold} once, if set; later calls do nothing. */
  public static synchronized void configure() {
    if (status == null) {
      int bytes = Integer.getInteger("seg4j.mmap_threshold", 0);
      status =
          bytes <= 0 ? "glibc default (set -Dseg4j.mmap_threshold to trade speed)" : apply(bytes);
    }
  }

  /** Fixes glibc's mmap threshold at {@code bytes}; returns what happened, in words. */
  static String apply(int bytes) {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
      return "system default (mmap threshold needs Linux with glibc)";
    }
    try {
      Function mallopt = NativeLibrary.getInstance("c").getFunction("mallopt");
      return mallopt.invokeInt(new Object[] {M_MMAP_THRESHOLD, bytes}) == 1
          ? "blocks over " + bytes / 1024 + " KiB mmap'd (fixed M_MMAP_THRESHOLD)"
          : "glibc default (mallopt refused " + bytes + ")";
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return "system default (no glibc mallopt: " + e.getMessage() + ")";
    }
  }

  /** What {@link #configure()} did, for {@code seg4j info}. */
  public static synchronized String status() {
    return status == null ? "glibc default (not configured)" : status;
  }
}
