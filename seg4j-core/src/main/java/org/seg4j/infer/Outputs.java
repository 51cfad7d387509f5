package org.seg4j.infer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;
import org.seg4j.data.ClassNames;
import org.seg4j.data.Sample;
import org.seg4j.io.ImageIo;
import org.seg4j.io.Palettes;
import org.seg4j.io.Provenance;
import org.seg4j.io.RawImage;
import org.seg4j.io.RowImage;

/**
 * What {@code seg4j predict} makes of an image's prediction: the class-index mask, a viewable mask
 * (0/255 for binary, a VOC palette for multi-class), a colour overlay blended with the image, a
 * cut-out (the image with background pixels transparent), per-class probability maps and per-class
 * pixel counts, all at the image's own size. The {@code write} methods store lossless PNG files
 * atomically.
 */
public final class Outputs {
  private Outputs() {}

  /** The colour of each class ({@code 0xRRGGBB}): VOC's palette; white for a binary foreground. */
  public static int[] colours(int classes) {
    int[] c = Palettes.voc(Math.max(classes, 2));
    if (classes <= 2) {
      c[1] = 0xFFFFFF;
    }
    return c;
  }

  /** The class index per pixel as an 8-bit grey image. */
  public static RawImage indexMask(PredictionMaps p) {
    return RawImage.grey8(p.width(), p.height(), p.mask());
  }

  /** A mask to look at: 0/255 grey for two classes, a palette image otherwise. */
  public static RawImage viewableMask(PredictionMaps p) {
    if (p.classes() <= 2) {
      int[] v = new int[p.mask().length];
      for (int i = 0; i < v.length; i++) {
        v[i] = p.mask()[i] == 0 ? 0 : 255;
      }
      return RawImage.grey8(p.width(), p.height(), v);
    }
    return RawImage.indexed(p.width(), p.height(), p.mask(), Palettes.voc(256));
  }

