package org.seg4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds the files of a dataset in one on-disk format: each format has its own reader ({@link
 * VocReader}, {@link FolderReader}, {@link PerClassReader}, {@link PerInstanceReader}); this base
 * holds what they share (list files, name patterns, links out of the dataset, the problems they
 * report). No pixels are decoded here.
 */
abstract class DatasetReader {
  final DatasetSpec spec;
  final Path root;

  /** The files skipped (--skip-bad) or refused. */
  final BadInputReport report;

  /** Masks no image is named by. */
  final List<Path> orphans = new ArrayList<>();

  /** Remarks for the user (no masks found, masks named otherwise). */
  final List<String> notes = new ArrayList<>();

  DatasetReader(DatasetSpec spec) {
    this.spec = spec;
    this.root = spec.root().toAbsolutePath().normalize();
    this.report = new BadInputReport(spec.skipBad());
  }

  /** The reader of {@code spec}'s format. */
  static DatasetReader of(DatasetSpec spec) {
    return switch (spec.format()) {
      case VOC -> new VocReader(spec);
      case FOLDER -> new FolderReader(spec);
      case PER_CLASS -> new PerClassReader(spec);
      case PER_INSTANCE -> new PerInstanceReader(spec);
    };
  }

  /** The samples' files, in id order. */
  abstract List<Entry> entries();

  /** The class count the layout fixes (0 when it fixes none). */
  int formatClasses() {
    return 0;
  }

  /**
   * The class names: those of the classes file ({@code fromFile}, null when there is none), made to
   * fit the layout; null when nothing names the classes.
   *
   * @param file the classes file, named in errors
   */
  ClassNames classNames(ClassNames fromFile, Path file) {
    return fromFile;
  }

  /** The names of {@code classes} classes nothing named. */
  ClassNames defaultNames(int classes) {
    return ClassNames.numbered(classes);
  }

  /** {@code given} under the root, else the format's folder {@code fallback}. */
  Path dir(Path given, String fallback) {
    return given != null ? root.resolve(given) : root.resolve(fallback);
  }

  /** The ids of the list file or of the split's list; null when neither is given. */
  List<String> listIds() {
    if (spec.listFile() != null) {
      return nonEmpty(root.resolve(spec.listFile()));
    }
    if (spec.split() != null) {
      Path list = Splits.findList(root, spec.split());
      if (list == null) {
        List<Path> tried = Splits.listCandidates(root, spec.split());
        throw config(
            tried.get(0),
            "does not exist, nor do "
                + root.relativize(tried.get(1))
                + " and "
                + root.relativize(tried.get(2))
                + " (the places of split '"
                + spec.split()
                + "')",
            "write the lists with `seg4j split`, or check the split name");
      }
      return nonEmpty(list);
    }
    return null;
  }

  private static List<String> nonEmpty(Path list) {
    List<String> ids = Ids.readList(list);
    if (ids.isEmpty()) {
      throw config(
          null,
          "list file " + list + " is empty (it names no id)",
          "put one id per line in it (`seg4j split` writes these lists), or give another list");
    }
    return ids;
  }

  /** Reports {@code file} when it is a symbolic link to nothing; true when it is. */
  boolean dangling(Path file) {
    if (!Files.isSymbolicLink(file) || Files.exists(file)) {
      return false;
    }
    String target;
    try {
      target = Files.readSymbolicLink(file).toString();
    } catch (IOException e) {
      target = "?";
    }
    report.handle(
        new Problem(
            ProblemKind.DANGLING_LINK,
            file,
            "is a symbolic link to " + target + ", which does not exist (a dangling link)",
            "fix or remove the link, or pass data.skip_bad=true to skip it"));
    return true;
  }

