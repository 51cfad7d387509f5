package org.seg4j.serve;

import java.awt.image.BufferedImage;
import java.util.concurrent.CompletableFuture;
import org.seg4j.api.PredictOptions;
import org.seg4j.api.Prediction;

/**
 * One image waiting in a {@link ModelWorker}'s queue: the image, the options it is predicted with
 * (null: the worker's own, and then it may share a forward pass with others of its size), when it
 * was queued, and the result to complete.
 */
final class Job {
  /**
   * A finished job.
   *
   * @param prediction the prediction
   * @param batchSize how many images shared its forward pass
   * @param queueMs how long it waited in the queue
   * @param predictMs how long its forward pass (and the maps) took
   */
  record Result(Prediction prediction, int batchSize, double queueMs, double predictMs) {}

  final BufferedImage image;
  final PredictOptions options;
  final boolean batchable;
  final long queuedNanos = System.nanoTime();
  final CompletableFuture<Result> result = new CompletableFuture<>();

  Job(BufferedImage image, PredictOptions options, boolean batchable) {
    this.image = image;
    this.options = options;
    this.batchable = batchable;
  }

  /** Whether {@code other} may share this job's forward pass. */
  boolean joins(Job other) {
    return batchable
        && other.batchable
        && image.getWidth() == other.image.getWidth()
        && image.getHeight() == other.image.getHeight();
  }
}
