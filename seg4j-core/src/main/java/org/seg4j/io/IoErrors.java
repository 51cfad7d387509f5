package org.seg4j.io;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;
import javax.imageio.IIOException;

/**
 * Says why a file operation failed in words a user can act on: the operating system's reason found
 * anywhere in an exception's causes ("No space left on device" becomes "no space left on device"),
 * and what to do about it. Image writers hide the reason behind "I/O error writing PNG file!"; this
 * digs it out.
 */
final class IoErrors {
  private IoErrors() {}

  /** An operating-system failure seg4j knows, with its short reason and its fix. */
  private enum Known {
    NO_SPACE(
        "No space left on device",
        "no space left on device",
        "free some space or write to another disk"),
    FILE_SIZE(
        "File too large",
        "the file size limit was hit (File too large)",
        "raise the limit (ulimit -f) or use a file system that takes larger files"),
    QUOTA(
        "Disk quota exceeded", "the disk quota is exceeded", "free some space or write elsewhere"),
    READ_ONLY("Read-only file system", "the file system is read-only", null),
    DENIED("Permission denied", "permission denied", null);

    final String os;
    final String reason;
    final String fix;

    Known(String os, String reason, String fix) {
      this.os = os.toLowerCase(Locale.ROOT);
      this.reason = reason;
      this.fix = fix;
    }
  }

  /**
   * Why {@code e} failed: a known operating-system reason anywhere in its causes, else its own
   * message (with the cause's for an image writer's generic one).
   */
  public static String reason(Throwable e) {
    Known k = known(e);
    if (k != null) {
      return k.reason;
    }
    String m = message(e);
    if (e instanceof IIOException && e.getCause() != null && message(e.getCause()) != null) {
      m = (m == null ? "" : m + " ") + "(" + message(e.getCause()) + ")";
    }
    return m == null ? e.getClass().getSimpleName() : m;
  }

  /**
   * What to do about {@code e} beyond choosing another place to write, or null: "free some space"
   * for a full disk, "raise the limit" for a file-size limit.
   */
  public static String fix(Throwable e) {
    Known k = known(e);
    return k == null ? null : k.fix;
  }

  private static Known known(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof AccessDeniedException) {
        return Known.DENIED;
      }
      String m = message(t);
      if (m == null) {
        continue;
      }
      String lower = m.toLowerCase(Locale.ROOT);
      for (Known k : Known.values()) {
        if (lower.contains(k.os)) {
          return k;
        }
      }
    }
    return null;
  }

  /** The message, or a file-system exception's reason (its message repeats the file). */
  private static String message(Throwable t) {
    if (t instanceof FileSystemException fs) {
      if (fs.getReason() != null) {
        return fs.getReason();
      }
      String what = null;
      if (t instanceof DirectoryNotEmptyException) {
        what = "a folder of that name is in the way";
      } else if (t instanceof FileAlreadyExistsException) {
        what = "it already exists";
      } else if (t instanceof NoSuchFileException) {
        what = "no such file or folder";
      } else if (t instanceof NotDirectoryException) {
        what = "not a folder";
      }
      if (what != null) {
        return fs.getFile() == null ? what : fs.getFile() + ": " + what;
      }
    }
    String m = t.getMessage();
    return m == null || m.isBlank() ? null : m;
  }
}