  /**
   * The entries whose files all lie inside the dataset: below the real root, or below a folder
   * named outside the root (e.g. --images /elsewhere). A file a symbolic link leads out of them is
   * refused (skipped with --skip-bad) unless --follow-links.
   */
  List<Entry> contained(List<Entry> entries) {
    List<Path> bases = new ArrayList<>();
    bases.add(real(root));
    for (Path d : new Path[] {spec.imageDir(), spec.maskDir()}) {
      Path abs = d == null ? null : root.resolve(d).toAbsolutePath().normalize();
      if (abs != null && !abs.startsWith(root) && Files.isDirectory(abs)) {
        bases.add(real(abs));
      }
    }
    List<Entry> kept = new ArrayList<>();
    for (Entry e : entries) {
      List<Path> files = new ArrayList<>(List.of(e.image()));
      files.addAll(e.masks());
      if (files.stream().allMatch(f -> !dangling(f) && (spec.followLinks() || inside(f, bases)))) {
        kept.add(e);
      }
    }
    if (kept.isEmpty() && !entries.isEmpty()) {
      throw new DatasetException(
          new Problem(
              ProblemKind.EMPTY_DATASET,
              root,
              "has no usable samples: all " + report.skipped().size() + " were skipped",
              "fix the files listed above"));
    }
    return kept;
  }

  private boolean inside(Path file, List<Path> bases) {
    Path r = real(file);
    if (bases.stream().anyMatch(r::startsWith)) {
      return true;
    }
    report.handle(
        new Problem(
            ProblemKind.OUTSIDE_ROOT,
            file,
            "leads through a symbolic link to " + r + ", outside the dataset folder " + root,
            "pass data.follow_links=true to use files that links lead out of the dataset, or copy the"
                + " file into it (data.skip_bad=true skips it)"));
    return false;
  }

  private static Path real(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p.toAbsolutePath().normalize();
    }
  }

  IdPattern pattern(String given, String fallback) {
    try {
      return new IdPattern(given != null ? given : fallback);
    } catch (IllegalArgumentException e) {
      throw new DatasetException(
          new Problem(ProblemKind.CONFIG, null, "bad name pattern", e.getMessage()));
    }
  }

  void requireDir(Path dir, String defaultName) {
    if (!Files.isDirectory(dir)) {
      throw config(
          dir,
          "is not a folder",
          defaultName != null
              ? "this format expects "
                  + defaultName
                  + "/ under the root; give the folder explicitly"
              : "check the folder option");
    }
  }

  List<String> scan(Path dir, IdPattern pattern) {
    try {
      return pattern.ids(dir);
    } catch (IOException e) {
      throw config(dir, "cannot be listed (" + e.getMessage() + ")", "check permissions");
    }
  }

  void absent(String id, Path image, boolean fromList) {
    if (dangling(image)) {
      return;
    }
    if (fromList) {
      report.handle(
          new Problem(
              ProblemKind.ABSENT_ID,
              image,
              "is named by id '" + id + "' in the list file but does not exist",
              "remove '"
                  + id
                  + "' from the list (re-run `seg4j split`), or pass data.skip_bad=true"));
    } else {
      report.handle(
          new Problem(
              ProblemKind.MISSING_IMAGE,
              image,
              "does not exist but its mask does",
              "add the image or remove the mask, or pass data.skip_bad=true"));
    }
  }

  void missingMask(Path mask, Path image) {
    if (dangling(mask)) {
      return;
    }
    report.handle(
        new Problem(
            ProblemKind.MISSING_MASK,
            mask,
            "is missing (image " + image.getFileName() + " has no mask)",
            "add the mask, check data.mask_pattern=PATTERN, or pass data.skip_bad=true to skip the image"));
  }

  List<Entry> empty(List<Entry> entries, Path dir, IdPattern pattern) {
    if (entries.isEmpty()) {
      String why =
          report.skipped().isEmpty()
              ? "holds no images named " + pattern + " (files there: " + sample(dir) + ")"
              : "has no usable samples: all " + report.skipped().size() + " were skipped";
      throw new DatasetException(
          new Problem(
              ProblemKind.EMPTY_DATASET,
              dir,
              why,
              "check the folder, data.format and the name patterns"));
    }
    return entries;
  }

  static String sample(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      Set<String> names = new LinkedHashSet<>();
      s.map(p -> p.getFileName().toString()).sorted().limit(4).forEach(names::add);
      return names.isEmpty()
          ? "none"
          : String.join(", ", names) + (names.size() == 4 ? ", ..." : "");
    } catch (IOException e) {
      return "unlistable";
    }
  }

  static DatasetException config(Path file, String value, String fix) {
    return new DatasetException(new Problem(ProblemKind.CONFIG, file, value, fix));
  }
}
