package org.seg4j.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The on-disk layouts seg4j opens. */
public enum DatasetFormat {
  /** Pascal VOC: JPEGImages/, SegmentationClass/, ImageSets/Segmentation/{split}.txt. */
  VOC("voc", MaskLayout.SINGLE),
  /** Image and mask folders paired by a name pattern, e.g. images/{id}.png + masks/{id}.png. */
  FOLDER("folder", MaskLayout.SINGLE),
  /** images/{id}.png + masks/{class}/{id}.png, as in pytorch-nested-unet. */
  PER_CLASS("per-class", MaskLayout.PER_CLASS),
  /** {id}/images/{id}.png + {id}/masks/*.png, as in Data Science Bowl 2018. */
  PER_INSTANCE("per-instance", MaskLayout.PER_INSTANCE);

  /**
   * The format's name when none is given, in every command (the run configuration's {@code
   * data.format} default).
   */
  public static final String DEFAULT_NAME = "folder";

  private final String key;
  private final MaskLayout layout;

  DatasetFormat(String key, MaskLayout layout) {
    this.key = key;
    this.layout = layout;
  }

  /** The name used on the command line. */
  public String key() {
    return key;
  }

  /** How this format's mask files combine. */
  public MaskLayout layout() {
    return layout;
  }

  /**
   * The mask codec used when none is given, the same in every command: {@code index} for the
   * single-mask formats (voc, folder), {@code binary255} for per-class and per-instance, whose mask
   * files hold 0 for background and 255 for the class or instance.
   */
  public String defaultMask() {
    return layout == MaskLayout.SINGLE ? "index" : "binary255";
  }

  /**
   * Parses a format name (voc, folder, per-class, per-instance).
   *
   * @throws IllegalArgumentException listing the valid names
   */
  public static DatasetFormat parse(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
    for (DatasetFormat f : values()) {
      if (f.key.equals(n)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown dataset format '"
            + name
            + "': use one of "
            + Arrays.stream(values()).map(DatasetFormat::key).collect(Collectors.joining(", ")));
  }
}
