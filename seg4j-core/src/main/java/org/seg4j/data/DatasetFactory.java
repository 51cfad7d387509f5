package org.seg4j.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Opens a {@link DatasetSpec} as a {@link FileDataset}: the format's {@link DatasetReader} finds
 * the files of each sample and pairs images with masks; this class adds the class names, the class
 * count, the ignore index and the mask codec. No pixels are decoded here. Missing masks, list ids
 * without images and the like fail with a {@link DatasetException} naming the file, or are skipped
 * with --skip-bad.
 */
public final class DatasetFactory {
  private DatasetFactory() {}

  /** Opens a dataset. */
  public static FileDataset open(DatasetSpec spec) {
    DatasetReader reader = DatasetReader.of(spec);
    Path root = reader.root;
    if (!Files.isDirectory(root)) {
      throw DatasetReader.config(root, "is not a folder", "give the dataset's root folder");
    }
    Path classesFile = spec.classesFile();
    if (classesFile == null && Files.isRegularFile(root.resolve("classes.txt"))) {
      classesFile = root.resolve("classes.txt");
    }
    // names first: a per-class reader takes its class folders in the classes file's order
    ClassNames names =
        reader.classNames(classesFile == null ? null : ClassNames.read(classesFile), classesFile);
    List<Entry> entries = reader.contained(reader.entries());
    if (entries.stream().allMatch(e -> e.masks().isEmpty()) && !entries.isEmpty()) {
      reader.notes.add(
          "no masks found: the dataset is unlabelled (fine for predict, not for train)");
    }
    int ignore = spec.ignoreIndex() != null ? spec.ignoreIndex() : DatasetSpec.DEFAULT_IGNORE_INDEX;
    int classes = classCount(spec, reader, names, classesFile);
    if (names == null) {
      names = reader.defaultNames(classes);
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
    return new FileDataset(
        spec, root, entries, decoder, names, reader.report, reader.orphans, reader.notes);
  }

  /** The classes named, else those the layout fixes; --classes must agree with either. */
  private static int classCount(
      DatasetSpec spec, DatasetReader reader, ClassNames names, Path classesFile) {
    int fromNames = names == null ? 0 : names.size();
    int known = fromNames > 0 ? fromNames : reader.formatClasses();
    if (spec.classes() > 0 && known > 0 && spec.classes() != known) {
      throw DatasetReader.config(
          fromNames > 0 ? classesFile : reader.root,
          (fromNames > 0 ? "names " : "has ")
              + known
              + " classes but model.classes="
              + spec.classes(),
          "make model.classes match, or drop it");
    }
    return spec.classes() > 0 ? spec.classes() : known;
  }
}
