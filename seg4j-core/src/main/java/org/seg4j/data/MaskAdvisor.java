package org.seg4j.data;

import java.nio.file.Path;
import java.util.SortedSet;
import java.util.TreeSet;
import org.seg4j.io.RawImage;

/**
 * Explains a mask that does not fit and names the fix: 0/255 masks with 2 classes, palette PNGs
 * read as RGB, JPEG masks, values beyond the class count.
 */
final class MaskAdvisor {
  private static final String THRESHOLD = "use data.mask=threshold:128";
  private static final String RGB_FIX =
      "use data.mask=rgb with a classes file of `name r g b` lines, one per class";

  private MaskAdvisor() {}

  /** A problem for a mask the codec could not read at all. */
  static Problem codecFailure(Path file, RawImage raw, MaskCodec codec, String error, int classes) {
    boolean jpeg = raw.format().equals("jpeg");
    String fix;
    if (MaskPixels.isColour(raw)) {
      if (codec instanceof RgbCodec) {
        fix = "add a `name r g b` line for each of these colours to the classes file";
      } else if (jpeg) {
        fix = THRESHOLD + " (JPEG masks are lossy; save masks as PNG where you can)";
      } else {
        fix = RGB_FIX + " (or save the masks as palette PNGs and use data.mask=palette)";
      }
      return new Problem(ProblemKind.MASK_FORMAT, file, error, fix);
    }
    SortedSet<Integer> values = MaskPixels.distinct(singleOrEmpty(raw));
    if (codec instanceof Binary255Codec && values.stream().allMatch(v -> v <= 1)) {
      fix = "use data.mask=index (the values already are classes)";
    } else if (codec instanceof Binary255Codec) {
      fix = THRESHOLD + (jpeg ? " (JPEG masks are lossy)" : " (the mask is not pure black/white)");
    } else if (codec instanceof PaletteCodec) {
      fix =
          isBlackWhite(raw, values) && classes == 2
              ? "use data.mask=binary255"
              : "use data.mask=index";
    } else if (codec instanceof RgbCodec) {
      fix =
          "the mask is "
              + raw.describe()
              + ", not colour-coded: use data.mask=index"
              + (isBlackWhite(raw, values) ? " or data.mask=binary255" : "");
    } else {
      fix = indexFix(raw, values, classes, -1);
    }
    return new Problem(ProblemKind.MASK_FORMAT, file, error, fix);
  }

  /** A problem for decoded values that are neither classes nor the ignore index. */
  static Problem outOfRange(
      Path file, RawImage raw, SortedSet<Integer> decoded, int classes, int ignore) {
    String value =
        "holds values "
            + MaskPixels.format(decoded)
            + " but classes="
            + classes
            + (ignore >= 0 ? " (ignore index " + ignore + ")" : "");
    return new Problem(
        ProblemKind.MASK_VALUES, file, value, indexFix(raw, decoded, classes, ignore));
  }

  private static String indexFix(RawImage raw, SortedSet<Integer> values, int classes, int ignore) {
    if (isBlackWhite(raw, values) && classes == 2) {
      return "use data.mask=binary255";
    }
    if (raw.format().equals("jpeg") && classes == 2) {
      return THRESHOLD + " (JPEG masks are lossy)";
    }
    // grey edge values come from resampled or lossy 0/255 masks; a palette mask holds classes
    SortedSet<Integer> real = new TreeSet<>(values);
    real.remove(ignore);
    if (classes == 2 && !raw.isPalette() && real.size() > 2 && real.last() >= 128) {
      return THRESHOLD + " (the mask holds grey edge values)";
    }
    int max = real.isEmpty() ? 0 : real.last();
    String more = "use model.classes=" + (max + 1) + " if these are real classes, or fix the mask";
    if (real.tailSet(classes).size() == 1 && max == 255) {
      return "set data.ignore_index=255 if 255 marks void pixels; otherwise " + more;
    }
    if (raw.isPalette() || real.size() <= classes) {
      return more;
    }
    return more + " (its " + real.size() + " values do not fit " + classes + " classes)";
  }

  private static boolean isBlackWhite(RawImage raw, SortedSet<Integer> values) {
    int white = raw.isPalette() ? 255 : raw.maxValue();
    return values.size() == 2 && values.first() == 0 && values.last() == white;
  }

  private static int[] singleOrEmpty(RawImage raw) {
    try {
      return MaskPixels.single(raw);
    } catch (MaskCodecException e) {
      return new int[0];
    }
  }
}
