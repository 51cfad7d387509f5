package org.seg4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.seg4j.io.ImageIo;
import org.seg4j.io.Palettes;
import org.seg4j.io.RawImage;

/**
 * Tiny datasets in the on-disk layouts of the five seed write-ups, for the workflow tests: each
 * image holds a few discs whose colour tells their class (plus noise), so a model can learn them.
 */
final class SeedLayouts {
  private SeedLayouts() {}

  /** One painted sample: RGB (or grey) pixels and a class index per pixel. */
  private record Painted(int[] rgb, int[] grey, int[] labels) {}

  private static final int[][] COLOURS = {
    {40, 40, 40}, {220, 60, 60}, {60, 200, 80}, {70, 90, 230}, {230, 210, 60}
  };

  private static Painted paint(int size, int classes, long seed) {
    Random r = new Random(seed);
    int n = size * size;
    int[] labels = new int[n];
    for (int d = 0; d < 3; d++) {
      int cls = 1 + r.nextInt(classes - 1);
      double cy = r.nextDouble() * size;
      double cx = r.nextDouble() * size;
      double rad = size * (0.12 + 0.12 * r.nextDouble());
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          if ((y - cy) * (y - cy) + (x - cx) * (x - cx) < rad * rad) {
            labels[y * size + x] = cls;
          }
        }
      }
    }
    int[] rgb = new int[3 * n];
    int[] grey = new int[n];
    for (int p = 0; p < n; p++) {
      int[] c = COLOURS[labels[p] % COLOURS.length];
      int sum = 0;
      for (int k = 0; k < 3; k++) {
        int v = Math.max(0, Math.min(255, c[k] + (int) (r.nextGaussian() * 12)));
        rgb[3 * p + k] = v;
        sum += v;
      }
      grey[p] = sum / 3;
    }
    return new Painted(rgb, grey, labels);
  }

  private static int[] times255(int[] labels) {
    int[] out = new int[labels.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = labels[i] == 0 ? 0 : 255;
    }
    return out;
  }

  private static List<String> ids(String prefix, int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(prefix + i);
    }
    return ids;
  }

  /**
   * Seed 000 (pytorch-nested-unet after its preprocess_dsb2018.py): {@code images/{id}.png} RGB and
   * {@code masks/0/{id}.png} with 0/255 nuclei.
   */
  static Path perClass(Path root, int n, int size) throws IOException {
    for (String id : ids("nuc", n)) {
      Painted p = paint(size, 2, id.hashCode());
      ImageIo.write(RawImage.rgb8(size, size, p.rgb()), root.resolve("images/" + id + ".png"));
      ImageIo.writeGrey8(root.resolve("masks/0/" + id + ".png"), size, size, times255(p.labels()));
    }
    return root;
  }

  /**
   * Seed 000's raw source (Data Science Bowl 2018 stage1_train): {@code {id}/images/{id}.png} and
   * one 0/255 PNG per nucleus in {@code {id}/masks/}.
   */
  static Path perInstance(Path root, int n, int size) throws IOException {
    for (String id : ids("dsb", n)) {
      Painted p = paint(size, 2, id.hashCode());
      ImageIo.write(
          RawImage.rgb8(size, size, p.rgb()), root.resolve(id + "/images/" + id + ".png"));
      int[] left = new int[size * size];
      int[] right = new int[size * size];
      for (int i = 0; i < left.length; i++) {
        boolean on = p.labels()[i] != 0;
        left[i] = on && i % size < size / 2 ? 255 : 0;
        right[i] = on && i % size >= size / 2 ? 255 : 0;
      }
      ImageIo.writeGrey8(root.resolve(id + "/masks/a.png"), size, size, left);
      ImageIo.writeGrey8(root.resolve(id + "/masks/b.png"), size, size, right);
    }
    return root;
  }

  /**
   * Seeds 001 and 003 (ISBI 2012): {@code images/{i}.png} grey and a 0/255 mask folder named {@code
   * maskDir} ({@code masks} as shared/data ships it, {@code labels} as seed 003 names it).
   */
  static Path isbi(Path root, int n, int size, String maskDir) throws IOException {
    for (int i = 0; i < n; i++) {
      Painted p = paint(size, 2, 1000 + i);
      ImageIo.writeGrey8(root.resolve("images/" + i + ".png"), size, size, p.grey());
      ImageIo.writeGrey8(
          root.resolve(maskDir + "/" + i + ".png"), size, size, times255(p.labels()));
    }
    return root;
  }

  /**
   * Seed 002 (cropland tiles): {@code images/{id}.png} RGB and {@code labels/{id}_mask.png} with
   * 0/255 cropland.
   */
  static Path cropland(Path root, int n, int size) throws IOException {
    for (String id : ids("tile", n)) {
      Painted p = paint(size, 2, id.hashCode());
      ImageIo.write(RawImage.rgb8(size, size, p.rgb()), root.resolve("images/" + id + ".png"));
      ImageIo.writeGrey8(
          root.resolve("labels/" + id + "_mask.png"), size, size, times255(p.labels()));
    }
    return root;
  }

  /**
   * Seed 004 (bubbliiiing, Pascal VOC): {@code JPEGImages/{id}.jpg}, palette masks in {@code
   * SegmentationClass/} with {@code classes} classes and a void (255) outline around each object,
   * and {@code ImageSets/Segmentation/{train,val}.txt}.
   */
  static Path voc(Path root, int n, int size, int classes) throws IOException {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = String.format("2007_%06d", i + 1);
      ids.add(id);
      Painted p = paint(size, classes, 77 + i);
      int[] mask = p.labels().clone();
      for (int y = 1; y < size - 1; y++) {
        for (int x = 1; x < size - 1; x++) {
          int c = p.labels()[y * size + x];
          if (c != p.labels()[y * size + x + 1] || c != p.labels()[(y + 1) * size + x]) {
            mask[y * size + x] = 255;
          }
        }
      }
      ImageIo.write(RawImage.rgb8(size, size, p.rgb()), root.resolve("JPEGImages/" + id + ".jpg"));
      ImageIo.writePalette(
          root.resolve("SegmentationClass/" + id + ".png"), size, size, mask, Palettes.voc(256));
    }
    Path sets = Files.createDirectories(root.resolve("ImageSets/Segmentation"));
    int train = n * 3 / 4;
    Files.write(sets.resolve("train.txt"), ids.subList(0, train));
    Files.write(sets.resolve("val.txt"), ids.subList(train, n));
    return root;
  }
}
