package org.seg4j.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.seg4j.api.PredictOptions;
import org.seg4j.api.Prediction;
import org.seg4j.api.Segmenter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model's worker: a thread that loads the model, warms it up, then owns its {@link Segmenter}
 * and predicts what the bounded queue holds. It takes the oldest request, waits up to {@code
 * maxDelayMs} for more whole-image requests of the same size (up to {@code maxBatch}, skipping
 * others, which keep their place) and runs them as one forward pass. A full queue refuses at once
 * (503 with {@code Retry-After}); a request with its own tiling or TTA, or an image with a side
 * over {@link org.seg4j.infer.TileOptions#MAX_WHOLE_SIDE} (tiled as {@code seg4j predict} does,
 * {@link PredictOptions#forImage}), runs alone.
 */
final class ModelWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelWorker.class);

  /** Where a worker is: loading, ready, failed to load, or stopped. */
  enum State {
    LOADING,
    READY,
    FAILED,
    STOPPED
  }

  private final String name;
  private final Path run;
  private final ServeConfig config;
  private final Metrics metrics;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Job> queue = new ArrayDeque<>();
  private final Thread thread;
  private final CompletableFuture<Void> loaded = new CompletableFuture<>();
  private volatile State state = State.LOADING;
  private volatile String failure;
  private volatile ObjectNode info;
  private volatile List<String> classNames = List.of();
  private volatile int inChannels;
  private boolean stopping;
  private boolean held;
  private Segmenter segmenter;

  ModelWorker(String name, Path run, ServeConfig config, Metrics metrics) {
    this.name = name;
    this.run = run;
    this.config = config;
    this.metrics = metrics;
    this.thread = new Thread(this::work, "seg4j-serve-" + name);
    this.thread.setDaemon(true);
  }

  /** Starts loading in the worker's thread. */
  void start() {
    thread.start();
  }

  String name() {
    return name;
  }

  State state() {
    return state;
  }

  /** Why loading failed, or null. */
  String failure() {
    return failure;
  }

  /** Completes when the model is loaded and warmed, or fails when it could not load. */
  CompletableFuture<Void> loaded() {
    return loaded;
  }

  /** The model's description ({@link ModelInfo}) with {@code ready}; null while loading. */
  ObjectNode info() {
    ObjectNode i = info;
    if (i == null) {
      return null;
    }
    ObjectNode copy = i.deepCopy();
    copy.put("ready", state == State.READY);
    return copy;
  }

  List<String> classNames() {
    return classNames;
  }

  int inChannels() {
    return inChannels;
  }

  /** Requests waiting. */
  int depth() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues an image.
   *
   * @param options this request's own options, or null for the server's
   * @throws HttpError 503 when the model is not ready or the queue is full
   */
  CompletableFuture<Job.Result> submit(BufferedImage image, PredictOptions options) {
    PredictOptions own = config.predictOptions();
    PredictOptions given = options == null ? own : options;
    PredictOptions sized = given.forImage(image.getHeight(), image.getWidth());
    // the request's own options, or the server's tiled for a large image: predicted alone
    PredictOptions o = sized != given ? sized : options;
    boolean batchable = o == null && own.tile() == 0 && !own.flipTta();
    Job job = new Job(image, o, batchable);
    lock.lock();
    try {
      if (state != State.READY || stopping) {
        throw notReady();
      }
      if (queue.size() >= config.queue()) {
        throw new HttpError(
            503,
            "the queue of model "
                + name
                + " is full ("
                + config.queue()
                + " requests waiting): retry in a moment, or start the server with a larger"
                + " --queue",
            Map.of("Retry-After", "1"));
      }
      queue.addLast(job);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    return job.result;
  }

  /** The 503 for a model that cannot take requests now. */
  HttpError notReady() {
    String why =
        switch (state) {
          case LOADING -> "is still loading: retry when /health/ready answers 200";
          case FAILED -> "failed to load (" + failure + "): fix it and restart the server";
          default -> "is stopping: the server is shutting down";
        };
    return new HttpError(503, "model " + name + " " + why, Map.of("Retry-After", "1"));
  }

  /** Test hook: while held the worker takes nothing from the queue. */
  void hold(boolean on) {
    lock.lock();
    try {
      held = on;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** A load failure whose message says it all: bad input, not a fault of seg4j's. */
  private static boolean expected(Throwable t) {
    return t instanceof java.io.IOException
        || t instanceof java.io.UncheckedIOException
        || t instanceof IllegalArgumentException
        || t.getClass().getName().startsWith("org.seg4j.");
  }

  private void work() {
    try {
      segmenter =
          Segmenter.fromRun(run).device(config.device()).options(config.predictOptions()).build();
      classNames = segmenter.classNames();
      inChannels = segmenter.inChannels();
      info = ModelInfo.of(name, run, segmenter);
      warmUp();
      state = State.READY;
      loaded.complete(null);
      LOG.info("model {} ready ({})", name, run);
    } catch (Throwable t) {
      failure = t.getMessage() == null ? t.toString() : t.getMessage();
      state = State.FAILED;
      if (expected(t)) {
        // a bad run folder or weights file: the message names the file and the fix
        LOG.error("model {} failed to load: {}", name, failure);
      } else {
        LOG.error("model {} failed to load from {}", name, run, t);
      }
      loaded.completeExceptionally(t);
      closeSegmenter();
      return;
    }
    try {
      List<Job> batch;
      while ((batch = take()) != null) {
        run(batch);
      }
    } finally {
      state = State.STOPPED;
      failRemaining();
      closeSegmenter();
    }
  }

  /** Two passes over a small blank image: the first forward passes are the slow ones. */
  private void warmUp() {
    BufferedImage blank = new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR);
    segmenter.predict(List.of(blank, blank));
  }

  /** The next batch, or null when stopping. */
  private List<Job> take() {
    lock.lock();
    try {
      while ((queue.isEmpty() || held) && !stopping) {
        changed.awaitUninterruptibly();
      }
      if (queue.isEmpty() || stopping && held) {
        return null;
      }
      Job first = queue.removeFirst();
      List<Job> batch = new ArrayList<>(List.of(first));
      if (!first.batchable || config.maxBatch() == 1) {
        return batch;
      }
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.maxDelayMs());
      while (true) {
        for (Iterator<Job> it = queue.iterator();
            it.hasNext() && batch.size() < config.maxBatch(); ) {
          Job j = it.next();
          if (first.joins(j)) {
            it.remove();
            batch.add(j);
          }
        }
        long left = deadline - System.nanoTime();
        if (batch.size() >= config.maxBatch() || stopping || left <= 0) {
          return batch;
        }
        try {
          changed.awaitNanos(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return batch;
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private void run(List<Job> batch) {
    long t0 = System.nanoTime();
    try {
      List<Prediction> predictions;
      if (batch.size() == 1) {
        Job j = batch.get(0);
        predictions =
            List.of(
                j.options == null
                    ? segmenter.predict(j.image)
                    : segmenter.predict(j.image, j.options));
      } else {
        List<BufferedImage> images = new ArrayList<>(batch.size());
        batch.forEach(j -> images.add(j.image));
        predictions = segmenter.predict(images);
      }
      long t1 = System.nanoTime();
      metrics.batch(name, batch.size());
      for (int i = 0; i < batch.size(); i++) {
        Job j = batch.get(i);
        j.result.complete(
            new Job.Result(
                predictions.get(i), batch.size(), (t0 - j.queuedNanos) / 1e6, (t1 - t0) / 1e6));
      }
    } catch (IllegalArgumentException e) {
      // a request's own options the model cannot take (e.g. a tile side it does not accept)
      batch.forEach(j -> j.result.completeExceptionally(new HttpError(400, e.getMessage())));
    } catch (Throwable t) {
      LOG.error("model {}: prediction of {} image(s) failed", name, batch.size(), t);
      HttpError e =
          new HttpError(
              500,
              "the prediction failed ("
                  + t.getClass().getSimpleName()
                  + "): the server log has the details");
      batch.forEach(j -> j.result.completeExceptionally(e));
      if (t instanceof Error && !(t instanceof OutOfMemoryError)) {
        throw (Error) t;
      }
    }
  }

  private void failRemaining() {
    lock.lock();
    try {
      HttpError e = notReady();
      queue.forEach(j -> j.result.completeExceptionally(e));
      queue.clear();
    } finally {
      lock.unlock();
    }
  }

  private void closeSegmenter() {
    if (segmenter != null) {
      segmenter.close();
      segmenter = null;
    }
  }

  /**
   * Stops taking requests once the queue is empty, closes the model and waits for the thread
   * (requests still queued after {@code timeoutMs} are answered 503).
   */
  void stop(long timeoutMs) {
    lock.lock();
    try {
      stopping = true;
      held = false;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      thread.join(timeoutMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop(30_000);
  }
}
