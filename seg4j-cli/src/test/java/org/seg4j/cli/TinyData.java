package org.seg4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.seg4j.data.SyntheticShapes;
import org.seg4j.io.ImageIo;
import org.seg4j.io.Palettes;
import org.seg4j.io.RawImage;

/** Tiny datasets on disk for the CLI tests. */
final class TinyData {
  private TinyData() {}

  /** A binary folder set of n 16x16 synthetic images: images/synth_XXXX.png, 0/1 masks. */
  static Path synthetic(Path root, int n) throws IOException {
    new SyntheticShapes(16, false, 0).write(root, n);
    return root;
  }

  /** Trains a quick run ({@link #trainArgs}), which must succeed, and returns its folder. */
  static Path train(Path data, Path runs, String name, String... extra) {
    CliRun.ok(trainArgs(data, runs, name, extra));
    return runs.resolve(name);
  }

  /** {@code seg4j predict --run RUN --input INPUT --output OUTPUT} and {@code extra}. */
  static String[] predictArgs(Path run, Path input, Path output, String... extra) {
    return with(
        extra,
        "predict",
        "--run",
        run.toString(),
        "--input",
        input.toString(),
        "--output",
        output.toString());
  }

  /** {@code seg4j eval --run RUN --out OUT --no-progress} and {@code extra}. */
  static String[] evalArgs(Path run, Path out, String... extra) {
    return with(extra, "eval", "--run", run.toString(), "--out", out.toString(), "--no-progress");
  }

  /**
   * {@code seg4j dataset check} of a {@link #synthetic} set (images and masks both named {@code
   * synth_{id}.png}) restricted to the ids of {@code list}.
   */
  static String[] checkListArgs(Path data, Path list) {
    return new String[] {
      "dataset",
      "check",
      "--data",
      data.toString(),
      "--image-pattern",
      "synth_{id}.png",
      "--mask-pattern",
      "synth_{id}.png",
      "--list",
      list.toString()
    };
  }

