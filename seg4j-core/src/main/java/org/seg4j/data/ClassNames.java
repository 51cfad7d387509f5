package org.seg4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Class names, and for RGB masks their colours, read from a classes file: one class per line in
 * index order, either {@code name} or {@code name r g b}. Blank lines and lines starting with
 * {@code #} are skipped. A coloured line named {@code void} or {@code ignore} is not a class: its
 * colour maps to the ignore index.
 *
 * @param names the class names, index order
 * @param colours {@code 0xRRGGBB} per class, or null when the file has no colours
 * @param ignoreColours colours that map to the ignore index
 */
public record ClassNames(List<String> names, int[] colours, int[] ignoreColours) {

  /** Copies the lists. */
  public ClassNames {
    names = List.copyOf(names);
    ignoreColours = ignoreColours == null ? new int[0] : ignoreColours;
  }

  /** Names without colours. */
  public static ClassNames of(List<String> names) {
    return new ClassNames(names, null, null);
  }

  /** Numbered names "class0", "class1", ... for n classes. */
  public static ClassNames numbered(int n) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add(numberedName(i));
    }
    return of(names);
  }

  /**
   * The name of class {@code i} when no classes file names it: {@code class0}, {@code class1}, ...
   * (every place that makes up a class name uses this one form).
   */
  public static String numberedName(int i) {
    return "class" + i;
  }

  /**
   * Reads a classes file.
   *
   * @throws DatasetException naming the file and line when a line is malformed or colours are given
   *     for some classes only
   */
  public static ClassNames read(Path file) {
    List<String> lines = Ids.readLines(file, "", "check data.classes_file=FILE");
    List<String> names = new ArrayList<>();
    List<Integer> colours = new ArrayList<>();
    List<Integer> ignore = new ArrayList<>();
    int plain = 0;
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] tokens = line.split("[\\s,]+");
      Integer colour = tokens.length >= 4 ? colour(tokens) : null;
      if (colour == null) {
        names.add(line);
        plain++;
        continue;
      }
      String name = String.join(" ", Arrays.copyOf(tokens, tokens.length - 3));
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.equals("void") || lower.equals("ignore")) {
        ignore.add(colour);
      } else {
        names.add(name);
        colours.add(colour);
      }
    }
    if (plain > 0 && !colours.isEmpty()) {
      throw new DatasetException(
          new Problem(
              ProblemKind.CONFIG,
              file,
              "gives colours for " + colours.size() + " classes but not for " + plain,
              "write every line as `name r g b`, or none"));
    }
    if (names.isEmpty()) {
      throw new DatasetException(
          new Problem(
              ProblemKind.CONFIG, file, "names no classes", "write one class name per line"));
    }
    int[] c = colours.isEmpty() ? null : colours.stream().mapToInt(Integer::intValue).toArray();
    return new ClassNames(names, c, ignore.stream().mapToInt(Integer::intValue).toArray());
  }

  private static Integer colour(String[] tokens) {
    int rgb = 0;
    for (int i = tokens.length - 3; i < tokens.length; i++) {
      int v;
      try {
        v = Integer.parseInt(tokens[i]);
      } catch (NumberFormatException e) {
        return null;
      }
      if (v < 0 || v > 255) {
        return null;
      }
      rgb = (rgb << 8) | v;
    }
    return rgb;
  }

  /** Number of classes. */
  public int size() {
    return names.size();
  }

  /** The name of class i, or its {@link #numberedName} when out of range. */
  public String name(int i) {
    return i >= 0 && i < names.size() ? names.get(i) : numberedName(i);
  }

  /** Whether the file gave a colour per class. */
  public boolean hasColours() {
    return colours != null;
  }

  /** Formats a {@code 0xRRGGBB} colour as "(r,g,b)". */
  public static String rgb(int colour) {
    return "(" + (colour >> 16 & 255) + "," + (colour >> 8 & 255) + "," + (colour & 255) + ")";
  }
}
