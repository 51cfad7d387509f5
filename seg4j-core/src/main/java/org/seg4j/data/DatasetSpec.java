package org.seg4j.data;

import java.nio.file.Path;

/**
 * What to open: a format, its root folder and options. Null or 0 fields take the format's defaults
 * (see {@link DatasetFactory}). Build with {@link #builder(DatasetFormat, Path)}.
 *
 * @param format the on-disk layout
 * @param root the dataset folder
 * @param imageDir the image folder (default: JPEGImages for VOC, root/images otherwise)
 * @param maskDir the mask folder (default: SegmentationClass for VOC, root/masks otherwise)
 * @param imagePattern image file names (default {id}.jpg for VOC, {id}.* otherwise)
 * @param maskPattern mask file names (default {id}.png for VOC, {id}.* otherwise)
 * @param listFile a file of ids to use (one per line); null for all
 * @param split a split name (train, val, ...) whose ids are read from NAME.txt in
 *     root/ImageSets/Segmentation/, root/splits/ or root ({@link Splits#listCandidates})
 * @param channels declared input channels 1 or 3, or 0 to take what the files hold
 * @param convert convert grey/RGB images to the declared channels
 * @param mask the mask codec (index, binary255, threshold:N, palette, rgb); null for the default
 * @param classes the number of classes, or 0 to take it from the classes file or format
 * @param classesFile a classes file; null to use root/classes.txt when present
 * @param ignoreIndex the ignore index, -1 for none, null for {@link #DEFAULT_IGNORE_INDEX}
 * @param skipBad skip bad files and list them instead of failing
 * @param mixedChannels accept images whose channel counts differ from each other (each converted to
 *     the declared channels); without it such a set is a problem, as {@code dataset check} reports
 *     it. {@link Builder#convert} sets it too; train sets it apart from data.convert
 * @param followLinks use files that symbolic links lead to outside the dataset folder
 */
public record DatasetSpec(
    DatasetFormat format,
    Path root,
    Path imageDir,
    Path maskDir,
    String imagePattern,
    String maskPattern,
    Path listFile,
    String split,
    int channels,
    boolean convert,
    String mask,
    int classes,
    Path classesFile,
    Integer ignoreIndex,
    boolean skipBad,
    boolean mixedChannels,
    boolean followLinks) {
  /**
   * The ignore index when none is given: 255, VOC's void and {@code data.ignore_index}'s default in
   * defaults.yml (a test holds the two equal), for every format, so {@code dataset check}, {@code
   * train} and {@code eval} read the same folder the same way.
   */
  public static final int DEFAULT_IGNORE_INDEX = 255;

  /** Checks the simple options. */
  public DatasetSpec {
    if (channels != 0 && channels != 1 && channels != 3) {
      throw new IllegalArgumentException("data.channels=" + channels + " must be 1 or 3");
    }
    if (classes < 0) {
      throw new IllegalArgumentException("model.classes=" + classes + " must be positive");
    }
  }

  /** A builder with everything at its default. */
  public static Builder builder(DatasetFormat format, Path root) {
    return new Builder(format, root);
  }

  /** A builder starting from this spec. */
  public Builder toBuilder() {
    Builder b = new Builder(format, root);
    b.imageDir = imageDir;
    b.maskDir = maskDir;
    b.imagePattern = imagePattern;
    b.maskPattern = maskPattern;
    b.listFile = listFile;
    b.split = split;
    b.channels = channels;
    b.convert = convert;
    b.mask = mask;
    b.classes = classes;
    b.classesFile = classesFile;
    b.ignoreIndex = ignoreIndex;
    b.skipBad = skipBad;
    b.mixedChannels = mixedChannels;
    b.followLinks = followLinks;
    return b;
  }

  /** Builds a {@link DatasetSpec}; every setter returns this. */
  public static final class Builder {
    private final DatasetFormat format;
    private final Path root;
    private Path imageDir;
    private Path maskDir;
    private String imagePattern;
    private String maskPattern;
    private Path listFile;
    private String split;
    private int channels;
    private boolean convert;
    private String mask;
    private int classes;
    private Path classesFile;
    private Integer ignoreIndex;
    private boolean skipBad;
    private boolean mixedChannels;
    private boolean followLinks;

    private Builder(DatasetFormat format, Path root) {
      this.format = format;
      this.root = root;
    }

    /** Sets the image folder. */
    public Builder imageDir(Path v) {
      imageDir = v;
      return this;
    }

    /** Sets the mask folder. */
    public Builder maskDir(Path v) {
      maskDir = v;
      return this;
    }

    /** Sets the image name pattern. */
    public Builder imagePattern(String v) {
      imagePattern = v;
      return this;
    }

    /** Sets the mask name pattern. */
    public Builder maskPattern(String v) {
      maskPattern = v;
      return this;
    }

    /** Sets a list file of ids. */
    public Builder listFile(Path v) {
      listFile = v;
      return this;
    }

    /** Sets a split name (its list is found by {@link Splits#listCandidates}). */
    public Builder split(String v) {
      split = v;
      return this;
    }

    /** Declares the input channels (1 or 3). */
    public Builder channels(int v) {
      channels = v;
      return this;
    }

    /** Converts grey/RGB to the declared channels (and accepts mixed channels). */
    public Builder convert(boolean v) {
      convert = v;
      mixedChannels = v;
      return this;
    }

    /** Accepts images whose channel counts differ (call after {@link #convert}). */
    public Builder mixedChannels(boolean v) {
      mixedChannels = v;
      return this;
    }

    /** Uses files that symbolic links lead to outside the dataset folder. */
    public Builder followLinks(boolean v) {
      followLinks = v;
      return this;
    }

    /** Sets the mask codec. */
    public Builder mask(String v) {
      mask = v;
      return this;
    }

    /** Sets the number of classes. */
    public Builder classes(int v) {
      classes = v;
      return this;
    }

    /** Sets the classes file. */
    public Builder classesFile(Path v) {
      classesFile = v;
      return this;
    }

    /** Sets the ignore index (-1 for none). */
    public Builder ignoreIndex(Integer v) {
      ignoreIndex = v;
      return this;
    }

    /** Skips bad files instead of failing. */
    public Builder skipBad(boolean v) {
      skipBad = v;
      return this;
    }

    /** The spec. */
    public DatasetSpec build() {
      return new DatasetSpec(
          format,
          root,
          imageDir,
          maskDir,
          imagePattern,
          maskPattern,
          listFile,
          split,
          channels,
          convert,
          mask,
          classes,
          classesFile,
          ignoreIndex,
          skipBad,
          mixedChannels,
          followLinks);
    }
  }
}