  /** The image with non-background classes blended in their colour at {@code alpha}. */
  public static RawImage overlay(Sample image, int[] mask, int classes, double alpha) {
    int[] colours = overlayColours(classes);
    int n = image.height() * image.width();
    int[] rgb = new int[n * 3];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < 3; c++) {
        rgb[i * 3 + c] = blend(byteOf(image, c, i, n), mask[i], c, colours, alpha);
      }
    }
    return RawImage.rgb8(image.width(), image.height(), rgb);
  }

  private static int[] overlayColours(int classes) {
    int[] colours = colours(classes);
    if (classes <= 2) {
      colours[1] = 0xFF2020;
    }
    return colours;
  }

  /** Channel c of an overlay pixel: the image's value, blended with class k's colour. */
  private static int blend(int value, int k, int c, int[] colours, double alpha) {
    double base = value;
    if (k > 0 && k < colours.length) {
      int col = colours[k] >> (16 - 8 * c) & 255;
      base = (1 - alpha) * base + alpha * col;
    }
    return (int) Math.round(base);
  }

  /**
   * The image with its background removed (bubbliiiing's mix_type 2, with transparency): 8-bit
   * RGBA, RGB from the image (grey repeated) at every pixel, alpha 0 exactly where the mask is 0
   * (background) and 255 elsewhere.
   */
  public static RawImage cutout(Sample image, int[] mask) {
    int n = image.height() * image.width();
    if (mask.length != n) {
      throw new IllegalArgumentException(
          image.id() + ": mask holds " + mask.length + " pixels, the image " + n);
    }
    int[] rgba = new int[n * 4];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < 3; c++) {
        rgba[i * 4 + c] = byteOf(image, c, i, n);
      }
      rgba[i * 4 + 3] = mask[i] == 0 ? 0 : 255;
    }
    return new RawImage("raw", image.width(), image.height(), 4, 8, true, null, rgba);
  }

  /** Channel c (grey for all three of a 1-channel image) of pixel i as 0..255. */
  private static int byteOf(Sample image, int c, int i, int n) {
    return byteOf(image.image(), image.channels(), c, i, n);
  }

  /** Channel c of pixel i of CHW planes of n pixels with 1 or 3 channels, as 0..255. */
  private static int byteOf(float[] planes, int channels, int c, int i, int n) {
    float v = planes[(channels == 3 ? c : 0) * n + i];
    return Math.round(Math.max(0, Math.min(1, v)) * 255);
  }

  /** Class k's probability × 255 as an 8-bit grey image. */
  public static RawImage probability(PredictionMaps p, int k) {
    int n = p.height() * p.width();
    int[] v = new int[n];
    for (int i = 0; i < n; i++) {
      v[i] = probabilityByte(p.probabilities()[k * n + i]);
    }
    return RawImage.grey8(p.width(), p.height(), v);
  }

  /** Pixels per class in a mask of class indices 0..classes-1; the counts sum to its length. */
  public static long[] pixelCounts(int[] mask, int classes) {
    long[] counts = new long[classes];
    for (int k : mask) {
      counts[k]++;
    }
    return counts;
  }

  /**
   * The class-index mask of a streamed prediction ({@code mask}: one byte per pixel, row-major) as
   * an image made row by row: the same pixels as {@link #indexMask(PredictionMaps)}.
   */
  public static RowImage indexMask(int width, int height, byte[] mask) {
    return RowImage.of(width, height, 1, bytes(width, mask));
  }

  private static RowImage.Rows bytes(int width, byte[] values) {
    return (y, s) -> {
      for (int x = 0; x < width; x++) {
        s[x] = values[y * width + x] & 255;
      }
    };
  }

  /** {@link #viewableMask(PredictionMaps)} of a streamed prediction, made row by row. */
  public static RowImage viewableMask(int width, int height, byte[] mask, int classes) {
    if (classes <= 2) {
      return RowImage.of(
          width,
          height,
          1,
          (y, s) -> {
            for (int x = 0; x < width; x++) {
              s[x] = mask[y * width + x] == 0 ? 0 : 255;
            }
          });
    }
    return RowImage.indexed(width, height, Palettes.voc(256), bytes(width, mask));
  }

  /**
   * {@link #overlay(Sample, int[], int, double)} of a streamed prediction, made row by row from
   * {@code displayRows} (row y of the image as CHW floats in [0, 1], 1 or 3 channels).
   */
  public static RowImage overlay(
      int width,
      int height,
      byte[] mask,
      int classes,
      double alpha,
      int displayChannels,
      IntFunction<float[]> displayRows) {
    int[] colours = overlayColours(classes);
    return RowImage.of(
        width,
        height,
        3,
        (y, s) -> {
          float[] row = displayRows.apply(y);
          for (int x = 0; x < width; x++) {
            int k = mask[y * width + x] & 255;
            for (int c = 0; c < 3; c++) {
              s[x * 3 + c] = blend(byteOf(row, displayChannels, c, x, width), k, c, colours, alpha);
            }
          }
        });
  }

  /** {@link #cutout(Sample, int[])} of a streamed prediction, made row by row as overlay is. */
  public static RowImage cutout(
      int width, int height, byte[] mask, int displayChannels, IntFunction<float[]> displayRows) {
    return RowImage.of(
        width,
        height,
        4,
        (y, s) -> {
          float[] row = displayRows.apply(y);
          for (int x = 0; x < width; x++) {
            for (int c = 0; c < 3; c++) {
              s[x * 4 + c] = byteOf(row, displayChannels, c, x, width);
            }
            s[x * 4 + 3] = mask[y * width + x] == 0 ? 0 : 255;
          }
        });
  }

  /** A probability map kept as one byte per pixel ({@link #probabilityByte}), as an image. */
  public static RowImage probability(int width, int height, byte[] probability) {
    return indexMask(width, height, probability);
  }

  /** A probability as the grey value {@link #probability(PredictionMaps, int)} writes. */
  public static int probabilityByte(float p) {
    return Math.round(p * 255f);
  }

  /** A class name as it may stand in a file name (letters, digits, _ and -). */
  public static String fileSafe(String name) {
    return name.replaceAll("[^A-Za-z0-9_-]", "_");
  }

  /** Writes the class-index mask PNG atomically. */
  public static void indexMask(Path file, PredictionMaps p) throws IOException {
    ImageIo.write(indexMask(p), file, Provenance.PREDICTION);
  }

  /** Writes the viewable mask PNG atomically. */
  public static void viewableMask(Path file, PredictionMaps p) throws IOException {
    ImageIo.write(viewableMask(p), file, Provenance.PREDICTION);
  }

  /** Writes the overlay PNG atomically. */
  public static void overlay(Path file, Sample image, PredictionMaps p, double alpha)
      throws IOException {
    ImageIo.write(overlay(image, p.mask(), p.classes(), alpha), file, Provenance.PREDICTION);
  }

  /** One 8-bit PNG per class, probability × 255, named {@code <stem>_prob_<class>.png}. */
  public static void probabilities(Path dir, String stem, PredictionMaps p, List<String> names)
      throws IOException {
    for (int k = 0; k < p.classes(); k++) {
      String name = k < names.size() ? names.get(k) : ClassNames.numberedName(k);
      ImageIo.write(
          probability(p, k),
          dir.resolve(stem + "_prob_" + fileSafe(name) + ".png"),
          Provenance.PREDICTION);
    }
  }
}
