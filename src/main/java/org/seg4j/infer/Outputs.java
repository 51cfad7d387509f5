package org.seg4j.infer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.seg4j.data.Sample;
import org.seg4j.io.ImageIo;
import org.seg4j.io.Palettes;
import org.seg4j.io.RawImage;

/**
 * Writes what {@code seg4j predict} produces for an image: the class-index mask, a viewable mask
 * (0/255 for binary, a VOC palette for multi-class), a colour overlay blended with the image, and
 * per-class probability maps, all as lossless PNG at the image's own size.
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

  /** The class index per pixel as an 8-bit grey PNG. */
  public static void indexMask(Path file, Prediction p) throws IOException {
    ImageIo.writeGrey8(file, p.width(), p.height(), p.mask());
  }

  /** A mask to look at: 0/255 grey for two classes, a palette PNG otherwise. */
  public static void viewableMask(Path file, Prediction p) throws IOException {
    if (p.classes() <= 2) {
      int[] v = new int[p.mask().length];
      for (int i = 0; i < v.length; i++) {
        v[i] = p.mask()[i] == 0 ? 0 : 255;
      }
      ImageIo.writeGrey8(file, p.width(), p.height(), v);
    } else {
      ImageIo.writePalette(file, p.width(), p.height(), p.mask(), Palettes.voc(256));
    }
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
        float v = image.image()[(image.channels() == 3 ? c : 0) * n + i];
        double base = Math.max(0, Math.min(1, v)) * 255;
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

  /** Writes the overlay PNG. */
  public static void overlay(Path file, Sample image, Prediction p, double alpha)
      throws IOException {
    ImageIo.write(overlay(image, p.mask(), p.classes(), alpha), file);
  }

  /** One 8-bit PNG per class, probability × 255, named {@code <stem>_prob_<class>.png}. */
  public static void probabilities(Path dir, String stem, Prediction p, List<String> names)
      throws IOException {
    int n = p.height() * p.width();
    for (int k = 0; k < p.classes(); k++) {
      int[] v = new int[n];
      for (int i = 0; i < n; i++) {
        v[i] = Math.round(p.probabilities()[k * n + i] * 255f);
      }
      String name = k < names.size() ? names.get(k) : Integer.toString(k);
      ImageIo.writeGrey8(
          dir.resolve(stem + "_prob_" + name.replaceAll("[^A-Za-z0-9_-]", "_") + ".png"),
          p.width(),
          p.height(),
          v);
    }
  }
}
