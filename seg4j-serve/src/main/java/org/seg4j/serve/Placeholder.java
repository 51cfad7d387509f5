package org.seg4j.serve;

/** Removed when the server lands: keeps the new module compiling. */
final class Placeholder {
  private Placeholder() {}
}
