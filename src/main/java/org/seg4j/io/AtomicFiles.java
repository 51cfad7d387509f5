package org.seg4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

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
          try (OutputStream out =
              new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            writer.write(out);
          }
        });
  }

  /**
   * Writes {@code file} atomically through a temp file that {@code writer} fills by path (for
   * writers that seek, such as video muxers). The same guarantees as {@link #write(Path, Writer)}.
   */
  public static void writeVia(Path file, PathWriter writer) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
    boolean ok = false;
    try {
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
      // file-system messages ("No space left on device") do not say which file
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new IOException("could not write " + file + ": " + why, e);
    } finally {
      if (!ok) {
        Files.deleteIfExists(tmp);
      }
    }
  }
}
