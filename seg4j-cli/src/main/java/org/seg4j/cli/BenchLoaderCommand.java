package org.seg4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.seg4j.bench.LoaderBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seg4j bench-loader}: data loader throughput (decode + augment + batch) and RSS. */
@Command(
    mixinStandardHelpOptions = true,
    name = "bench-loader",
    description =
        "Time the data loader (decode from disk, augment, batch) on a folder dataset; prints img/s"
            + " and RSS every 100 batches and ends with one JSON line.")
final class BenchLoaderCommand implements Callable<Integer> {
  @Option(
      names = "--data",
      defaultValue = LoaderBenchmark.ISBI_TRAIN,
      paramLabel = "DIR",
      description = "folder dataset with images/ and masks/ (default: ${DEFAULT-VALUE})")
  Path data;

  @Option(
      names = "--mask",
      defaultValue = "binary255",
      paramLabel = "CODEC",
      description = "mask codec (default: ${DEFAULT-VALUE}, as ISBI's 0/255 masks)")
  String mask;

  @Option(names = "--batches", defaultValue = "1000", description = "batches (default: 1000)")
  int batches;

  @Option(names = "--workers", defaultValue = "2", description = "loader threads (default: 2)")
  int workers;

  @Option(names = "--batch", defaultValue = "4", description = "batch size (default: 4)")
  int batch;

  @Option(names = "--crop", defaultValue = "256", description = "random crop side (default: 256)")
  int crop;

  @Option(names = "--heavy", description = "rotate + elastic before the crop")
  boolean heavy;

  @Option(
      names = "--seed",
      defaultValue = "0",
      paramLabel = "N",
      description = "loader seed (default: 0)")
  long seed;

  @Override
  public Integer call() {
    LoaderBenchmark.Options o =
        new LoaderBenchmark.Options(batches, workers, batch, crop, heavy, seed);
    LoaderBenchmark.Result r = LoaderBenchmark.run(LoaderBenchmark.open(data, mask), o, System.out);
    System.out.println(r.toJson());
    return 0;
  }
}
