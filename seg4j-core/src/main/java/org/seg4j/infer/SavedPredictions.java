package org.seg4j.infer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.seg4j.io.ImageIo;
import org.seg4j.io.RawImage;

/**
 * Predicted masks saved earlier in a folder, read back as class indices for scoring: {@code
 * {id}_mask.png} (what {@code seg4j predict} writes), {@code {id}.png}, {@code {id}_seg.png} or
 * {@code {id}_view.png} (predict's viewable mask: 0/255, or a palette PNG of class indices), tried
 * in that order for each name an image goes by (its dataset id, then its file name without
 * extension). A mask holds class indices (grey or palette PNG), or for two classes 0/255 (a
 * viewable binary mask, 255 the foreground).
 */
public final class SavedPredictions {
  /** The file names tried for a name, in order; {@code {id}} stands for the name. */
  public static final List<String> PATTERNS =
      List.of("{id}_mask.png", "{id}.png", "{id}_seg.png", "{id}_view.png");

  private final Path dir;
  private final int classes;

  /**
   * @param dir the folder holding the masks
   * @param classes the class count K: values must lie in 0..K-1 (or be 0/255 when K is 2)
   * @throws IllegalArgumentException when {@code dir} is not a folder
   */
  public SavedPredictions(Path dir, int classes) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          "predictions="
              + dir
              + " is not a folder: give the folder of saved masks (e.g. what seg4j predict"
              + " output=DIR wrote)");
    }
    if (classes < 2) {
      throw new IllegalArgumentException(
          "saved predictions need 2 or more classes, got " + classes);
    }
    this.dir = dir;
    this.classes = classes;
  }

  /** The folder. */
  public Path dir() {
    return dir;
  }

  /** The file names tried for these names, in order (duplicates removed). */
  public List<String> candidates(String... names) {
    Set<String> out = new LinkedHashSet<>();
    for (String n : names) {
      if (n == null || n.isEmpty()) {
        continue;
      }
      for (String p : PATTERNS) {
        out.add(p.replace("{id}", n));
      }
    }
    return new ArrayList<>(out);
  }

  /** The first candidate file that exists, or null. */
  public Path find(String... names) {
    for (String c : candidates(names)) {
      Path f = dir.resolve(c);
      if (Files.isRegularFile(f)) {
        return f;
      }
    }
    return null;
  }

  /**
   * Reads a saved mask as class indices, checking that it is {@code width x height}.
   *
   * @param file the mask
   * @param width the truth's width
   * @param height the truth's height
   * @throws IOException naming the file, what it holds and what is expected
   */
  public int[] read(Path file, int width, int height) throws IOException {
    RawImage r = ImageIo.read(file);
    if (r.width() != width || r.height() != height) {
      throw new IOException(
          file
              + " is "
              + r.width()
              + "x"
              + r.height()
              + " but its image and truth are "
              + width
              + "x"
              + height
              + ": save predictions at the image's own size (seg4j predict does)");
    }
    int n = r.pixels();
    int[] v = new int[n];
    boolean colour = !r.isPalette() && r.colorChannels() >= 3;
    for (int p = 0; p < n; p++) {
      int a = r.sample(p, 0);
      if (colour && (r.sample(p, 1) != a || r.sample(p, 2) != a)) {
        throw new IOException(
            file
                + " is a colour image: give class-index masks (grey or palette PNG, as seg4j"
                + " predict's {id}_mask.png), or 0/255 masks for two classes");
      }
      v[p] = a;
    }
    boolean binaryView = classes == 2;
    boolean any255 = false;
    for (int x : v) {
      if (x == 255) {
        any255 = true;
      } else if (x != 0) {
        binaryView = false;
      }
    }
    if (binaryView && any255) {
      for (int p = 0; p < n; p++) {
        v[p] = v[p] == 255 ? 1 : 0;
      }
      return v;
    }
    for (int p = 0; p < n; p++) {
      if (v[p] >= classes) {
        throw new IOException(
            file
                + " holds value "
                + v[p]
                + " at ("
                + p % width
                + ", "
                + p / width
                + ") but there are "
                + classes
                + " classes (0.."
                + (classes - 1)
                + "): give class-index masks"
                + (classes == 2 ? " or 0/255 masks" : "")
                + ", or evaluate with the classes the masks were predicted for");
      }
    }
    return v;
  }
}
