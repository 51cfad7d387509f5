package org.seg4j.bench;

import ai.djl.ndarray.NDManager;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import org.seg4j.augment.AugmentConfig;
import org.seg4j.data.DatasetCheck;
import org.seg4j.data.DatasetFactory;
import org.seg4j.data.DatasetFormat;
import org.seg4j.data.DatasetSpec;
import org.seg4j.data.FileDataset;
import org.seg4j.data.loader.Batch;
import org.seg4j.data.loader.Loader;
import org.seg4j.data.loader.LoaderConfig;
import org.seg4j.data.loader.SampleSource;
import org.seg4j.data.loader.SampleTransform;
import org.seg4j.engine.Offline;
import org.seg4j.engine.ProcessMemory;

/**
 * Measures what the loader delivers (what {@code seg4j bench-loader} runs): images per second of
 * decode from disk + augmentation + batching, and the process RSS every 100 batches, which must
 * stay flat. By default on the ISBI 2012 training images (512x512 grey PNG, 0/255 masks). Lives in
 * augment (not data.loader) because it needs the augmentation pipelines.
 */
public final class LoaderBenchmark {
  /** The ISBI training folder, relative to a work tree. */
  public static final String ISBI_TRAIN = "../shared/data/isbi2012/train";

  /** The default ISBI augmentation (random crop, flips, rot90), as in the PyTorch recipe. */
  private static final String DEFAULT =
      """
      augment:
        - {type: random_crop, size: %d}
        - {type: hflip, p: 0.5}
        - {type: vflip, p: 0.5}
        - {type: rot90, p: 1.0}
      """;

  /** A heavy pipeline: rotation and elastic deformation on the full image before the crop. */
  private static final String HEAVY =
      """
      augment:
        - {type: rotate, p: 1.0, degrees: 30}
        - {type: elastic, p: 1.0, alpha: 34, sigma: 4}
        - {type: random_crop, size: %d}
        - {type: hflip, p: 0.5}
        - {type: vflip, p: 0.5}
      """;

  private static final int REPORT_EVERY = 100;

  /**
   * What to run.
   *
   * @param batches batches to time
   * @param workers loader threads
   * @param batchSize samples per batch
   * @param crop side of the random crop
   * @param heavy use the rotate + elastic pipeline instead of crop + flips
   * @param seed loader seed
   */
  public record Options(
      int batches, int workers, int batchSize, int crop, boolean heavy, long seed) {
    /** Checks the counts. */
    public Options {
      if (batches < 1) {
        throw new IllegalArgumentException("--batches must be >= 1, got " + batches);
      }
      if (crop < 1) {
        throw new IllegalArgumentException("--crop must be >= 1, got " + crop);
      }
    }

    /** The pipeline's name in the output. */
    public String pipeline() {
      return heavy ? "heavy" : "default";
    }
  }

  /**
   * Figures of one run.
   *
   * @param options what ran
   * @param batches batches delivered
   * @param imagesPerSecond samples per second over the whole run
   * @param rssFirstMb RSS at the first report (after 100 batches, or at the end of shorter runs)
   * @param rssLastMb RSS at the end
   * @param peakRssMb the process's peak RSS
   */
  public record Result(
      Options options,
      int batches,
      double imagesPerSecond,
      double rssFirstMb,
      double rssLastMb,
      double peakRssMb) {
    /** The figures as one JSON object. */
    public String toJson() {
      return String.format(
          Locale.ROOT,
          "{\"pipeline\":\"%s\",\"img_per_s\":%.1f,\"rss_first_mb\":%.1f,\"rss_last_mb\":%.1f,"
              + "\"peak_rss_mb\":%.1f,\"workers\":%d,\"batch\":%d,\"crop\":%d,\"batches\":%d}",
          options.pipeline(),
          imagesPerSecond,
          rssFirstMb,
          rssLastMb,
          peakRssMb,
          options.workers(),
          options.batchSize(),
          options.crop(),
          batches);
    }
  }

  private LoaderBenchmark() {}

  /** Opens and checks a folder dataset (images/ + masks/) with the given mask codec. */
  public static FileDataset open(Path data, String mask) {
    return DatasetCheck.verified(
        DatasetFactory.open(DatasetSpec.builder(DatasetFormat.FOLDER, data).mask(mask).build()));
  }

  /** The benchmark's augmentation. */
  public static SampleTransform pipeline(Options o) {
    String yaml = (o.heavy() ? HEAVY : DEFAULT).formatted(o.crop());
    return AugmentConfig.parse(yaml, o.pipeline() + " pipeline").pipeline();
  }

  /**
   * Runs the batches through a loader, printing img/s and RSS every 100 batches to {@code out};
   * does not print the JSON line (see {@link Result#toJson()}).
   */
  public static Result run(SampleSource source, Options o, PrintStream out) {
    Offline.ensure();
    LoaderConfig cfg =
        new LoaderConfig(
            o.batchSize(), o.workers(), 4, o.seed(), true, o.batches() * o.batchSize(), false);
    SampleTransform transform = pipeline(o);
    double rssFirst = Double.NaN;
    double rss = ProcessMemory.rssMb();
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
        if (n % REPORT_EVERY == 0 || n == o.batches()) {
          rss = ProcessMemory.rssMb();
          rssFirst = Double.isNaN(rssFirst) ? rss : rssFirst;
          double s = (System.nanoTime() - t0) / 1e9;
          out.printf(
              Locale.ROOT,
              "%s batch %5d  %8.1f img/s  rss %.1f MB%n",
              o.pipeline(),
              n,
              images / s,
              rss);
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      return new Result(o, n, images / seconds, rssFirst, rss, ProcessMemory.peakRssMb());
    }
  }
}
