package org.seg4j.data.loader;

import java.util.random.RandomGenerator;

/**
 * The sample order of one epoch: a seeded shuffle (a fresh permutation per epoch), drawing with
 * replacement when more samples are asked for than the dataset holds, cut into batches.
 */
record EpochPlan(int epoch, int[] order, int batchSize, boolean dropLast) {
  /** Plans epoch {@code epoch} of a dataset of {@code size} samples. */
  public static EpochPlan of(int size, LoaderConfig cfg, int epoch) {
    if (size <= 0) {
      throw new IllegalArgumentException("the dataset is empty: nothing to load");
    }
    int n = cfg.samplesFor(size);
    int[] order = new int[n];
    RandomGenerator rng = Seeds.forSample(cfg.seed(), epoch, Seeds.ORDER_STREAM);
    if (!cfg.shuffle()) {
      for (int i = 0; i < n; i++) {
        order[i] = i % size;
      }
    } else if (n > size) {
      for (int i = 0; i < n; i++) {
        order[i] = rng.nextInt(size);
      }
    } else {
      int[] perm = new int[size];
      for (int i = 0; i < size; i++) {
        perm[i] = i;
      }
      for (int i = size - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
      }
      System.arraycopy(perm, 0, order, 0, n);
    }
    return new EpochPlan(epoch, order, cfg.batchSize(), cfg.dropLast());
  }

  /** Number of batches, counting a short last batch unless dropped. */
  public int batches() {
    return dropLast ? order.length / batchSize : (order.length + batchSize - 1) / batchSize;
  }

  /** Number of samples actually delivered (excludes a dropped short batch). */
  public int samples() {
    return Math.min(order.length, batches() * batchSize);
  }
}
