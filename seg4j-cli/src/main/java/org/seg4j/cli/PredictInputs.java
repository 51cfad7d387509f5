package org.seg4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.seg4j.data.IdPattern;
import org.seg4j.data.Ids;
import org.seg4j.data.Problem;
import org.seg4j.data.ProblemKind;
import org.seg4j.data.Splits;
import org.seg4j.io.Videos;

/**
 * The files {@code seg4j predict} works on: one file, the images (and videos) of a folder, or the
 * ids of a list file or split name resolved against a dataset's image folder. Listed ids without an
 * image are {@link #absent()} problems, for --skip-bad to skip or to fail on.
 *
 * @param files the files to predict, in order
 * @param absent listed ids that have no image
 * @param ignored folder entries that are neither images nor videos (not read)
 * @param source what was selected, for the start line
 */
record PredictInputs(List<Path> files, List<Problem> absent, List<String> ignored, String source) {
  /** Video extensions read as videos in a folder. */
  static final List<String> VIDEO_EXTENSIONS = Videos.EXTENSIONS;

  /** Image folders below a dataset root, in the order tried: VOC's, then the folder format's. */
  static final List<String> IMAGE_FOLDERS = List.of("JPEGImages", "images");

  static String extension(Path file) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /**
   * Resolves the inputs.
   *
   * @param input --input: a file or a folder, or null with --data
   * @param data --data: a dataset folder, or null
   * @param list --list: a file of ids, or null
   * @param split --split: a split name, or null
   * @param imagePattern --image-pattern, e.g. {id}.* (the default)
   */
  static PredictInputs resolve(Path input, Path data, Path list, String split, String imagePattern)
      throws IOException {
    if (input != null && data != null) {
      throw new IllegalArgumentException(
          "give --input (files or a folder) or --data (a dataset with --list/--split), not both");
    }
    if (input == null && data == null) {
      throw new IllegalArgumentException(
          "give --input IMAGE_VIDEO_OR_FOLDER, or --data DIR with --split NAME or --list FILE");
    }
    if (list != null && split != null) {
      throw new IllegalArgumentException("give --list or --split, not both");
    }
    if (split != null && data == null) {
      throw new IllegalArgumentException(
          "--split "
              + split
              + " names a list inside a dataset: give the dataset with --data DIR (or a list"
              + " file with --list FILE)");
    }
    IdPattern pattern;
    try {
      pattern = new IdPattern(imagePattern);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--image-pattern " + imagePattern + ": " + e.getMessage());
    }
    if (data == null && list == null) {
      return files(input);
    }
    Path root = data != null ? data : input;
    if (!Files.isDirectory(root)) {
      throw new IOException(
          (data != null ? "--data " : "--input ")
              + root
              + " is not a folder: give the dataset folder the ids belong to");
    }
    Path listFile = list == null ? null : listFile(list, data);
    if (split != null) {
      listFile = Splits.findList(root, split);
      if (listFile == null) {
        throw new IOException(
            "--split "
                + split
                + ": "
                + root
                + " has no "
                + split
                + ".txt in ImageSets/Segmentation/, splits/ or the folder itself: write the"
                + " lists with seg4j split --data "
                + root
                + ", or give --list FILE");
      }
    }
    Path folder = imageFolder(root, data != null);
    List<String> ids;
    if (listFile != null) {
      ids = Ids.readList(listFile);
      if (ids.isEmpty()) {
        throw new IOException(listFile + " lists no ids: give a list with one id per line");
      }
    } else {
      ids = pattern.ids(folder);
      if (ids.isEmpty()) {
        throw new IOException(
            folder + " holds no images named " + imagePattern + ": check --image-pattern");
      }
    }
    List<Path> files = new ArrayList<>();
    List<Problem> absent = new ArrayList<>();
    for (String id : ids) {
      Path f = pattern.resolve(folder, id);
      if (!Files.isRegularFile(f) && data != null) {
        Path own = root.resolve(id).resolve("images"); // per-instance: <id>/images/<id>.png
        if (pattern.exists(own, id)) {
          f = pattern.resolve(own, id);
        }
      }
      if (Files.isRegularFile(f)) {
        files.add(f);
      } else {
        absent.add(
            new Problem(
                ProblemKind.ABSENT_ID,
                f,
                "is named by id '" + id + "' in " + listFile + " but does not exist",
                "remove the id from the list, check --image-pattern, or pass --skip-bad"));
      }
    }
    String what =
        listFile == null
            ? "all " + ids.size() + " images in " + folder
            : ids.size() + " ids of " + listFile + " in " + folder;
    return new PredictInputs(files, absent, List.of(), what);
  }

  /** A list file as given, else below --data. */
  private static Path listFile(Path list, Path data) throws IOException {
    if (Files.isRegularFile(list) || list.isAbsolute() || data == null) {
      if (!Files.isRegularFile(list)) {
        throw new IOException("--list " + list + " does not exist: give a file of ids, one a line");
      }
      return list;
    }
    Path below = data.resolve(list);
    if (!Files.isRegularFile(below)) {
      throw new IOException(
          "--list " + list + " does not exist here nor in " + data + ": give a file of ids");
    }
    return below;
  }

  /** A dataset's image folder: JPEGImages/, images/, else the folder itself. */
  private static Path imageFolder(Path root, boolean dataset) {
    if (dataset) {
      for (String name : IMAGE_FOLDERS) {
        if (Files.isDirectory(root.resolve(name))) {
          return root.resolve(name);
        }
      }
    }
    return root;
  }

  /** One file, or a folder's images and videos (other files are ignored and named). */
  private static PredictInputs files(Path input) throws IOException {
    if (Files.isRegularFile(input)) {
      return new PredictInputs(List.of(input), List.of(), List.of(), input.toString());
    }
    if (!Files.isDirectory(input)) {
      throw new IOException(
          input + " does not exist: give an image or video file, or a folder of them");
    }
    List<Path> files = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    try (Stream<Path> s = Files.list(input)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        String name = p.getFileName().toString();
        String ext = extension(p);
        if (name.startsWith(".")) {
          continue;
        }
        if (IdPattern.IMAGE_EXTENSIONS.contains(ext) || VIDEO_EXTENSIONS.contains(ext)) {
          files.add(p);
        } else {
          ignored.add(name);
        }
      }
    }
    if (files.isEmpty()) {
      throw new IOException(
          input
              + " holds no images or videos ("
              + String.join(", ", IdPattern.IMAGE_EXTENSIONS)
              + ", "
              + String.join(", ", VIDEO_EXTENSIONS)
              + "): give a folder of them");
    }
    return new PredictInputs(files, List.of(), ignored, input.toString());
  }
}
