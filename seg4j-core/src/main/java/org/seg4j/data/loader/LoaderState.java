package org.seg4j.data.loader;

/**
 * Where a loader stands, saved with a checkpoint: resuming with the same seed at (epoch, batch)
 * reproduces exactly the batches an uninterrupted run would have seen.
 */
record LoaderState(long seed, int epoch, int batch) {}
