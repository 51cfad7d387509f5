package org.seg4j.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before any work is done, that a command can write into its output folder: it is a folder
 * (or can be made one) and a file can be created in it. A read-only folder, a file where the folder
 * should be, or a full disk fail at once with one line naming the folder and the way out, instead
 * of failing at the first image.
 */
public final class OutputFolder {
  private OutputFolder() {}

  /**
   * Creates {@code dir} if needed and probes it with a temp file that is removed at once.
   *
   * @param dir the folder the command writes into
   * @param what what the folder is, e.g. "output folder" or "report folder"
   * @param flag the option that chooses another folder, e.g. {@code --output}
   * @return {@code dir}
   * @throws IOException naming the folder, why it cannot be written and the fix
   */
  public static Path ensure(Path dir, String what, String flag) throws IOException {
    String named = what + " " + dir;
    String another = "choose another " + flag;
    for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p)) {
        break;
      }
      if (Files.exists(p)) {
        throw new IOException(
            named
                + (p.equals(dir.toAbsolutePath().normalize())
                    ? " is a file, not a folder: "
                    : " cannot be made: " + p + " is a file, not a folder: ")
                + another);
      }
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IOException(
          named + " cannot be made (" + IoErrors.reason(e) + "): " + another + fixes(e), e);
    }
    try {
      Path probe = Files.createTempFile(dir, ".seg4j-write-test-", ".tmp");
      Files.delete(probe);
    } catch (IOException e) {
      throw new IOException(
          named + " is not writable (" + IoErrors.reason(e) + "): " + another + fixes(e), e);
    }
    return dir;
  }

  private static String fixes(IOException e) {
    String fix = IoErrors.fix(e);
    return fix != null ? ", or " + fix : " or fix the folder's permissions";
  }
}
