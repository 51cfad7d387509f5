package org.seg4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.seg4j.data.DatasetFactory;
import org.seg4j.data.DatasetFormat;
import org.seg4j.data.DatasetSpec;
import org.seg4j.data.FileDataset;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options that say where a dataset is and how to read it ({@code --data}, {@code --format},
 * folders, name patterns, mask codec, classes, channels, ids), shared by the commands that open a
 * dataset. Relative folder and file options are taken below {@code --data} when they exist there,
 * else from the working directory.
 */
final class DatasetOptions {
  @Option(names = "--data", required = true, paramLabel = "DIR", description = "dataset folder")
  Path data;

  @Option(
      names = "--format",
      defaultValue = DatasetFormat.DEFAULT_NAME,
      converter = FormatConverter.class,
      paramLabel = "FORMAT",
      description = "voc, folder, per-class or per-instance (default: ${DEFAULT-VALUE})")
  DatasetFormat format;

  @Option(
      names = "--images",
      paramLabel = "DIR",
      description = "image folder (default: images/, JPEGImages/ for voc)")
  Path images;

  @Option(
      names = "--masks",
      paramLabel = "DIR",
      description = "mask folder (default: masks/, SegmentationClass/ for voc)")
  Path masks;

  @Option(
      names = "--image-pattern",
      paramLabel = "PATTERN",
      description = "image file names, e.g. {id}.png (default: {id}.*, {id}.jpg for voc)")
  String imagePattern;

  @Option(
      names = "--mask-pattern",
      paramLabel = "PATTERN",
      description = "mask file names, e.g. {id}_mask.png (default: {id}.*, {id}.png for voc)")
  String maskPattern;

  @Option(
      names = "--mask",
      paramLabel = "CODEC",
      description =
          "how mask pixels map to classes: index, binary255, threshold:N, palette or rgb"
              + " (default: index; binary255 for per-class and per-instance)")
  String mask;

  @Option(
      names = "--classes",
      defaultValue = "0",
      paramLabel = "K",
      description = "number of classes (default: from classes.txt or the format)")
  int classes;

  @Option(
      names = "--classes-file",
      paramLabel = "FILE",
      description = "class names, one per line (default: classes.txt in the dataset folder)")
  Path classesFile;

  @Option(
      names = "--channels",
      defaultValue = "0",
      paramLabel = "C",
      description = "input channels 1 or 3 (default: as the files hold)")
  int channels;

  @Option(names = "--convert", description = "convert grey/RGB images to --channels")
  boolean convert;

  @Option(
      names = "--ignore-index",
      paramLabel = "N",
      description = "mask value to ignore, -1 for none (default: 255, as data.ignore_index)")
  Integer ignoreIndex;

  @Option(names = "--list", paramLabel = "FILE", description = "use only the ids in FILE")
  Path list;

  @Option(
      names = "--split",
      paramLabel = "NAME",
      description =
          "use only the ids of NAME.txt in ImageSets/Segmentation/ (as seg4j split writes),"
              + " splits/ or the dataset folder")
  String split;

  @Option(names = "--skip-bad", description = "skip bad files and list them instead of failing")
  boolean skipBad;

  @Option(
      names = "--follow-links",
      description =
          "use files that symbolic links lead to outside the dataset folder (refused otherwise)")
  boolean followLinks;

  /** The spec the options describe. */
  DatasetSpec spec() {
    if (list != null && split != null) {
      throw new IllegalArgumentException("give --list or --split, not both");
    }
    return DatasetSpec.builder(format, data)
        .imageDir(resolve(images))
        .maskDir(resolve(masks))
        .imagePattern(imagePattern)
        .maskPattern(maskPattern)
        .mask(mask)
        // --classes 1 names a single-logit (sigmoid) head: its masks hold 2 classes, 0 and 1
        .classes(classes == 1 ? 2 : classes)
        .classesFile(resolve(classesFile))
        .channels(channels)
        .convert(convert)
        .ignoreIndex(ignoreIndex)
        .listFile(resolve(list))
        .split(split)
        .skipBad(skipBad)
        .followLinks(followLinks)
        .build();
  }

  /** Opens the dataset (finds and pairs the files; decodes nothing). */
  FileDataset open() {
    return DatasetFactory.open(spec());
  }

  /** A relative path below --data when it exists there, else from the working directory. */
  private Path resolve(Path p) {
    if (p == null || p.isAbsolute()) {
      return p;
    }
    Path below = data.resolve(p).toAbsolutePath();
    return !Files.exists(below) && Files.exists(p) ? p.toAbsolutePath() : below;
  }

  /** Parses --format with the list of valid names on error. */
  static final class FormatConverter implements ITypeConverter<DatasetFormat> {
    @Override
    public DatasetFormat convert(String value) {
      try {
        return DatasetFormat.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
