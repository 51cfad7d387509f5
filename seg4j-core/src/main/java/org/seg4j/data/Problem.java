package org.seg4j.data;

import java.nio.file.Path;

/**
 * One piece of bad input: the file concerned, what is wrong with it (the value found) and what to
 * do about it.
 *
 * @param kind what sort of problem
 * @param file the file concerned, or null for a dataset-wide problem
 * @param value what was found, e.g. "holds values {0, 255} but classes=2"
 * @param fix what to do, e.g. "use data.mask=binary255"
 */
public record Problem(ProblemKind kind, Path file, String value, String fix) {

  /** The message with the file shown as given. */
  public String message() {
    return message(null);
  }

  /** The message with the file shown relative to root when it lies below it. */
  public String message(Path root) {
    return (file == null ? "" : display(file, root) + " ") + value + ": " + fix;
  }

  /** The file (relative to root when below it) and what is wrong with it, without the fix. */
  public String what(Path root) {
    return (file == null ? "" : display(file, root) + " ") + value;
  }

  /** The file relative to root if below it, else as given. */
  static String display(Path file, Path root) {
    if (root != null) {
      Path abs = file.toAbsolutePath().normalize();
      Path r = root.toAbsolutePath().normalize();
      if (abs.startsWith(r) && !abs.equals(r)) {
        return r.relativize(abs).toString();
      }
    }
    return file.toString();
  }
}
