package org.seg4j.data.loader;

/**
 * Settings of a {@link Loader}.
 *
 * @param batchSize samples per batch
 * @param workers decoding and augmentation threads; 0 loads each sample in the consumer's thread
 *     when it is needed (like PyTorch's num_workers=0: no threads compete with the engine's)
 * @param prefetch batches prepared ahead of the consumer (the bound of the prefetch queue)
 * @param seed seed of the per-epoch shuffle and of every sample's augmentation stream
 * @param shuffle reshuffle the order every epoch (seeded); otherwise dataset order
 * @param samplesPerEpoch samples per epoch; 0 means the dataset size. When larger than the dataset,
 *     shuffled epochs draw indices with replacement (e.g. ISBI's 100 random crops of 25 images) and
 *     unshuffled epochs cycle
 * @param dropLast drop a last batch smaller than {@code batchSize}
 */
public record LoaderConfig(
    int batchSize,
    int workers,
    int prefetch,
    long seed,
    boolean shuffle,
    int samplesPerEpoch,
    boolean dropLast) {
  /** Checks the values. */
  public LoaderConfig {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    if (workers < 0) {
      throw new IllegalArgumentException(
          "loader workers must be >= 0 (0 = in the training thread), got " + workers);
    }
    if (prefetch < 1) {
      throw new IllegalArgumentException("loader prefetch must be >= 1 batch, got " + prefetch);
    }
    if (samplesPerEpoch < 0) {
      throw new IllegalArgumentException(
          "samples per epoch must be >= 0 (0 = dataset size), got " + samplesPerEpoch);
    }
  }

  /** The samples an epoch draws from a dataset of {@code size}: {@code samplesPerEpoch}, or all. */
  public int samplesFor(int size) {
    return samplesPerEpoch == 0 ? size : samplesPerEpoch;
  }

  /** Training defaults: 2 workers, 4 batches prefetched, shuffled, every sample once. */
  public static LoaderConfig training(int batchSize, long seed) {
    return new LoaderConfig(batchSize, 2, 4, seed, true, 0, false);
  }

  /** A copy with another number of samples per epoch. */
  public LoaderConfig withSamplesPerEpoch(int n) {
    return new LoaderConfig(batchSize, workers, prefetch, seed, shuffle, n, dropLast);
  }

  /** A copy with other worker and prefetch counts. */
  public LoaderConfig withWorkers(int workerCount, int prefetchBatches) {
    return new LoaderConfig(
        batchSize, workerCount, prefetchBatches, seed, shuffle, samplesPerEpoch, dropLast);
  }

  /** A copy with shuffling switched on or off. */
  public LoaderConfig withShuffle(boolean on) {
    return new LoaderConfig(batchSize, workers, prefetch, seed, on, samplesPerEpoch, dropLast);
  }

  /** A copy with drop-last switched on or off. */
  public LoaderConfig withDropLast(boolean on) {
    return new LoaderConfig(batchSize, workers, prefetch, seed, shuffle, samplesPerEpoch, on);
  }
}