  private static String[] with(String[] extra, String... head) {
    List<String> a = new ArrayList<>(List.of(head));
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  /**
   * {@code seg4j train} arguments for a quick run on a {@link SyntheticShapes} folder written with
   * {@code write(data, 16)}: a base-4, depth-2 U-Net without batch norm (so a run at lr 1e-30
   * leaves its weights exactly as they started), images 0-11 to train, 12-15 to validate, 1 epoch
   * of batch 4, 2 threads. {@code extra} flags are added; {@code --base}, {@code --epochs}, {@code
   * --batch} and {@code --threads} in it replace the defaults, a later {@code --set} of the same
   * key wins.
   */
  static String[] trainArgs(Path data, Path runs, String name, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "--set",
                "model.options={depth: 2, bn: false}",
                "--set",
                "data.image_pattern=synth_{id}.png",
                "--set",
                "data.mask_pattern=synth_{id}.png",
                "--set",
                "data.train=0..11",
                "--set",
                "data.val=12..15"));
    a.addAll(List.of(extra));
    return quickTrainArgs(data, runs, name, a.toArray(String[]::new));
  }

  /**
   * {@code seg4j train} arguments for a quick run on the data set in {@code data} as it is laid out
   * (no pattern or split set): a base-4 model, 1 epoch of batch 4, 2 threads, no progress bar.
   * {@code extra} flags are added; {@code --base}, {@code --epochs}, {@code --batch} and {@code
   * --threads} in it replace the defaults.
   */
  static String[] quickTrainArgs(Path data, Path runs, String name, String... extra) {
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("--base", "4");
    flags.put("--epochs", "1");
    flags.put("--batch", "4");
    flags.put("--threads", "2");
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < extra.length; i++) {
      if (flags.containsKey(extra[i]) && i + 1 < extra.length) {
        flags.put(extra[i], extra[++i]);
      } else {
        rest.add(extra[i]);
      }
    }
    List<String> a =
        new ArrayList<>(
            List.of(
                "train",
                "--data",
                data.toString(),
                "--runs",
                runs.toString(),
                "--name",
                name,
                "--no-progress"));
    flags.forEach(
        (k, v) -> {
          a.add(k);
          a.add(v);
        });
    a.addAll(rest);
    return a.toArray(String[]::new);
  }

  /**
   * A binary folder set of n {@code w x h} images with 0/{@code one} masks (left third of each row
   * 0, rest 1, shifted per sample) whose image grey is 40 + 160 * label, so that any transform that
   * moves image and mask apart shows.
   */
  static Path paired(Path root, int n, int w, int h, int one) throws IOException {
    for (int i = 0; i < n; i++) {
      int[] mask = new int[w * h];
      int[] grey = new int[w * h];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int label = (x + y + i) % 3 == 0 ? 0 : 1;
          mask[y * w + x] = label * one;
          grey[y * w + x] = 40 + 160 * label;
        }
      }
      ImageIo.writeGrey8(root.resolve("images/p" + i + ".png"), w, h, grey);
      ImageIo.writeGrey8(root.resolve("masks/p" + i + ".png"), w, h, mask);
    }
    return root;
  }

  /**
   * A Pascal VOC layout: JPEGImages/{id}.jpg, SegmentationClass/{id}.png palette masks with classes
   * 0..2 and a void (255) border pixel, ImageSets/Segmentation/{train,val}.txt.
   */
  static Path voc(Path root) throws IOException {
    int w = 8;
    int h = 6;
    List<String> ids = List.of("2007_000001", "2007_000002", "2007_000003");
    for (int i = 0; i < ids.size(); i++) {
      int[] rgb = new int[w * h * 3];
      int[] mask = new int[w * h];
      for (int p = 0; p < w * h; p++) {
        mask[p] = (p % w) * 3 / w;
        rgb[3 * p] = 60 * mask[p];
        rgb[3 * p + 1] = 30 + i;
        rgb[3 * p + 2] = 200 - 50 * mask[p];
      }
      mask[0] = 255;
      ImageIo.write(RawImage.rgb8(w, h, rgb), root.resolve("JPEGImages/" + ids.get(i) + ".jpg"));
      ImageIo.writePalette(
          root.resolve("SegmentationClass/" + ids.get(i) + ".png"), w, h, mask, Palettes.voc(256));
    }
    Path sets = Files.createDirectories(root.resolve("ImageSets/Segmentation"));
    Files.write(sets.resolve("train.txt"), ids.subList(0, 2));
    Files.write(sets.resolve("val.txt"), ids.subList(2, 3));
    return root;
  }

  /**
   * A Pascal VOC set laid out as the real one: n {@code side x side} RGB JPEGs with ids like
   * 2008_000001, palette masks of classes 0..2 in vertical bands whose edges and the image border
   * are void (255), and ImageSets/Segmentation/train.txt (all but the last two ids) and val.txt
   * (the last two).
   */
  static Path vocWithBorders(Path root, int n, int side) throws IOException {
    List<String> ids = new ArrayList<>();
    int[][] colour = {{20, 20, 20}, {200, 40, 40}, {40, 60, 220}};
    for (int i = 0; i < n; i++) {
      String id = String.format(Locale.ROOT, "2008_%06d", i + 1);
      ids.add(id);
      int[] rgb = new int[side * side * 3];
      int[] mask = new int[side * side];
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          int band = Math.min(2, (x + i % 3) * 3 / side);
          int left = x == 0 ? band : Math.min(2, (x - 1 + i % 3) * 3 / side);
          int p = y * side + x;
          boolean edge = x == 0 || y == 0 || x == side - 1 || y == side - 1 || band != left;
          mask[p] = edge ? 255 : band;
          for (int c = 0; c < 3; c++) {
            rgb[3 * p + c] = colour[band][c];
          }
        }
      }
      ImageIo.write(RawImage.rgb8(side, side, rgb), root.resolve("JPEGImages/" + id + ".jpg"));
      ImageIo.writePalette(
          root.resolve("SegmentationClass/" + id + ".png"), side, side, mask, Palettes.voc(256));
    }
    Path sets = Files.createDirectories(root.resolve("ImageSets/Segmentation"));
    Files.write(sets.resolve("train.txt"), ids.subList(0, n - 2));
    Files.write(sets.resolve("val.txt"), ids.subList(n - 2, n));
    return root;
  }

  /**
   * A per-class set (pytorch-nested-unet layout) of n {@code side x side} grey images {@code
   * images/{i}.png} with one class folder {@code masks/cell/{i}.png} holding 0/255 masks.
   */
  static Path perClass(Path root, int n, int side) throws IOException {
    for (int i = 0; i < n; i++) {
      int[] grey = new int[side * side];
      int[] mask = new int[side * side];
      for (int p = 0; p < grey.length; p++) {
        boolean cell = (p % side + p / side + i) % 3 != 0;
        mask[p] = cell ? 255 : 0;
        grey[p] = cell ? 200 : 40;
      }
      ImageIo.writeGrey8(root.resolve("images/" + i + ".png"), side, side, grey);
      ImageIo.writeGrey8(root.resolve("masks/cell/" + i + ".png"), side, side, mask);
    }
    return root;
  }

  /**
   * A per-instance set (Data Science Bowl 2018 layout) of n {@code side x side} samples {@code
   * {i}/images/{i}.png} with two 0/255 instance masks each, {@code {i}/masks/a.png} (left half) and
   * {@code b.png} (a square on the right).
   */
  static Path perInstance(Path root, int n, int side) throws IOException {
    for (int i = 0; i < n; i++) {
      int[] grey = new int[side * side];
      int[] a = new int[side * side];
      int[] b = new int[side * side];
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          int p = y * side + x;
          a[p] = x < side / 2 - 1 && y > i % 3 ? 255 : 0;
          b[p] = x > side / 2 && y > side / 4 && y < side * 3 / 4 ? 255 : 0;
          grey[p] = a[p] + b[p] > 0 ? 180 : 30;
        }
      }
      Path s = root.resolve(Integer.toString(i));
      ImageIo.writeGrey8(s.resolve("images/" + i + ".png"), side, side, grey);
      ImageIo.writeGrey8(s.resolve("masks/a.png"), side, side, a);
      ImageIo.writeGrey8(s.resolve("masks/b.png"), side, side, b);
    }
    return root;
  }
}
