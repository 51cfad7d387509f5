package org.seg4j.data;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.seg4j.io.AtomicFiles;

/**
 * Seeded train/val/test splits written as VOC {@code ImageSets/Segmentation/{name}.txt} lists. User
 * files are never moved, overwritten or deleted; {@code copy} materialises one folder per split
 * with copies of the files. {@link #listCandidates} is where every command looks for the list of a
 * split name.
 */
public final class Splits {
  /** Split names by position: the first ratio is train, then val, then test. */
  public static final List<String> NAMES = List.of("train", "val", "test");

  private Splits() {}

  /**
   * Where the id list of a split name is looked for below a dataset folder, in this order, for
   * every format: {@code ImageSets/Segmentation/NAME.txt} (VOC's place, and what {@code seg4j
   * split} writes), {@code splits/NAME.txt}, then {@code NAME.txt}. A name that already ends in
   * .txt is not given a second one.
   */
  public static List<Path> listCandidates(Path root, String name) {
    String file = name.endsWith(".txt") ? name : name + ".txt";
    return List.of(
        root.resolve("ImageSets").resolve("Segmentation").resolve(file),
        root.resolve("splits").resolve(file),
        root.resolve(file));
  }

  /** The first of {@link #listCandidates} that is a file, or null when there is none. */
  public static Path findList(Path root, String name) {
    for (Path p : listCandidates(root, name)) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  /**
   * Parses ratios such as "8:1:1", "0.7,0.3" or "80 20" (any positive numbers, normalised).
   *
   * @throws IllegalArgumentException for fewer than 1 or more than 3 numbers, or negatives
   */
  public static double[] parseRatios(String text) {
    String[] parts = text.strip().split("[:,/\\s]+");
    if (parts.length < 1 || parts.length > 3 || parts[0].isEmpty()) {
      throw new IllegalArgumentException(
          "ratios='" + text + "': give 1 to 3 numbers for train:val:test, e.g. 8:1:1");
    }
    double[] r = new double[parts.length];
    double sum = 0;
    for (int i = 0; i < parts.length; i++) {
      try {
        r[i] = Double.parseDouble(parts[i]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "ratios='" + text + "': '" + parts[i] + "' is not a number");
      }
      if (r[i] < 0 || Double.isNaN(r[i]) || Double.isInfinite(r[i])) {
        throw new IllegalArgumentException("ratios='" + text + "': ratios must be ≥ 0");
      }
      sum += r[i];
    }
    if (sum <= 0) {
      throw new IllegalArgumentException("ratios='" + text + "': at least one ratio must be > 0");
    }
    return r;
  }

  /**
   * Assigns ids to splits: sorts them, shuffles with {@code new Random(seed)}, then cuts by the
   * normalised ratios (largest remainder, so sizes sum to the id count). Each list comes back
   * sorted.
   */
  public static Map<String, List<String>> assign(List<String> ids, double[] ratios, long seed) {
    if (ratios.length < 1 || ratios.length > NAMES.size()) {
      throw new IllegalArgumentException("give 1 to 3 ratios, got " + ratios.length);
    }
    List<String> order = new ArrayList<>(ids);
    order.sort(Ids.ORDER);
    Collections.shuffle(order, new Random(seed));
    int[] counts = counts(order.size(), ratios);
    Map<String, List<String>> out = new LinkedHashMap<>();
    int at = 0;
    for (int s = 0; s < ratios.length; s++) {
      List<String> part = new ArrayList<>(order.subList(at, at + counts[s]));
      part.sort(Ids.ORDER);
      out.put(NAMES.get(s), List.copyOf(part));
      at += counts[s];
    }
    return out;
  }

  /** Sizes per split by the largest-remainder method; ties go to the earlier split. */
  static int[] counts(int n, double[] ratios) {
    double sum = 0;
    for (double r : ratios) {
      sum += r;
    }
    int[] c = new int[ratios.length];
    double[] rest = new double[ratios.length];
    int given = 0;
    for (int i = 0; i < ratios.length; i++) {
      double exact = n * ratios[i] / sum;
      c[i] = (int) Math.floor(exact + 1e-9);
      rest[i] = exact - c[i];
      given += c[i];
    }
    while (given < n) {
      int best = 0;
      for (int i = 1; i < ratios.length; i++) {
        if (rest[i] > rest[best] + 1e-12) {
          best = i;
        }
      }
      c[best]++;
      rest[best] = -1;
      given++;
    }
    return c;
  }

  /** Splits a dataset opened from files; copies keep paths relative to its root. */
  public static SplitResult write(
      FileDataset ds, Path outDir, double[] ratios, long seed, boolean copy, boolean overwriteLists)
      throws IOException {
    return write(ds, ds.root(), outDir, ratios, seed, copy, overwriteLists);
  }

  /**
   * Splits a dataset and writes {@code outDir/ImageSets/Segmentation/{train,val,test}.txt}; with
   * copy also {@code outDir/{split}/...} holding copies of each sample's files at their paths
   * relative to the dataset root (so the copy opens with the same format). Existing files are never
   * replaced unless overwriteLists, which applies to the list files only.
   *
   * @throws IOException naming the file when a target exists or cannot be written
   */
  public static SplitResult write(
      SegmentationDataset ds,
      Path root,
      Path outDir,
      double[] ratios,
      long seed,
      boolean copy,
      boolean overwriteLists)
      throws IOException {
    List<String> ids = new ArrayList<>();
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < ds.size(); i++) {
      ids.add(ds.id(i));
      index.put(ds.id(i), i);
    }
    Map<String, List<String>> lists = assign(ids, ratios, seed);
    Path listDir = outDir.resolve("ImageSets").resolve("Segmentation");
    List<Path> written = new ArrayList<>();
    for (String name : lists.keySet()) {
      Path f = listDir.resolve(name + ".txt");
      if (Files.exists(f) && !overwriteLists) {
        throw new FileAlreadyExistsException(
            f.toString(), null, "list exists: pick another output folder or allow overwriting");
      }
    }
    List<String> notes = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : lists.entrySet()) {
      Path f = listDir.resolve(e.getKey() + ".txt");
      Ids.writeList(f, e.getValue());
      written.add(f);
      if (e.getValue().isEmpty()) {
        notes.add(e.getKey() + " is empty: too few samples (" + ids.size() + ") for its ratio");
      }
    }
    int copied = 0;
    if (copy) {
      Path base = root.toAbsolutePath().normalize();
      for (Map.Entry<String, List<String>> e : lists.entrySet()) {
        Path target = outDir.resolve(e.getKey());
        for (String id : e.getValue()) {
          int i = index.get(id);
          List<Path> files = new ArrayList<>(List.of(ds.imagePath(i)));
          files.addAll(ds.maskPaths(i));
          for (Path src : files) {
            copied += copyOne(base, src, target);
          }
        }
        Path classes = base.resolve("classes.txt");
        if (Files.isRegularFile(classes)) {
          copyOne(base, classes, target);
        }
      }
    }
    return new SplitResult(lists, written, copied, notes);
  }

  private static int copyOne(Path base, Path src, Path target) throws IOException {
    Path abs = src.toAbsolutePath().normalize();
    Path rel = abs.startsWith(base) ? base.relativize(abs) : abs.getFileName();
    Path dst = target.resolve(rel);
    if (Files.exists(dst, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(dst.toString()); // nothing is ever replaced
    }
    AtomicFiles.write(dst, out -> Files.copy(abs, out)); // a full disk leaves no partial copy
    return 1;
  }

  /**
   * What a split wrote.
   *
   * @param lists the ids per split
   * @param listFiles the list files written
   * @param filesCopied files copied with --copy
   * @param notes remarks, such as an empty split
   */
  public record SplitResult(
      Map<String, List<String>> lists, List<Path> listFiles, int filesCopied, List<String> notes) {

    /** A plain-text summary for the console. */
    public String toText() {
      StringBuilder sb = new StringBuilder();
      int total = lists.values().stream().mapToInt(List::size).sum();
      for (int i = 0; i < listFiles.size(); i++) {
        String name = NAMES.get(i);
        int n = lists.get(name).size();
        sb.append(
            String.format(
                Locale.ROOT,
                "%-5s %6d ids (%5.1f%%) -> %s%n",
                name,
                n,
                total == 0 ? 0.0 : 100.0 * n / total,
                listFiles.get(i)));
      }
      if (filesCopied > 0) {
        sb.append("copied ").append(filesCopied).append(" files\n");
      }
      notes.forEach(n -> sb.append("note: ").append(n).append('\n'));
      return sb.toString();
    }
  }
}
