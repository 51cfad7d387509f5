package org.seg4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.seg4j.io.ImageIo;
import org.seg4j.io.Palettes;
import org.seg4j.io.RawImage;

/** Writes tiny fixture images and masks for the dataset tests. */
final class Fixtures {
  static final int W = 4;
  static final int H = 3;

  private Fixtures() {}

  /** A grey 8-bit image whose pixel p holds (seed * 16 + p) % 256. */
  static int[] greyValues(int seed) {
    int[] v = new int[W * H];
    for (int p = 0; p < v.length; p++) {
      v[p] = (seed * 16 + p * 7) % 256;
    }
    return v;
  }

  static Path grey(Path file, int seed) throws IOException {
    ImageIo.write(RawImage.grey8(W, H, greyValues(seed)), file);
    return file;
  }

  static Path rgb(Path file, int seed) throws IOException {
    int[] g = greyValues(seed);
    int[] rgb = new int[g.length * 3];
    for (int p = 0; p < g.length; p++) {
      rgb[3 * p] = g[p];
      rgb[3 * p + 1] = 255 - g[p];
      rgb[3 * p + 2] = 100;
    }
    ImageIo.write(RawImage.rgb8(W, H, rgb), file);
    return file;
  }

  /** A label pattern: left half 0, right half 1 (times scale), last pixel = extra. */
  static int[] labels(int scale, int extra) {
    int[] v = new int[W * H];
    for (int p = 0; p < v.length; p++) {
      v[p] = (p % W) >= W / 2 ? scale : 0;
    }
    v[v.length - 1] = extra;
    return v;
  }

  static Path mask(Path file, int[] values) throws IOException {
    ImageIo.write(RawImage.grey8(W, H, values), file);
    return file;
  }

  static Path paletteMask(Path file, int[] indices) throws IOException {
    ImageIo.writePalette(file, W, H, indices, Palettes.voc(256));
    return file;
  }

  /** A folder dataset images/{id}.png + masks/{id}.png with n pairs of 0/1 masks. */
  static Path folder(Path root, int n) throws IOException {
    for (int i = 0; i < n; i++) {
      grey(root.resolve("images/" + i + ".png"), i);
      mask(root.resolve("masks/" + i + ".png"), labels(1, i % 2));
    }
    return root;
  }

  static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
