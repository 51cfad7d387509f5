package org.seg4j.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Writes files so that a crash, a kill or a full disk never leaves a half-written file under the
 * final name: data goes to a temp file in the same folder, is forced to disk, then renamed over.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Something that writes a file's bytes to a stream. */
  @FunctionalInterface
  public interface Writer {
    /** Writes the content. */
    void write(OutputStream out) throws IOException;
  }

  /**
   * The one-line message for a failed write of {@code file}: the file, the operating system's
   * reason ("no space left on device", "the file size limit was hit") and what to do; file-system
   * messages alone do not say which file.
   */
  public static String failure(Path file, Throwable e) {
    String fix = IoErrors.fix(e);
    return "could not write " + file + ": " + IoErrors.reason(e) + (fix == null ? "" : ": " + fix);
  }

  /** Temp files are created owner-only; a finished file gets the usual rw-r--r--. */
  private static void readableByAll(Path tmp) throws IOException {
    if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  /** Something that writes a file's content to a path it is given (for seeking writers). */
  @FunctionalInterface
  public interface PathWriter {
    /** Writes the content to {@code tmp}, a new empty file in the target's folder. */
    void write(Path tmp) throws IOException;
  }

  /**
   * Writes {@code file} atomically; on any failure the previous file is untouched, no temp file is
   * left, and the exception names {@code file}.
   */
  public static void write(Path file, Writer writer) throws IOException {
    writeVia(
        file,
        tmp -> {
          try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            writer.write(out);
          }
        });
  }

  /** Writes UTF-8 text atomically. */
  public static void writeString(Path file, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    write(file, out -> out.write(bytes));
  }

  /** Writes lines of UTF-8 text atomically, each ended by a newline. */
  public static void writeLines(Path file, List<String> lines) throws IOException {
    StringBuilder sb = new StringBuilder();
    lines.forEach(l -> sb.append(l).append('\n'));
    writeString(file, sb.toString());
  }

  /**
   * Writes {@code file} atomically through a temp file that {@code writer} fills by path (for
   * writers that seek, such as video muxers). The same guarantees as {@link #write(Path, Writer)}.
   */
  public static void writeVia(Path file, PathWriter writer) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = null;
    boolean ok = false;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
      writer.write(tmp);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      readableByAll(tmp);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      ok = true;
    } catch (IOException e) {
      throw new IOException(failure(file, e), e);
    } finally {
      if (!ok && tmp != null) {
        Files.deleteIfExists(tmp);
      }
    }
  }
}
