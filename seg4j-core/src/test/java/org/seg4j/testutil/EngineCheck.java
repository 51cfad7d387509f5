package org.seg4j.testutil;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.seg4j.engine.Engines;

/**
 * Loads the engine through {@link Engines#pytorch()} before any test runs, so the tests get the
 * same checked convolution kernels as the CLI (registered in META-INF/services).
 */
public final class EngineCheck implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    Engines.pytorch();
  }
}
