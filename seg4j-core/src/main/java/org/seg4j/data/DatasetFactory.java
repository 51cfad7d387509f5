package org.seg4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Opens a {@link DatasetSpec} as a {@link FileDataset}: finds the files of each sample and pairs
 * images with masks. No pixels are decoded here. Missing masks, list ids without images and the
 * like fail with a {@link DatasetException} naming the file, or are skipped with --skip-bad.
 */
public final class DatasetFactory {
  private DatasetFactory() {}

  /** Opens a dataset. */
  public static FileDataset open(DatasetSpec spec) {
    return new Opener(spec).open();
  }

  private static final class Opener {
    private final DatasetSpec spec;
    private final Path root;
    private final BadInputReport report;
    private final List<Path> orphans = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private List<String> classDirs = List.of();
    private Path classesFile;

    Opener(DatasetSpec spec) {
      this.spec = spec;
      this.root = spec.root().toAbsolutePath().normalize();
      this.report = new BadInputReport(spec.skipBad());
    }

    FileDataset open() {
      if (!Files.isDirectory(root)) {
        throw config(root, "is not a folder", "give the dataset's root folder");
      }
      List<Entry> entries =
          switch (spec.format()) {
            case VOC ->
                paired(
                    dir(spec.imageDir(), "JPEGImages"),
                    dir(spec.maskDir(), "SegmentationClass"),
                    "{id}.jpg",
                    "{id}.png");
            case FOLDER ->
                paired(
                    dir(spec.imageDir(), "images"),
                    dir(spec.maskDir(), "masks"),
                    "{id}.*",
                    "{id}.*");
            case PER_CLASS -> perClass();
            case PER_INSTANCE -> perInstance();
          };
      entries = contained(entries);
      if (entries.stream().allMatch(e -> e.masks().isEmpty()) && !entries.isEmpty()) {
        notes.add("no masks found: the dataset is unlabelled (fine for predict, not for train)");
      }
      ClassNames names = classNames();
      int ignore =
          spec.ignoreIndex() != null
              ? spec.ignoreIndex()
              : spec.format() == DatasetFormat.VOC ? 255 : -1;
      int classes = classCount(names);
      if (names == null) {
        names =
            spec.format() == DatasetFormat.PER_INSTANCE
                ? ClassNames.of(List.of("background", "foreground"))
                : ClassNames.numbered(classes);
      }
      String codecName = spec.mask() != null ? spec.mask() : spec.format().defaultMask();
      MaskCodec codec;
      try {
        codec = MaskCodecs.parse(codecName, names, ignore);
      } catch (IllegalArgumentException e) {
        throw new DatasetException(
            new Problem(ProblemKind.CONFIG, null, "bad data.mask", e.getMessage()));
      }
      SampleDecoder decoder =
          new SampleDecoder(
              spec.channels(), spec.convert(), codec, classes, ignore, spec.format().layout());
      return new FileDataset(spec, root, entries, decoder, names, report, orphans, notes);
    }

    // ---------------------------------------------------------------- classes

    private ClassNames classNames() {
      Path file = spec.classesFile();
      if (file == null && Files.isRegularFile(root.resolve("classes.txt"))) {
        file = root.resolve("classes.txt");
      }
      classesFile = file;
      if (file == null) {
        if (spec.format() == DatasetFormat.PER_CLASS) {
          List<String> n = new ArrayList<>(List.of("background"));
          n.addAll(classDirs);
          return ClassNames.of(n);
        }
        return null;
      }
      ClassNames names = ClassNames.read(file);
      if (spec.format() == DatasetFormat.PER_CLASS && names.size() != classDirs.size() + 1) {
        if (names.size() != classDirs.size()) {
          throw config(
              file,
              "names "
                  + names.size()
                  + " classes but masks/ holds "
                  + classDirs.size()
                  + " class folders "
                  + classDirs,
              "list background plus one name per class folder");
        }
        List<String> n = new ArrayList<>(List.of("background"));
        n.addAll(names.names());
        names = ClassNames.of(n);
      }
      return names;
    }

    private int classCount(ClassNames names) {
      int fromFormat =
          switch (spec.format()) {
            case PER_CLASS -> classDirs.size() + 1;
            case PER_INSTANCE -> 2;
            default -> 0;
          };
      int fromNames = names == null ? 0 : names.size();
      int known = fromNames > 0 ? fromNames : fromFormat;
      if (spec.classes() > 0 && known > 0 && spec.classes() != known) {
        throw config(
            fromNames > 0 ? classesFile : root,
            (fromNames > 0 ? "names " : "has ")
                + known
                + " classes but model.classes="
                + spec.classes(),
            "make model.classes match, or drop it");
      }
      return spec.classes() > 0 ? spec.classes() : known;
    }

