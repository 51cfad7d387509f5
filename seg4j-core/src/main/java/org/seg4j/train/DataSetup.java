package org.seg4j.train;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.seg4j.data.CheckReport;
import org.seg4j.data.DatasetCheck;
import org.seg4j.data.DatasetException;
import org.seg4j.data.DatasetFactory;
import org.seg4j.data.DatasetFormat;
import org.seg4j.data.DatasetSpec;
import org.seg4j.data.FileDataset;
import org.seg4j.data.Problem;
import org.seg4j.data.Splits;
import org.seg4j.run.DataConfig;
import org.seg4j.run.TrainConfig;

/**
 * Opens a run's datasets from the {@code data} section of a {@link TrainConfig}: the format and
 * folders, the mask codec, and per split ({@code data.train}, {@code data.val}, {@code data.test})
 * the images to use. Every split is checked before use, so a bad mask fails here, with its file
 * named, and never mid-epoch.
 *
 * <p>A split's value is read by one rule, the same for every format:
 *
 * <ol>
 *   <li>null: all images; except VOC, which takes {@code ImageSets/Segmentation/SPLIT.txt} when
 *       that file exists (else all images for train, no validation for val).
 *   <li>{@code LO..HI}: the images whose ids are whole numbers in that range.
 *   <li>a path to a file (a list of ids, one per line) or a folder (a split folder: a dataset of
 *       the same format and options rooted there, as {@code seg4j split --copy} writes). An
 *       absolute path is taken as it is; a relative one first from {@link TrainConfig#baseDir} (the
 *       folder of the config file that set it, or the working directory for a flag), then from
 *       {@code data.root}.
 *   <li>a split name such as {@code train}, when no such file or folder exists: the list {@link
 *       Splits#listCandidates} finds below {@code data.root} ({@code
 *       ImageSets/Segmentation/train.txt}, {@code splits/train.txt}, {@code train.txt}).
 * </ol>
 *
 * Anything else is refused naming the key, the value, every place tried and the fix. {@link
 * #resolve} writes the outcome back as absolute paths, so a run's config.yml opens the same files
 * from any folder.
 */
public final class DataSetup {
  private static final Pattern RANGE = Pattern.compile("(\\d+)\\s*\\.\\.\\s*(\\d+)");

  /** The split keys below {@code data}. */
  static final List<String> SPLITS = List.of("train", "val", "test");

  private DataSetup() {}

  private enum Kind {
    ALL,
    RANGE,
    LIST,
    FOLDER
  }

  /** Where a split's images come from; {@code path} is absolute for LIST and FOLDER. */
  private record Selection(Kind kind, String value, Path path, int lo, int hi) {
    static Selection all() {
      return new Selection(Kind.ALL, null, null, 0, 0);
    }

    /** The value as config.yml should hold it. */
    String resolved() {
      return switch (kind) {
        case ALL -> null;
        case RANGE -> value;
        case LIST, FOLDER -> path.toString();
      };
    }
  }

  /** The dataset spec of the whole data section (no split applied). */
  public static DatasetSpec spec(TrainConfig c) {
    return spec(c, root(c));
  }

  private static DatasetSpec spec(TrainConfig c, Path root) {
    DataConfig d = c.data();
    DatasetFormat format = DatasetFormat.parse(d.format());
    DatasetSpec.Builder b =
        DatasetSpec.builder(format, root)
            .mask(d.mask())
            .channels(d.channels())
            .convert(true) // every image is converted to the model's data.channels ...
            .mixedChannels(d.convert()) // ... but a mixed set only when asked, as check
            .classes(Recipe.dataClasses(c))
            .ignoreIndex(d.ignoreIndex())
            .skipBad(d.skipBad())
            .followLinks(d.followLinks());
    if (format != DatasetFormat.VOC) {
      b.imageDir(Path.of(d.images()))
          .maskDir(Path.of(d.masks()))
          .imagePattern(d.imagePattern())
          .maskPattern(d.maskPattern());
    }
    if (d.classesFile() != null) {
      b.classesFile(Path.of(d.classesFile()));
    }
    return b.build();
  }

  /** {@code data.root} as given (relative to the working directory), failing when unset. */
  private static Path root(TrainConfig c) {
    String root = c.data().root();
    if (root == null) {
      throw new IllegalArgumentException(
          "config key 'data.root' is not set: give the dataset folder (data.root=DIR)");
    }
    return Path.of(root);
  }

