package org.seg4j.engine;

/**
 * Switches DJL to offline mode and opts out of its usage tracking. Must run before the DJL engine
 * first loads; every entry point (CLI, tests, API) calls {@link #ensure()} first.
 */
public final class Offline {
  private static volatile boolean done;

  private Offline() {}

  /** Sets the offline and no-tracking switches once; later calls are free. */
  public static void ensure() {
    if (done) {
      return;
    }
    synchronized (Offline.class) {
      System.setProperty("ai.djl.offline", "true");
      System.setProperty("OPT_OUT_TRACKING", "true");
      System.setProperty("DJL_DISABLE_PROGRESS_BAR", "true");
      if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
      }
      done = true;
    }
  }

  /** Returns true when the offline switches are in force in this JVM. */
  public static boolean isOffline() {
    return Boolean.parseBoolean(System.getProperty("ai.djl.offline"))
        && Boolean.parseBoolean(System.getProperty("OPT_OUT_TRACKING"));
  }
}
