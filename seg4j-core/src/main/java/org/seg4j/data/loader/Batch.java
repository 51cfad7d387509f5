package org.seg4j.data.loader;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * One batch: images (N, C, H, W) float32, labels (N, H, W) int64 (null for unlabelled data) and
 * optional per-pixel loss weights (N, H, W) float32 (null unless the loader computes {@link
 * PixelWeights}), living in their own sub-manager that {@link #close()} frees.
 */
public record Batch(
    NDManager manager,
    NDArray images,
    NDArray labels,
    NDArray weights,
    List<String> ids,
    int epoch,
    int index)
    implements AutoCloseable {
  /** Number of samples. */
  public int size() {
    return ids.size();
  }

  @Override
  public void close() {
    manager.close();
  }
}
