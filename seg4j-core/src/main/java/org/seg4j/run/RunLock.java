package org.seg4j.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The exclusive lock a training holds on its run folder, so two trainings can never write one run
 * (each would overwrite the other's config, log and checkpoints). It is an operating-system lock on
 * {@code runs/NAME/.lock}, which also names the owner (pid, host, start time): the system frees it
 * when the owning process ends, however it ends, so a killed run never blocks its own resume.
 */
public final class RunLock implements AutoCloseable {
  /** The lock file's name inside a run folder. */
  public static final String FILE = ".lock";

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code runDir} (which must exist).
   *
   * @throws IOException naming the folder and the owner when another training holds it
   */
  public static RunLock take(Path runDir) throws IOException {
    Path f = runDir.resolve(FILE);
    FileChannel ch =
        FileChannel.open(
            f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null; // held by this same process
    } catch (IOException e) {
      ch.close();
      throw new IOException("could not lock " + f + ": " + e.getMessage(), e);
    }
    if (l == null) {
      String owner = new String(Files.readAllBytes(f), StandardCharsets.UTF_8).strip();
      ch.close();
      throw new IOException(
          runDir
              + " is in use by another training ("
              + (owner.isEmpty() ? "owner unknown" : owner)
              + "): wait for it to end, or train under another name=NAME. The lock frees itself"
              + " when that process ends.");
    }
    ch.truncate(0);
    ch.write(ByteBuffer.wrap(owner().getBytes(StandardCharsets.UTF_8)), 0);
    ch.force(false);
    return new RunLock(f, ch, l);
  }

  /** "pid N on HOST since TIME", without any network lookup. */
  private static String owner() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = Files.readString(Path.of("/etc/hostname")).strip();
      } catch (IOException | RuntimeException e) {
        host = "this host";
      }
    }
    return "pid " + ProcessHandle.current().pid() + " on " + host + " since " + Instant.now();
  }

  /** Releases the lock and removes the lock file (for a run that never started). */
  public void discard() throws IOException {
    Files.deleteIfExists(file);
    close();
  }

  @Override
  public void close() throws IOException {
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } finally {
      channel.close();
    }
  }
}
