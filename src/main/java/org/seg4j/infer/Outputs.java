package org.seg4j.infer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.seg4j.data.Sample;
import org.seg4j.io.ImageIo;
import org.seg4j.io.Palettes;
import org.seg4j.io.Provenance;
import org.seg4j.io.RawImage;

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
  public static RawImage indexMask(Prediction p) {
    return RawImage.grey8(p.width(), p.height(), p.mask());
  }

  /** A mask to look at: 0/255 grey for two classes, a palette image otherwise. */
  public static RawImage viewableMask(Prediction p) {
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
    int[] colours = colours(classes);
    if (classes <= 2) {
      colours[1] = 0xFF2020;
    }
    int n = image.height() * image.width();
    int[] rgb = new int[n * 3];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < 3; c++) {
        double base = byteOf(image, c, i, n);
        int k = mask[i];
        if (k > 0 && k < colours.length) {
          int col = colours[k] >> (16 - 8 * c) & 255;
          base = (1 - alpha) * base + alpha * col;
        }
        rgb[i * 3 + c] = (int) Math.round(base);
      }
    }
    return RawImage.rgb8(image.width(), image.height(), rgb);
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
    float v = image.image()[(image.channels() == 3 ? c : 0) * n + i];
    return (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
  }

  /** Class k's probability × 255 as an 8-bit grey image. */
  public static RawImage probability(Prediction p, int k) {
    int n = p.height() * p.width();
    int[] v = new int[n];
    for (int i = 0; i < n; i++) {
      v[i] = Math.round(p.probabilities()[k * n + i] * 255f);
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

  /** A class name as it may stand in a file name (letters, digits, _ and -). */
  public static String fileSafe(String name) {
    return name.replaceAll("[^A-Za-z0-9_-]", "_");
  }

  /** Writes the class-index mask PNG atomically. */
  public static void indexMask(Path file, Prediction p) throws IOException {
    ImageIo.write(indexMask(p), file, Provenance.PREDICTION);
  }

  /** Writes the viewable mask PNG atomically. */
  public static void viewableMask(Path file, Prediction p) throws IOException {
    ImageIo.write(viewableMask(p), file, Provenance.PREDICTION);
  }

  /** Writes the overlay PNG atomically. */
  public static void overlay(Path file, Sample image, Prediction p, double alpha)
      throws IOException {
    ImageIo.write(overlay(image, p.mask(), p.classes(), alpha), file, Provenance.PREDICTION);
  }

  /** One 8-bit PNG per class, probability × 255, named {@code <stem>_prob_<class>.png}. */
  public static void probabilities(Path dir, String stem, Prediction p, List<String> names)
      throws IOException {
    for (int k = 0; k < p.classes(); k++) {
      String name = k < names.size() ? names.get(k) : Integer.toString(k);
      ImageIo.write(
          probability(p, k),
          dir.resolve(stem + "_prob_" + fileSafe(name) + ".png"),
          Provenance.PREDICTION);
    }
  }
}
