package org.seg4j.augment;

import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.seg4j.data.Sample;
import org.seg4j.data.loader.Batch;
import org.seg4j.data.loader.Loader;
import org.seg4j.data.loader.LoaderConfig;
import org.seg4j.data.loader.SampleSource;
import org.seg4j.data.loader.SampleTransform;
import org.seg4j.engine.Offline;

/**
 * Measures what the loader delivers on the ISBI 2012 training images (512x512 grey PNG, decoded
 * from disk for every sample): images per second of decode + augmentation + batching, and the
 * process RSS every 100 batches, which must stay flat. Prints one JSON line at the end. Lives in
 * augment (not data.loader) because it needs the augmentation pipelines.
 */
public final class LoaderBenchmark {
  /** The default ISBI augmentation (random 256 crop, flips, rot90), as in the PyTorch recipe. */
  public static final String ISBI_DEFAULT =
      """
      augment:
        - {type: random_crop, size: 256}
        - {type: hflip, p: 0.5}
        - {type: vflip, p: 0.5}
        - {type: rot90, p: 1.0}
      """;

  /** A heavy pipeline: rotation and elastic deformation on the full image before the crop. */
  public static final String HEAVY =
      """
      augment:
        - {type: rotate, p: 1.0, degrees: 30}
        - {type: elastic, p: 1.0, alpha: 34, sigma: 4}
        - {type: random_crop, size: 256}
        - {type: hflip, p: 0.5}
        - {type: vflip, p: 0.5}
      """;

  /** Figures of one run. */
  public record Result(
      String name,
      int workers,
      int batchSize,
      int batches,
      double imagesPerSecond,
      double rssStartMb,
      double rssEndMb,
      double rssMaxMb) {
    /** The figures as a JSON object. */
    public String toJson() {
      return String.format(
          Locale.ROOT,
          "{\"pipeline\":\"%s\",\"workers\":%d,\"batch\":%d,\"batches\":%d,\"img_per_s\":%.1f,"
              + "\"rss_mb_start\":%.1f,\"rss_mb_end\":%.1f,\"rss_mb_max\":%.1f}",
          name,
          workers,
          batchSize,
          batches,
          imagesPerSecond,
          rssStartMb,
          rssEndMb,
          rssMaxMb);
    }
  }

  private LoaderBenchmark() {}

  /**
   * Runs {@code batches} batches of {@code batchSize} through a loader with {@code workers} threads
   * and the given transform, printing progress every 100 batches to {@code out}.
   */
  public static Result run(
      String name,
      SampleSource source,
      SampleTransform transform,
      int workers,
      int batchSize,
      int batches,
      PrintStream out) {
    Offline.ensure();
    LoaderConfig cfg = new LoaderConfig(batchSize, workers, 4, 1, true, batches * batchSize, false);
    double rssStart = rssMb();
    double rssMax = rssStart;
    try (NDManager base = NDManager.newBaseManager();
        Loader loader = new Loader(source, transform, cfg, base)) {
      long t0 = System.nanoTime();
      Iterator<Batch> it = loader.epoch(0);
      int n = 0;
      long images = 0;
      while (it.hasNext()) {
        try (Batch b = it.next()) {
          images += b.size();
        }
        n++;
        if (n % 100 == 0 || n == batches) {
          double rss = rssMb();
          rssMax = Math.max(rssMax, rss);
          double s = (System.nanoTime() - t0) / 1e9;
          out.printf(
              Locale.ROOT, "%s batch %4d  %7.1f img/s  rss %.1f MB%n", name, n, images / s, rss);
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      return new Result(name, workers, batchSize, n, images / seconds, rssStart, rssMb(), rssMax);
    }
  }

  /**
   * Runs the default and the heavy pipeline on {@code isbiTrain} (a folder with images/ and masks/)
   * and prints the figures, ending with one JSON line.
   */
  public static List<Result> run(
      Path isbiTrain, int workers, int batches, int heavyBatches, PrintStream out) {
    SampleSource source = isbiSource(isbiTrain);
    List<Result> results = new ArrayList<>();
    results.add(run("isbi_default", source, pipeline(ISBI_DEFAULT), workers, 4, batches, out));
    if (heavyBatches > 0) {
      results.add(run("heavy", source, pipeline(HEAVY), workers, 4, heavyBatches, out));
    }
    out.println(
        "{\"loader_benchmark\":["
            + String.join(",", results.stream().map(Result::toJson).toList())
            + "]}");
    return results;
  }

  /** Usage: LoaderBenchmark [isbi train dir] [batches=1000] [heavy batches=200] [workers=2]. */
  public static void main(String[] args) {
    Path dir = Path.of(args.length > 0 ? args[0] : "../shared/data/isbi2012/train");
    int batches = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int heavy = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    int workers = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    run(dir, workers, batches, heavy, System.out);
  }

  private static SampleTransform pipeline(String yaml) {
    return AugmentConfig.parse(yaml, "bench").pipeline();
  }

  /** ISBI pairs decoded from PNG on every access (0 = membrane, 255 = cell -> class 1). */
  static SampleSource isbiSource(Path train) {
    List<Path> images;
    try (Stream<Path> files = Files.list(train.resolve("images"))) {
      images = files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(
          train + ": cannot list images/ (expected the ISBI train folder): " + e, e);
    }
    if (images.isEmpty()) {
      throw new IllegalArgumentException(train.resolve("images") + ": no PNG images found");
    }
    return new SampleSource() {
      @Override
      public int size() {
        return images.size();
      }

      @Override
      public Sample get(int index) {
        Path img = images.get(index);
        Path mask = train.resolve("masks").resolve(img.getFileName());
        Raster ri = readPng(img).getRaster();
        Raster rm = readPng(mask).getRaster();
        int w = ri.getWidth();
        int h = ri.getHeight();
        int[] px = ri.getSamples(0, 0, w, h, 0, new int[w * h]);
        float scale = ri.getSampleModel().getSampleSize(0) > 8 ? 65535f : 255f;
        float[] image = new float[w * h];
        for (int i = 0; i < image.length; i++) {
          image[i] = px[i] / scale;
        }
        int[] m = rm.getSamples(0, 0, w, h, 0, new int[w * h]);
        for (int i = 0; i < m.length; i++) {
          m[i] = m[i] > 127 ? 1 : 0;
        }
        return new Sample(img.getFileName().toString(), 1, h, w, image, m);
      }

      @Override
      public String id(int index) {
        return images.get(index).getFileName().toString();
      }
    };
  }

  private static BufferedImage readPng(Path file) {
    try {
      BufferedImage img = ImageIO.read(file.toFile());
      if (img == null) {
        throw new IOException("not a readable image");
      }
      return img;
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Resident set size of this process in MB, from /proc/self/status (NaN elsewhere). */
  static double rssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }
}
