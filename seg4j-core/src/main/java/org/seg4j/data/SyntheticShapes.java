package org.seg4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.seg4j.io.AtomicFiles;
import org.seg4j.io.ImageIo;

/**
 * A built-in, deterministic synthetic segmentation set for demos and tests: shapes (discs, boxes,
 * triangles) on textured, noisy grey backgrounds. Binary mode labels discs 1; multi-class mode
 * labels disc 1, box 2, triangle 3. Each image depends only on (seed, index).
 */
public final class SyntheticShapes {
  private final int size;
  private final boolean multiClass;
  private final long seed;

  /** Images of {@code size}², binary or 4-class, from a seed. */
  public SyntheticShapes(int size, boolean multiClass, long seed) {
    this.size = size;
    this.multiClass = multiClass;
    this.seed = seed;
  }

  /** The number of classes including background. */
  public int classes() {
    return multiClass ? 4 : 2;
  }

  /** The class names. */
  public String[] classNames() {
    return multiClass
        ? new String[] {"background", "disc", "box", "triangle"}
        : new String[] {"background", "disc"};
  }

  /** Generates sample {@code index}. */
  public Sample sample(int index) {
    SplittableRandom r = new SplittableRandom(seed * 1_000_003L + index);
    float[] img = new float[size * size];
    int[] mask = new int[size * size];
    double fx = 2 * Math.PI * (1 + r.nextDouble() * 3) / size;
    double fy = 2 * Math.PI * (1 + r.nextDouble() * 3) / size;
    double phase = r.nextDouble() * 6.28;
    double level = 0.35 + 0.15 * r.nextDouble();
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        img[y * size + x] =
            (float) (level + 0.12 * Math.sin(fx * x + phase) * Math.cos(fy * y - phase));
      }
    }
    int shapes = 2 + r.nextInt(4);
    for (int s = 0; s < shapes; s++) {
      int kind = multiClass ? 1 + r.nextInt(3) : (r.nextInt(3) == 0 ? 0 : 1);
      double cx = r.nextDouble() * size;
      double cy = r.nextDouble() * size;
      double rad = size * (0.06 + 0.1 * r.nextDouble());
      float tone = (float) (kind == 0 ? 0.2 : 0.25 + 0.2 * r.nextDouble());
      boolean brighter = r.nextBoolean() || kind == 0;
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          if (inside(kind == 0 ? 2 : kind, x - cx, y - cy, rad)) {
            int i = y * size + x;
            img[i] += brighter ? tone : -tone;
            // decoys (kind 0) in binary mode look like boxes and stay background
            mask[i] = kind == 0 ? 0 : kind;
          }
        }
      }
    }
    for (int i = 0; i < img.length; i++) {
      img[i] = (float) Math.min(1, Math.max(0, img[i] + 0.08 * gaussian(r)));
    }
    return new Sample(String.format("synth_%04d", index), 1, size, size, img, mask);
  }

  /**
   * Writes samples {@code 0..count-1} as a folder dataset: {@code images/<id>.png} (8-bit grey),
   * {@code masks/<id>.png} (class index per pixel) and {@code classes.txt}.
   */
  public void write(Path root, int count) throws IOException {
    Files.createDirectories(root.resolve("images"));
    Files.createDirectories(root.resolve("masks"));
    for (int i = 0; i < count; i++) {
      Sample s = sample(i);
      int[] grey = new int[s.image().length];
      for (int p = 0; p < grey.length; p++) {
        grey[p] = Math.round(s.image()[p] * 255f);
      }
      ImageIo.writeGrey8(root.resolve("images").resolve(s.id() + ".png"), size, size, grey);
      ImageIo.writeGrey8(root.resolve("masks").resolve(s.id() + ".png"), size, size, s.mask());
    }
    AtomicFiles.writeLines(root.resolve("classes.txt"), List.of(classNames()));
  }

  private static boolean inside(int kind, double dx, double dy, double rad) {
    switch (kind) {
      case 1:
        return dx * dx + dy * dy <= rad * rad;
      case 2:
        return Math.abs(dx) <= rad * 0.9 && Math.abs(dy) <= rad * 0.7;
      default:
        // upward triangle with apex at -rad and base at +rad/2
        return dy >= -rad && dy <= rad * 0.5 && Math.abs(dx) <= (dy + rad) * 0.6;
    }
  }

  private static double gaussian(SplittableRandom r) {
    double u = Math.max(1e-12, r.nextDouble());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
  }
}
