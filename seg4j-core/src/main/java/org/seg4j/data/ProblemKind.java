package org.seg4j.data;

/** The kinds of bad input a dataset check can find. */
public enum ProblemKind {
  /** An image or mask file that cannot be decoded. */
  UNREADABLE,
  /** An id whose image file does not exist. */
  MISSING_IMAGE,
  /** An image with no mask file. */
  MISSING_MASK,
  /** A list file naming an id that has no image. */
  ABSENT_ID,
  /** An image and its mask differ in size. */
  SIZE_MISMATCH,
  /** An image whose channel count differs from the declared one. */
  CHANNELS,
  /** Images with different channel counts and none declared. */
  MIXED_CHANNELS,
  /** A mask the chosen codec cannot read (wrong kind of image). */
  MASK_FORMAT,
  /** A mask holding values that are not classes. */
  MASK_VALUES,
  /** An image too small to segment (1 pixel wide or high). */
  TOO_SMALL,
  /** A symbolic link whose target does not exist. */
  DANGLING_LINK,
  /** A file that a symbolic link leads to outside the dataset folder (without --follow-links). */
  OUTSIDE_ROOT,
  /** No usable samples at all. */
  EMPTY_DATASET,
  /** A wrong option, e.g. a classes file that disagrees with --classes. */
  CONFIG;

  /** Whether skipping the one file concerned is a valid way around it (--skip-bad). */
  public boolean perFile() {
    return this != EMPTY_DATASET && this != CONFIG;
  }
}
