package org.seg4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A file name pattern holding {@code {id}} once, e.g. {@code {id}.png} or {@code {id}_mask.png}. A
 * suffix of {@code .*} matches any image extension (png, jpg, jpeg, tif, tiff, bmp, gif).
 */
public final class IdPattern {
  /** Extensions that {@code .*} matches, in the order tried. */
  public static final List<String> IMAGE_EXTENSIONS =
      List.of("png", "jpg", "jpeg", "tif", "tiff", "bmp", "gif");

  private final String pattern;
  private final String prefix;
  private final String suffix;
  private final boolean anyExtension;

  /**
   * Parses a pattern.
   *
   * @throws IllegalArgumentException unless it holds {id} exactly once
   */
  public IdPattern(String pattern) {
    int at = pattern.indexOf("{id}");
    if (at < 0 || pattern.indexOf("{id}", at + 1) >= 0 || pattern.contains("/")) {
      throw new IllegalArgumentException(
          "name pattern '" + pattern + "' must hold {id} once and no folder, e.g. {id}_mask.png");
    }
    this.pattern = pattern;
    this.prefix = pattern.substring(0, at);
    String rest = pattern.substring(at + 4);
    this.anyExtension = rest.endsWith(".*");
    this.suffix = anyExtension ? rest.substring(0, rest.length() - 2) : rest;
  }

  /** The id in a file name, if the name matches. */
  public Optional<String> match(String fileName) {
    String base = fileName;
    if (anyExtension) {
      int dot = fileName.lastIndexOf('.');
      if (dot < 0
          || !IMAGE_EXTENSIONS.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT))) {
        return Optional.empty();
      }
      base = fileName.substring(0, dot);
    }
    if (base.length() <= prefix.length() + suffix.length()
        || !base.startsWith(prefix)
        || !base.endsWith(suffix)) {
      return Optional.empty();
    }
    return Optional.of(base.substring(prefix.length(), base.length() - suffix.length()));
  }

  /**
   * The file for an id in dir: the one existing file for {@code .*} (png first), else the literal
   * name (which may not exist).
   */
  public Path resolve(Path dir, String id) {
    String base = prefix + id + suffix;
    if (!anyExtension) {
      return dir.resolve(base);
    }
    for (String ext : IMAGE_EXTENSIONS) {
      for (String e : new String[] {ext, ext.toUpperCase(Locale.ROOT)}) {
        Path p = dir.resolve(base + "." + e);
        if (Files.isRegularFile(p) || Files.isSymbolicLink(p)) { // a dangling link is reported
          return p;
        }
      }
    }
    return dir.resolve(base + ".png");
  }

  /** Whether some file for the id exists in dir. */
  public boolean exists(Path dir, String id) {
    return Files.isRegularFile(resolve(dir, id));
  }

  /**
   * The ids of the files in dir matching the pattern, in natural order; symbolic links count, even
   * dangling ones (the dataset reports those).
   */
  public List<String> ids(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files
          .filter(p -> Files.isRegularFile(p) || Files.isSymbolicLink(p))
          .map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith("."))
          .map(this::match)
          .flatMap(Optional::stream)
          .distinct()
          .sorted(Ids.ORDER)
          .toList();
    }
  }

  @Override
  public String toString() {
    return pattern;
  }
}
