package org.seg4j.io;

import java.nio.file.Path;

/**
 * A tensor whose bytes no longer match the checksum seg4j stored when it wrote the file: the file
 * changed on disk or in a copy after it was saved. The message names the file, the tensor and the
 * way on; {@link #problem()} is the part without the way on, for callers that know a better one.
 */
public final class DamagedTensorException extends WeightsFileException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String tensor;
  private final String problem;

  /** Builds "FILE PROBLEM: FIX" for {@code tensor}. */
  public DamagedTensorException(Path file, String tensor, String problem, String fix) {
    super(file, problem, fix);
    this.file = file;
    this.tensor = tensor;
    this.problem = problem;
  }

  /** The damaged file. */
  public Path file() {
    return file;
  }

  /** The first tensor found damaged. */
  public String tensor() {
    return tensor;
  }

  /** What is wrong, without the file name and the fix. */
  public String problem() {
    return problem;
  }
}