    // ---------------------------------------------------------------- formats

    private Path dir(Path given, String fallback) {
      return given != null ? root.resolve(given) : root.resolve(fallback);
    }

    private List<String> listIds() {
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

    private List<Entry> paired(Path imageDir, Path maskDir, String imgDefault, String maskDefault) {
      IdPattern imgPat = pattern(spec.imagePattern(), imgDefault);
      IdPattern maskPat = pattern(spec.maskPattern(), maskDefault);
      requireDir(imageDir, spec.imageDir() == null ? "images" : null);
      boolean haveMasks = Files.isDirectory(maskDir);
      if (!haveMasks && spec.maskDir() != null) {
        throw config(maskDir, "is not a folder", "check the mask folder option");
      }
      List<String> listed = listIds();
      List<String> ids;
      if (listed != null) {
        ids = listed;
      } else if (spec.format() == DatasetFormat.VOC && haveMasks) {
        ids = scan(maskDir, maskPat); // VOC: only the images that have masks
      } else {
        ids = scan(imageDir, imgPat);
      }
      List<Entry> entries = new ArrayList<>();
      List<Path> missing = new ArrayList<>();
      for (String id : ids) {
        Path image = imgPat.resolve(imageDir, id);
        if (!Files.isRegularFile(image)) {
          absent(id, image, listed != null);
          continue;
        }
        Path mask = haveMasks ? maskPat.resolve(maskDir, id) : null;
        if (mask != null && !Files.isRegularFile(mask)) {
          missing.add(mask);
          mask = null;
        }
        entries.add(new Entry(id, image, mask == null ? List.of() : List.of(mask)));
      }
      if (haveMasks && missing.size() == entries.size() && !entries.isEmpty()) {
        notes.add(
            maskDir.getFileName()
                + "/ holds no masks named "
                + maskPat
                + " (files there: "
                + sample(maskDir)
                + ")");
        return empty(entries, imageDir, imgPat);
      }
      entries = dropMissingMasks(entries, missing);
      if (haveMasks && listed == null) {
        Set<String> known = new HashSet<>(ids);
        for (String id : scan(maskDir, maskPat)) {
          if (!known.contains(id)) {
            orphans.add(maskPat.resolve(maskDir, id));
          }
        }
      }
      return empty(entries, imageDir, imgPat);
    }

    private List<Entry> perClass() {
      Path imageDir = dir(spec.imageDir(), "images");
      Path maskDir = dir(spec.maskDir(), "masks");
      requireDir(imageDir, "images");
      requireDir(maskDir, "masks");
      try (Stream<Path> s = Files.list(maskDir)) {
        classDirs =
            s.filter(Files::isDirectory)
                .map(p -> p.getFileName().toString())
                .filter(n -> !n.startsWith("."))
                .sorted(Ids.ORDER)
                .toList();
      } catch (IOException e) {
        throw config(maskDir, "cannot be listed (" + e.getMessage() + ")", "check permissions");
      }
      if (classDirs.isEmpty()) {
        throw config(
            maskDir, "holds no class folders", "put each class's masks in masks/{class}/{id}.png");
      }
      IdPattern imgPat = pattern(spec.imagePattern(), "{id}.*");
      IdPattern maskPat = pattern(spec.maskPattern(), "{id}.*");
      List<String> listed = listIds();
      List<String> ids = listed != null ? listed : scan(imageDir, imgPat);
      List<Entry> entries = new ArrayList<>();
      for (String id : ids) {
        Path image = imgPat.resolve(imageDir, id);
        if (!Files.isRegularFile(image)) {
          absent(id, image, listed != null);
          continue;
        }
        List<Path> masks = new ArrayList<>();
        Path missing = null;
        for (String c : classDirs) {
          Path m = maskPat.resolve(maskDir.resolve(c), id);
          if (!Files.isRegularFile(m) && missing == null) {
            missing = m;
          }
          masks.add(m);
        }
        if (missing != null) {
          missingMask(missing, image);
          continue;
        }
        entries.add(new Entry(id, image, masks));
      }
      return empty(entries, imageDir, imgPat);
    }

    private List<Entry> perInstance() {
      IdPattern imgPat = pattern(spec.imagePattern(), "{id}.*");
      List<String> listed = listIds();
      List<String> ids;
      if (listed != null) {
        ids = listed;
      } else {
        try (Stream<Path> s = Files.list(root)) {
          ids =
              s.filter(p -> Files.isDirectory(p.resolve("images")))
                  .map(p -> p.getFileName().toString())
                  .sorted(Ids.ORDER)
                  .toList();
        } catch (IOException e) {
          throw config(root, "cannot be listed (" + e.getMessage() + ")", "check permissions");
        }
      }
      List<Entry> entries = new ArrayList<>();
      for (String id : ids) {
        Path image = imgPat.resolve(root.resolve(id).resolve("images"), id);
        if (!Files.isRegularFile(image)) {
          absent(id, image, listed != null);
          continue;
        }
        Path maskDir = root.resolve(id).resolve("masks");
        List<Path> masks = imageFiles(maskDir);
        if (masks.isEmpty()) {
          missingMask(maskDir, image);
          continue;
        }
        entries.add(new Entry(id, image, masks));
      }
      return empty(entries, root, imgPat);
    }

    // ---------------------------------------------------------------- links

    /** Reports {@code file} when it is a symbolic link to nothing; true when it is. */
    private boolean dangling(Path file) {
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
     * named outside the root (e.g. --images /elsewhere). A file a symbolic link leads out of them
     * is refused (skipped with --skip-bad) unless --follow-links.
     */
    private List<Entry> contained(List<Entry> entries) {
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
        if (files.stream()
            .allMatch(f -> !dangling(f) && (spec.followLinks() || inside(f, bases)))) {
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
              "pass data.follow_links=true to use files that links lead out of the dataset, or"
                  + " copy the file into it (data.skip_bad=true skips it)"));
      return false;
    }

    private static Path real(Path p) {
      try {
        return p.toRealPath();
      } catch (IOException e) {
        return p.toAbsolutePath().normalize();
      }
    }

    // ---------------------------------------------------------------- helpers

    private IdPattern pattern(String given, String fallback) {
      try {
        return new IdPattern(given != null ? given : fallback);
      } catch (IllegalArgumentException e) {
        throw new DatasetException(
            new Problem(ProblemKind.CONFIG, null, "bad name pattern", e.getMessage()));
      }
    }

    private void requireDir(Path dir, String defaultName) {
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

    private List<String> scan(Path dir, IdPattern pattern) {
      try {
        return pattern.ids(dir);
      } catch (IOException e) {
        throw config(dir, "cannot be listed (" + e.getMessage() + ")", "check permissions");
      }
    }

    private void absent(String id, Path image, boolean fromList) {
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

    private void missingMask(Path mask, Path image) {
      if (dangling(mask)) {
        return;
      }
      report.handle(
          new Problem(
              ProblemKind.MISSING_MASK,
              mask,
              "is missing (image " + image.getFileName() + " has no mask)",
              "add the mask, check data.mask_pattern=PATTERN, or pass data.skip_bad=true to skip"
                  + " the image"));
    }

    private List<Entry> dropMissingMasks(List<Entry> entries, List<Path> missing) {
      if (missing.isEmpty()) {
        return entries;
      }
      Set<Path> gone = new HashSet<>(missing);
      List<Entry> kept = new ArrayList<>();
      int m = 0;
      for (Entry e : entries) {
        if (e.masks().isEmpty() && m < missing.size() && gone.contains(missing.get(m))) {
          missingMask(missing.get(m++), e.image());
        } else {
          kept.add(e);
        }
      }
      return kept;
    }

    private List<Entry> empty(List<Entry> entries, Path dir, IdPattern pattern) {
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

    private static List<Path> imageFiles(Path dir) {
      if (!Files.isDirectory(dir)) {
        return List.of();
      }
      try (Stream<Path> s = Files.list(dir)) {
        return s.filter(p -> Files.isRegularFile(p) || Files.isSymbolicLink(p)) // dangling: named
            .filter(
                p -> {
                  String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                  int dot = n.lastIndexOf('.');
                  return !n.startsWith(".")
                      && dot > 0
                      && IdPattern.IMAGE_EXTENSIONS.contains(n.substring(dot + 1));
                })
            .sorted()
            .toList();
      } catch (IOException e) {
        return List.of();
      }
    }

    private static String sample(Path dir) {
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

    private static DatasetException config(Path file, String value, String fix) {
      return new DatasetException(new Problem(ProblemKind.CONFIG, file, value, fix));
    }
  }
}
