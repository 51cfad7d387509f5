package org.seg4j.io;

import java.io.IOException;
import java.nio.file.Path;

/** A weights or checkpoint file that cannot be used; the message names the file and the fix. */
public class WeightsFileException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Builds "FILE PROBLEM: FIX". */
  public WeightsFileException(Path file, String problem, String fix) {
    super(file + " " + problem + ": " + fix);
  }

  /** A message already naming the file. */
  public WeightsFileException(String message) {
    super(message);
  }
}
