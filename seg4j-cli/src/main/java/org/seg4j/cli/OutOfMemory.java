package org.seg4j.cli;

import java.util.Locale;

/**
 * A job that ran out of Java heap, said in one line: what needed the memory (and about how much,
 * when known), the heap this JVM may use ({@code -Xmx}, {@link Runtime#maxMemory}), and the fix: a
 * smaller setting of the command, or a larger {@code -Xmx}. {@link ErrorHandler} prints it as a
 * user error (exit 2); {@link Seg4j#execute} turns any other {@link OutOfMemoryError} into one.
 */
final class OutOfMemory extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private static final double GB = 1024.0 * 1024 * 1024;

  OutOfMemory(String message, OutOfMemoryError cause) {
    super(message, cause);
  }

  /**
   * {@code what} (e.g. "predicting a.png (6000x6000)") ran out of heap; {@code need} is the
   * estimated peak in bytes (0 if unknown), {@code smaller} the flags that lower it.
   */
  static OutOfMemory of(String what, long need, String smaller, OutOfMemoryError cause) {
    long max = Runtime.getRuntime().maxMemory();
    long gb = suggestedGb(need, max);
    String why = cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")";
    return new OutOfMemory(
        "out of memory"
            + why
            + " "
            + what
            + (need > 0 ? ", which needs about " + size(need) : "")
            + ": this JVM may use "
            + size(max)
            + " of Java heap (-Xmx); "
            + (smaller == null ? "" : "use " + smaller + ", or ")
            + "give it more, e.g. JAVA_TOOL_OPTIONS=-Xmx"
            + gb
            + "g (or java -Xmx"
            + gb
            + "g -jar seg4j.jar)",
        cause);
  }

  /** The one line for an out-of-memory error of {@code seg4j <command>} with nothing more known. */
  static OutOfMemory of(String command, OutOfMemoryError cause) {
    String smaller =
        switch (command.split(" ")[0]) {
          case "predict", "eval" -> "a smaller --tile or --tile-batch (or --resize)";
          case "train", "bench" -> "a smaller --batch (or smaller crops)";
          default -> null;
        };
    return of(command.isEmpty() ? "in seg4j" : "in seg4j " + command, 0, smaller, cause);
  }

  /** A -Xmx in whole GB: half as much again as the need, at least twice the present heap. */
  static long suggestedGb(long need, long max) {
    return Math.max(1, (long) Math.ceil(Math.max(need * 1.5, max * 2.0) / GB));
  }

  static String size(long bytes) {
    if (bytes >= GB) {
      return String.format(Locale.ROOT, "%.1f GB", bytes / GB);
    }
    return String.format(Locale.ROOT, "%d MB", Math.max(1, Math.round(bytes / (1024.0 * 1024))));
  }
}
