package org.seg4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.seg4j.io.Provenance;

/**
 * The files of a folder listing that seg4j wrote itself, so that predicting a folder into itself
 * does not predict its own masks and overlays again ({@code 0_mask_mask.png}): a PNG whose marker
 * says seg4j predict or a seg4j report wrote it ({@link Provenance}), or one named as predict names
 * its outputs ({@code <id><suffix>.png} for an {@code <id>} of the same listing, by the suffixes in
 * use and the default ones).
 *
 * @param inputs the files to predict
 * @param skipped seg4j's own outputs, left out
 */
record OwnOutputs(List<Path> inputs, List<Path> skipped) {
  /** Splits a folder listing into inputs and seg4j's own outputs. */
  static OwnOutputs of(List<Path> files, PredictSaves saves) {
    Set<String> stems = new HashSet<>();
    files.forEach(f -> stems.add(stem(f)));
    List<String> suffixes = new ArrayList<>();
    for (PredictSaves.Kind k : PredictSaves.Kind.values()) {
      String mark = k == PredictSaves.Kind.PROB ? "_" : ""; // <id>_prob_<class>
      if (k.suffix != null) {
        suffixes.add(saves.suffix(k) + mark);
        suffixes.add(k.suffix + mark);
      }
    }
    List<Path> inputs = new ArrayList<>();
    List<Path> skipped = new ArrayList<>();
    for (Path f : files) {
      boolean png = PredictInputs.extension(f).equals("png");
      boolean own =
          png
              && (namedLikeOutput(stem(f), stems, suffixes)
                  || Provenance.isOutput(Provenance.of(f)));
      (own ? skipped : inputs).add(f);
    }
    return new OwnOutputs(inputs, skipped);
  }

  /**
   * Whether {@code stem} is {@code <id><suffix>} for an {@code id} among {@code stems}; a suffix
   * ending in "_" (the probability maps') takes a class name after it.
   */
  static boolean namedLikeOutput(String stem, Set<String> stems, List<String> suffixes) {
    for (String s : suffixes) {
      if (s.isEmpty() || s.equals("_")) {
        continue;
      }
      boolean open = s.endsWith("_");
      for (int at = stem.indexOf(s); at > 0; at = stem.indexOf(s, at + 1)) {
        boolean whole = at + s.length() == stem.length();
        if (stems.contains(stem.substring(0, at)) && (open ? !whole : whole)) {
          return true;
        }
      }
    }
    return false;
  }

  /** One line for the console: how many files were left out and why; null when none were. */
  String summary(Path folder) {
    if (skipped.isEmpty()) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        "skipped %d file(s) in %s that seg4j wrote itself (predictions or report images, e.g. %s);"
            + " predicting %d image(s)",
        skipped.size(),
        folder,
        skipped.get(0).getFileName(),
        inputs.size());
  }

  private static String stem(Path f) {
    String n = f.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }
}
