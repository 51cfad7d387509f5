package org.seg4j.augment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntUnaryOperator;
import org.seg4j.data.Sample;
import org.seg4j.data.loader.SampleSource;
import org.seg4j.data.loader.Seeds;
import org.seg4j.io.ImageIo;
import org.seg4j.io.Provenance;
import org.seg4j.io.RawImage;

/**
 * Writes augmented copies of a dataset to disk as lossless PNG (what {@code seg4j augment} runs),
 * like the offline flips of the cropland seed. Copy k of sample i uses the random stream (seed, k,
 * i), so a rerun writes identical files.
 */
public final class OfflineAugment {
  /** The default: random horizontal and vertical flips and quarter turns, each with p 0.5. */
  public static final String DEFAULT_CONFIG =
      """
      augment:
        - {type: hflip, p: 0.5}
        - {type: vflip, p: 0.5}
        - {type: rot90, p: 0.5}
      """;

  /**
   * What to write.
   *
   * @param copies augmented copies per sample
   * @param seed the seed
   * @param labelToPixel maps a class index (or the ignore index) to the 8-bit mask pixel value,
   *     e.g. {@code v -> v == 1 ? 255 : v} to write ISBI-style 0/255 masks
   */
  public record Options(int copies, long seed, IntUnaryOperator labelToPixel) {
    /** Checks the count. */
    public Options {
      if (copies < 1) {
        throw new IllegalArgumentException("copies must be >= 1, got " + copies);
      }
    }
  }

  /** What was written. */
  public record Result(int images, int masks) {}

  private OfflineAugment() {}

  /**
   * Writes {@code <id>_aug<k>.png} for every sample into {@code imageDir} and, for labelled
   * samples, the mask of the same name into {@code maskDir}.
   */
  public static Result run(
      SampleSource source,
      PairedTransform transform,
      Options options,
      Path imageDir,
      Path maskDir) {
    int images = 0;
    int masks = 0;
    try {
      Files.createDirectories(imageDir);
      Files.createDirectories(maskDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create output folder " + imageDir + ": " + e, e);
    }
    for (int i = 0; i < source.size(); i++) {
      Sample original = source.get(i);
      for (int k = 0; k < options.copies(); k++) {
        Sample s = transform.apply(original, Seeds.forSample(options.seed(), k, i));
        String name = fileStem(s.id()) + "_aug" + k + ".png";
        writePng(imageOf(s), imageDir.resolve(name));
        images++;
        if (s.mask() != null) {
          writePng(maskOf(s, options.labelToPixel()), maskDir.resolve(name));
          masks++;
        }
      }
    }
    return new Result(images, masks);
  }

  /** The id without folders or extension, safe as a file name. */
  static String fileStem(String id) {
    String base = id.replace('\\', '/');
    base = base.substring(base.lastIndexOf('/') + 1);
    int dot = base.lastIndexOf('.');
    return dot > 0 ? base.substring(0, dot) : base;
  }

  static RawImage imageOf(Sample s) {
    if (s.channels() != 1 && s.channels() != 3) {
      throw new IllegalArgumentException(
          s.id() + ": can write 1- or 3-channel images as PNG, got " + s.channels() + " channels");
    }
    int plane = s.width() * s.height();
    int c = s.channels();
    int[] px = new int[plane * c];
    for (int ch = 0; ch < c; ch++) {
      for (int i = 0; i < plane; i++) {
        float v = s.image()[ch * plane + i];
        px[i * c + ch] = Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
      }
    }
    return c == 1
        ? RawImage.grey8(s.width(), s.height(), px)
        : RawImage.rgb8(s.width(), s.height(), px);
  }

  static RawImage maskOf(Sample s, IntUnaryOperator labelToPixel) {
    int[] px = new int[s.mask().length];
    for (int i = 0; i < px.length; i++) {
      int v = labelToPixel.applyAsInt(s.mask()[i]);
      if (v < 0 || v > 255) {
        throw new IllegalArgumentException(
            s.id()
                + ": mask value "
                + s.mask()[i]
                + " maps to pixel "
                + v
                + ", outside the 8-bit range 0..255; pass a label-to-pixel mapping that fits");
      }
      px[i] = v;
    }
    return RawImage.grey8(s.width(), s.height(), px);
  }

  private static void writePng(RawImage img, Path file) {
    try {
      ImageIo.write(img, file, Provenance.AUGMENT);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e); // names the file
    }
  }
}
