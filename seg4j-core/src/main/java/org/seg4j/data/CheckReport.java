package org.seg4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link DatasetCheck} found: counts and pairing, sizes, channels, mask values per file,
 * pixels per class with suggested weights, and every problem with its file, value and fix.
 *
 * @param root the dataset folder (files are shown relative to it)
 * @param format the dataset format
 * @param codec the mask codec name
 * @param classes the class count (declared, or inferred when {@code classesInferred})
 * @param classesInferred whether no class count was declared
 * @param names the class names
 * @param ignoreIndex the ignore index or -1
 * @param samples samples opened
 * @param usableSamples samples that decoded without problems
 * @param labelled samples with masks
 * @param orphanMasks mask files with no image
 * @param sizes image sizes "WxH" with their counts
 * @param channels image colour channels (alpha not counted) with their counts
 * @param bitDepths image bit depths with their counts
 * @param maskValues raw values (or colours) found in each mask file
 * @param stats pixels per class
 * @param problems everything wrong (empty when ok)
 * @param skipped files skipped with --skip-bad and why
 * @param notes remarks that need no action
 * @param usable the dataset without the skipped samples
 */
public record CheckReport(
    Path root,
    String format,
    String codec,
    int classes,
    boolean classesInferred,
    ClassNames names,
    int ignoreIndex,
    int samples,
    int usableSamples,
    int labelled,
    int orphanMasks,
    Map<String, Integer> sizes,
    Map<Integer, Integer> channels,
    Map<Integer, Integer> bitDepths,
    Map<Path, String> maskValues,
    ClassStats stats,
    List<Problem> problems,
    List<Problem> skipped,
    List<String> notes,
    FileDataset usable) {

  private static final int FILES_SHOWN = 3;

  /** True when no problem was found. */
  public boolean ok() {
    return problems.isEmpty();
  }

  /**
   * The classes with no pixel in any mask, as "1 (disc)", when the check passed; empty otherwise.
   */
  public List<String> emptyClasses() {
    List<String> out = new ArrayList<>();
    long[] pixels = stats.pixels();
    for (int c = 0; c < classes && labelled > 0 && ok(); c++) {
      if (c >= pixels.length || pixels[c] == 0) {
        out.add(c + " (" + names.name(c) + ")");
      }
    }
    return out;
  }

  /** Median-frequency class weights. */
  public double[] classWeights() {
    return stats.medianFrequencyWeights(classes);
  }

  /** Negative/positive pixel ratio for two classes, NaN otherwise. */
  public double posWeight() {
    return classes == 2 ? stats.posWeight() : Double.NaN;
  }

  /** The report as plain text for the console. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append("Dataset: ").append(root).append(" (format ").append(format).append(")\n");
    sb.append("Samples: ")
        .append(samples)
        .append(" opened, ")
        .append(labelled)
        .append(" with masks, ");
    sb.append(usableSamples).append(" usable");
    if (orphanMasks > 0) {
      sb.append(", ").append(orphanMasks).append(" masks without an image");
    }
    sb.append('\n');
    sb.append("Image sizes: ").append(counts(sizes)).append('\n');
    sb.append("Image channels: ").append(counts(channels));
    sb.append("; bit depth: ").append(counts(bitDepths)).append('\n');
    sb.append("Masks: data.mask=").append(codec).append(", classes ").append(classes);
    sb.append(classesInferred ? " (not declared: inferred from the values)" : "");
    sb.append(", ignore index ").append(ignoreIndex < 0 ? "none" : ignoreIndex).append('\n');
    if (!maskValues.isEmpty()) {
      sb.append("Mask values found (files):\n");
      Map<String, Integer> byValue = new LinkedHashMap<>();
      Map<String, Path> first = new LinkedHashMap<>();
      maskValues.forEach(
          (f, v) -> {
            byValue.merge(v, 1, Integer::sum);
            first.putIfAbsent(v, f);
          });
      byValue.forEach(
          (v, n) ->
              sb.append("  ")
                  .append(v)
                  .append(": ")
                  .append(n)
                  .append(n == 1 ? " file (" : " files (e.g. ")
                  .append(Problem.display(first.get(v), root))
                  .append(")\n"));
    }
    appendClasses(sb);
    appendProblems(sb, "Skipped (data.skip_bad=true)", skipped);
    appendProblems(sb, "Problems", problems);
    if (!notes.isEmpty()) {
      sb.append("Notes:\n");
      notes.forEach(n -> sb.append("  ").append(n).append('\n'));
    }
    sb.append(
        ok()
            ? "OK"
            : "FAILED: " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s"));
    sb.append('\n');
    return sb.toString();
  }

  private void appendClasses(StringBuilder sb) {
    long[] pixels = stats.pixels();
    long total = 0;
    for (long p : pixels) {
      total += p;
    }
    if (total == 0 || classes == 0) {
      return;
    }
    double[] weights = classWeights();
    sb.append("Class pixels (median-frequency weight):\n");
    for (int c = 0; c < classes; c++) {
      long n = c < pixels.length ? pixels[c] : 0;
      sb.append(
          String.format(
              Locale.ROOT,
              "  %3d %-16s %12d  %6.2f%%  weight %.4f%n",
              c,
              names.name(c),
              n,
              100.0 * n / total,
              weights[c]));
    }
    if (stats.ignored() > 0) {
      sb.append(
          String.format(Locale.ROOT, "  ignored (%d) %12d pixels%n", ignoreIndex, stats.ignored()));
    }
    StringBuilder w = new StringBuilder();
    for (int c = 0; c < classes; c++) {
      w.append(c == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", weights[c]));
    }
    sb.append("Suggested class weights: ").append(w).append('\n');
    double pos = posWeight();
    if (!Double.isNaN(pos)) {
      sb.append(String.format(Locale.ROOT, "Suggested pos_weight (binary): %.4f%n", pos));
    }
  }

  private void appendProblems(StringBuilder sb, String title, List<Problem> list) {
    if (list.isEmpty()) {
      return;
    }
    sb.append(title).append(" (").append(list.size()).append("):\n");
    Map<List<Object>, List<Problem>> groups = new LinkedHashMap<>();
    for (Problem p : list) {
      groups.computeIfAbsent(List.of(p.kind(), p.value(), p.fix()), k -> new ArrayList<>()).add(p);
    }
    for (List<Problem> g : groups.values()) {
      sb.append("  ").append(g.get(0).message(root));
      if (g.size() > 1) {
        List<String> others = new ArrayList<>();
        for (Problem p : g.subList(1, Math.min(g.size(), 1 + FILES_SHOWN))) {
          others.add(p.file() == null ? "-" : Problem.display(p.file(), root));
        }
        sb.append("\n    (and ")
            .append(g.size() - 1)
            .append(" more: ")
            .append(String.join(", ", others));
        sb.append(g.size() - 1 > FILES_SHOWN ? ", ...)" : ")");
      }
      sb.append('\n');
    }
  }

  private static String counts(Map<?, Integer> m) {
    if (m.isEmpty()) {
      return "-";
    }
    List<String> parts = new ArrayList<>();
    m.forEach((k, v) -> parts.add(Objects.toString(k) + " (" + v + ")"));
    return String.join(", ", parts);
  }
}