  /**
   * A copy of {@code c} whose data section names exactly what a run uses, in a form that reads the
   * same from any folder: {@code data.root} absolute, each split as an absolute list file or split
   * folder (a range stays a range; VOC's default lists are written out), and {@code data.mask} set
   * to the format's default codec when it was null. Nothing is opened or written; a value that
   * names nothing is refused here, before a run folder exists.
   *
   * @throws IllegalArgumentException naming the key, value, places tried and the fix
   */
  public static TrainConfig resolve(TrainConfig c) {
    TrainConfig out = c.copy();
    Path root = root(c).toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException(
          "config key 'data.root' = '"
              + c.data().root()
              + "': "
              + root
              + " is not a folder: give the dataset folder (data.root=DIR)");
    }
    DatasetFormat format = DatasetFormat.parse(c.data().format());
    out.set("data.root", quote(root.toString()));
    if (c.data().mask() == null) {
      out.set("data.mask", format.defaultMask());
    }
    for (String split : SPLITS) {
      String v = select(c, split, root, format).resolved();
      out.set("data." + split, v == null ? null : quote(v));
    }
    return out;
  }

  /** A YAML double-quoted scalar, so that set() keeps any path as a string. */
  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /**
   * One line on what a split uses, for the start of a run: e.g. {@code data.train:
   * ImageSets/Segmentation/train.txt}, {@code data.val: ids 25..29}, {@code data.train: split
   * folder train/}, {@code data.train is not set: all images}. For an unset {@code data.val} it
   * says why there is no validation set (and where a list waits, if one does).
   */
  public static String describe(TrainConfig c, String split) {
    Path root = root(c).toAbsolutePath().normalize();
    DatasetFormat format = DatasetFormat.parse(c.data().format());
    String key = "data." + split;
    Selection s = select(c, split, root, format);
    return switch (s.kind()) {
      case RANGE -> key + ": ids " + s.lo() + ".." + s.hi();
      case LIST -> key + ": " + shown(s.path(), root);
      case FOLDER -> key + ": split folder " + shown(s.path(), root) + "/";
      case ALL -> {
        String why = key + " is not set";
        if (format == DatasetFormat.VOC) {
          why += " and there is no " + shown(vocList(root, split), root);
        } else if (Splits.findList(root, split) != null) {
          why +=
              "; "
                  + shown(Splits.findList(root, split), root)
                  + " exists: set "
                  + key
                  + ": "
                  + split
                  + " to use it";
        }
        yield split.equals("train") ? why + ": all images" : why;
      }
    };
  }

  private static String shown(Path p, Path root) {
    return p.startsWith(root) && !p.equals(root) ? root.relativize(p).toString() : p.toString();
  }

  private static Path vocList(Path root, String split) {
    return root.resolve("ImageSets").resolve("Segmentation").resolve(split + ".txt");
  }

  /** Applies the rule of the class comment to {@code data.<split>}. */
  private static Selection select(TrainConfig c, String split, Path root, DatasetFormat format) {
    String key = "data." + split;
    String v =
        switch (split) {
          case "train" -> c.data().train();
          case "val" -> c.data().val();
          default -> c.data().test();
        };
    if (v == null || v.isBlank()) {
      Path voc = vocList(root, split);
      if (format == DatasetFormat.VOC && Files.isRegularFile(voc)) {
        return new Selection(Kind.LIST, null, voc, 0, 0);
      }
      return Selection.all();
    }
    v = v.strip();
    Matcher m = RANGE.matcher(v);
    if (m.matches()) {
      return new Selection(
          Kind.RANGE, v, null, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }
    Path p;
    try {
      p = Path.of(v);
    } catch (InvalidPathException e) {
      throw refusal(c, key, v, List.of(), "it is not a path (" + e.getReason() + ")");
    }
    List<Path> tried = new ArrayList<>();
    List<Path> places =
        p.isAbsolute() ? List.of(p) : List.of(c.baseDir(key).resolve(p), root.resolve(p));
    for (Path q : places) {
      q = q.toAbsolutePath().normalize();
      if (Files.isRegularFile(q)) {
        return new Selection(Kind.LIST, v, q, 0, 0);
      }
      if (Files.isDirectory(q)) {
        return new Selection(Kind.FOLDER, v, q, 0, 0);
      }
      if (!tried.contains(q)) {
        tried.add(q);
      }
    }
    if (!p.isAbsolute() && p.getNameCount() == 1) {
      for (Path q : Splits.listCandidates(root, v)) {
        if (Files.isRegularFile(q)) {
          return new Selection(Kind.LIST, v, q, 0, 0);
        }
        if (!tried.contains(q)) {
          tried.add(q);
        }
      }
    }
    throw refusal(c, key, v, tried, "no such file or folder");
  }

  private static IllegalArgumentException refusal(
      TrainConfig c, String key, String v, List<Path> tried, String what) {
    Path file = c.source(key);
    return new IllegalArgumentException(
        "config key '"
            + key
            + "' = '"
            + v
            + "'"
            + (file == null ? "" : " (in " + file + ")")
            + ": "
            + what
            + (tried.isEmpty() ? "" : "; tried " + String.join(", ", strings(tried)))
            + ". Give a list file or split folder that exists (a relative path is read from "
            + (file == null ? "the working directory" : "the config file's folder")
            + ", then from data.root), a split name such as train (NAME.txt in"
            + " ImageSets/Segmentation/, splits/ or data.root, or the folder data.root/NAME"
            + " that `seg4j split copy=true` writes), a range like 0..24, or null for all images");
  }

  private static List<String> strings(List<Path> paths) {
    List<String> out = new ArrayList<>();
    paths.forEach(p -> out.add(p.toString()));
    return out;
  }

  /**
   * A split opened and checked: the usable samples and what the check found.
   *
   * @param data the samples to use (without those skipped with data.skip_bad)
   * @param report the check's report (skipped files, class pixels)
   */
  public record Checked(FileDataset data, CheckReport report) {
    /**
     * What a run must say about this split before its first step, one line each: every file skipped
     * with data.skip_bad not in {@code listed} yet (a file skipped while opening the whole root
     * shows in every split cut from it, so it is listed once), and, for a validation or evaluation
     * split ({@code measured}), every class with no pixel in it, whose IoU cannot be measured.
     */
    public List<String> remarks(String what, boolean measured, Set<Problem> listed) {
      List<String> out = new ArrayList<>();
      for (Problem p : report.skipped()) {
        if (listed.add(p)) {
          out.add("skipped (data.skip_bad): " + p.what(report.root()));
        }
      }
      if (measured) {
        for (String c : report.emptyClasses()) {
          out.add(
              "warning: class "
                  + c
                  + " has no pixels in "
                  + what
                  + ": its IoU is not measured there");
        }
      }
      return out;
    }
  }

  /**
   * Opens and checks one split ({@code data.train}, {@code data.val} or {@code data.test}); null
   * when the split selects nothing by default (an unset val or test) and {@code required} is false.
   */
  public static FileDataset open(TrainConfig c, String split, boolean required) {
    Checked checked = check(c, split, required);
    return checked == null ? null : checked.data();
  }

  /**
   * Opens one split and runs on it the check of {@code seg4j dataset check} ({@link DatasetCheck}),
   * so that train and eval refuse what the check calls a problem, before the first step (or skip
   * the file with data.skip_bad, listing it in {@link Checked#remarks}); null as for {@link #open}.
   *
   * @throws DatasetException with the check's report when a problem remains
   */
  public static Checked check(TrainConfig c, String split, boolean required) {
    Path root = root(c);
    DatasetSpec spec = spec(c, root);
    Selection s = select(c, split, root.toAbsolutePath().normalize(), spec.format());
    FileDataset ds =
        switch (s.kind()) {
          case ALL -> {
            if (!required) {
              yield null;
            }
            yield openAll(spec, split);
          }
          case RANGE -> range(DatasetFactory.open(spec), s.lo(), s.hi(), split, s.value());
          case LIST -> DatasetFactory.open(spec.toBuilder().listFile(s.path()).build());
          case FOLDER -> DatasetFactory.open(spec(c, s.path()));
        };
    if (ds == null) {
      return null;
    }
    CheckReport report = DatasetCheck.run(ds);
    if (!report.ok()) {
      throw new DatasetException(oneLine(report), report.problems());
    }
    return new Checked(report.usable(), report);
  }

  /** The first problem of a failed check, and how many more there are, as one line. */
  private static String oneLine(CheckReport r) {
    List<Problem> all = r.problems();
    int more = all.size() - 1;
    return all.get(0).message()
        + (more == 0
            ? ""
            : " (and "
                + more
                + " more problem"
                + (more == 1 ? "" : "s")
                + ": `seg4j dataset check data.root="
                + r.root()
                + "` lists them all)");
  }

  /**
   * Opens the whole root; when that fails on the output folder of {@code seg4j split --copy} (split
   * folders beside their lists), the error says which keys to set instead.
   */
  private static FileDataset openAll(DatasetSpec spec, String split) {
    try {
      return DatasetFactory.open(spec);
    } catch (DatasetException e) {
      Path root = spec.root().toAbsolutePath().normalize();
      if (!Files.isDirectory(root.resolve(split)) || Splits.findList(root, split) == null) {
        throw e;
      }
      String use =
          split.equals("train")
              ? "data.train: train and data.val: val (data.train=train data.val=val)"
              : "data." + split + ": " + split;
      throw new IllegalArgumentException(
          e.getMessage()
              + ". "
              + root
              + " holds split folders as `seg4j split copy=true` writes them: set "
              + use
              + " to use them",
          e);
    }
  }

  private static FileDataset range(FileDataset all, int lo, int hi, String split, String sel) {
    List<Integer> picked = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      String id = all.id(i);
      if (id.matches("\\d+")) {
        int v = Integer.parseInt(id);
        if (v >= lo && v <= hi) {
          ids.add(id);
        }
      }
    }
    ids.sort((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)));
    for (String id : ids) {
      for (int i = 0; i < all.size(); i++) {
        if (all.id(i).equals(id)) {
          picked.add(i);
        }
      }
    }
    if (picked.isEmpty()) {
      throw new IllegalArgumentException(
          "config key 'data."
              + split
              + "' = '"
              + sel
              + "' selects no image: the ids in "
              + all.root()
              + " are not numbers in that range");
    }
    return all.subset(picked);
  }
}
