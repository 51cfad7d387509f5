package org.seg4j.data.loader;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.seg4j.data.Sample;

/**
 * Feeds training: worker threads decode and augment samples ahead of the consumer (at most {@code
 * prefetch} batches in flight, in a bounded queue), and the consumer's thread turns each batch into
 * NDArrays in a fresh sub-manager of the base manager. Batches come out in plan order whatever the
 * thread timing, and every sample's augmentation stream depends only on (seed, epoch, position), so
 * a run is reproducible and resumable from a {@link LoaderState}.
 */
public final class Loader implements AutoCloseable {
  private final SampleSource source;
  private final SampleTransform transform;
  private final PixelWeights pixelWeights;
  private final LoaderConfig config;
  private final NDManager base;
  private final ThreadPoolExecutor pool;
  private final int window;
  private EpochIterator current;
  private volatile boolean closed;
  private final LongAdder sampleNanos = new LongAdder();
  private final LongAdder assembleNanos = new LongAdder();

  /**
   * Time spent so far: decoding and augmenting samples (on the workers, or on the consumer's thread
   * without workers) and assembling batches into NDArrays (on the consumer's thread).
   *
   * @param workers the worker threads (0: samples are made on the consumer's thread)
   */
  public record Timing(int workers, long sampleNanos, long assembleNanos) {
    /** The time spent between {@code earlier} and this one. */
    public Timing since(Timing earlier) {
      return new Timing(
          workers, sampleNanos - earlier.sampleNanos, assembleNanos - earlier.assembleNanos);
    }
  }

  /**
   * A loader over {@code source}; {@code transform} (may be null) runs on the workers, batches are
   * attached to sub-managers of {@code base}.
   */
  public Loader(
      SampleSource source, SampleTransform transform, LoaderConfig config, NDManager base) {
    this(source, transform, null, config, base);
  }

  /**
   * As {@link #Loader(SampleSource, SampleTransform, LoaderConfig, NDManager)}, with per-pixel loss
   * weights (may be null) computed on the workers from each transformed mask.
   */
  public Loader(
      SampleSource source,
      SampleTransform transform,
      PixelWeights pixelWeights,
      LoaderConfig config,
      NDManager base) {
    this.source = source;
    this.transform = transform == null ? (s, rng) -> s : transform;
    this.pixelWeights = pixelWeights;
    this.config = config;
    this.base = base;
    this.window = config.prefetch() * config.batchSize();
    AtomicInteger n = new AtomicInteger();
    this.pool =
        config.workers() == 0
            ? null
            : new ThreadPoolExecutor(
                config.workers(),
                config.workers(),
                0,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(window),
                r -> {
                  Thread t = new Thread(r, "seg4j-loader-" + n.incrementAndGet());
                  t.setDaemon(true);
                  return t;
                });
  }

  /** The time spent so far, for a step profile. */
  public Timing timing() {
    return new Timing(config.workers(), sampleNanos.sum(), assembleNanos.sum());
  }

  /** The settings. */
  public LoaderConfig config() {
    return config;
  }

  /** Batches per epoch. */
  public int batchesPerEpoch() {
    return EpochPlan.of(source.size(), config, 0).batches();
  }

  /** The batches of {@code epoch} from the first one. */
  public Iterator<Batch> epoch(int epoch) {
    return epoch(epoch, 0);
  }

  /**
   * The batches of {@code epoch} from batch {@code startBatch} on (to resume mid-epoch). Starting
   * an epoch abandons the previous one's unconsumed work.
   */
  public synchronized Iterator<Batch> epoch(int epoch, int startBatch) {
    if (closed) {
      throw new IllegalStateException("loader is closed");
    }
    if (current != null) {
      current.cancel();
    }
    EpochPlan plan = EpochPlan.of(source.size(), config, epoch);
    if (startBatch < 0 || startBatch > plan.batches()) {
      throw new IllegalArgumentException(
          "start batch "
              + startBatch
              + " is outside epoch "
              + epoch
              + " (0.."
              + plan.batches()
              + ")");
    }
    current = new EpochIterator(plan, startBatch);
    return current;
  }

  /** Where the loader stands: the next batch the current epoch will deliver. */
  public synchronized LoaderState state() {
    return current == null
        ? new LoaderState(config.seed(), 0, 0)
        : new LoaderState(config.seed(), current.plan.epoch(), current.nextBatch);
  }

  /**
   * Stops the workers and drops unconsumed work; delivered batches stay the caller's. Safe to call
   * from another thread while the consumer waits: its {@code next()} then fails.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (pool == null) {
      return;
    }
    for (Runnable queued : pool.shutdownNow()) {
      if (queued instanceof Future<?> f) {
        f.cancel(false);
      }
    }
    try {
      if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("loader workers did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A transformed sample and its pixel weights (null without {@link PixelWeights}). */
  private record Loaded(Sample sample, float[] weights) {}

  /** Decodes and augments one sample and computes its pixel weights (worker thread). */
  private Loaded load(int epoch, int position, int index) {
    long t0 = System.nanoTime();
    try {
      return weighted(transformed(epoch, position, index), index);
    } finally {
      sampleNanos.add(System.nanoTime() - t0);
    }
  }

  private Loaded weighted(Sample t, int index) {
    if (pixelWeights == null || t.mask() == null) {
      return new Loaded(t, null);
    }
    try {
      return new Loaded(t, pixelWeights.of(t.mask(), t.height(), t.width()));
    } catch (RuntimeException | Error e) {
      throw new LoaderException(
          "weighting the pixels of sample " + t.id() + " (index " + index + "): " + e.getMessage(),
          e);
    }
  }

  private Sample transformed(int epoch, int position, int index) {
    Sample s;
    try {
      s = source.get(index);
    } catch (RuntimeException | Error e) {
      throw new LoaderException(
          "loading sample " + source.id(index) + " (index " + index + "): " + e.getMessage(), e);
    }
    try {
      return transform.apply(s, Seeds.forSample(config.seed(), epoch, position));
    } catch (RuntimeException | Error e) {
      throw new LoaderException(
          "augmenting sample " + s.id() + " (index " + index + "): " + e.getMessage(), e);
    }
  }

  /** Iterates one epoch, keeping up to {@code window} samples in flight. */
  private final class EpochIterator implements Iterator<Batch> {
    private final EpochPlan plan;
    private final ArrayDeque<Future<Loaded>> pending = new ArrayDeque<>();
    private final int end;
    private int nextSubmit;
    private int nextBatch;
    private boolean failed;

    EpochIterator(EpochPlan plan, int startBatch) {
      this.plan = plan;
      this.end = plan.samples();
      this.nextBatch = startBatch;
      this.nextSubmit = Math.min(end, startBatch * plan.batchSize());
      fill();
    }

    private void fill() {
      while (pending.size() < window && nextSubmit < end) {
        int position = nextSubmit++;
        int index = plan.order()[position];
        try {
          Callable<Loaded> task = () -> load(plan.epoch(), position, index);
          // without workers the task runs in take(), on the consumer's thread
          pending.add(pool == null ? new FutureTask<>(task) : pool.submit(task));
        } catch (RejectedExecutionException e) {
          throw new LoaderException("the loader was closed while loading epoch " + plan.epoch(), e);
        }
      }
    }

    void cancel() {
      failed = true;
      for (Future<Loaded> f : pending) {
        f.cancel(true);
      }
      pending.clear();
      if (pool != null) {
        pool.purge();
      }
    }

    @Override
    public boolean hasNext() {
      return !failed && !closed && nextBatch < plan.batches();
    }

    @Override
    public Batch next() {
      synchronized (Loader.this) {
        if (closed) {
          throw new LoaderException(
              "the loader was closed before batch " + nextBatch + " of epoch " + plan.epoch(),
              null);
        }
        if (!hasNext()) {
          throw new NoSuchElementException("epoch " + plan.epoch() + " has no more batches");
        }
        int first = nextBatch * plan.batchSize();
        int n = Math.min(plan.batchSize(), end - first);
        List<Loaded> samples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          samples.add(take());
          fill();
        }
        long t0 = System.nanoTime();
        Batch b = assemble(samples, plan.epoch(), nextBatch);
        assembleNanos.add(System.nanoTime() - t0);
        nextBatch++;
        return b;
      }
    }

    private Loaded take() {
      Future<Loaded> f = pending.poll();
      if (pool == null) {
        ((FutureTask<Loaded>) f).run();
      }
      try {
        return f.get();
      } catch (ExecutionException e) {
        cancel();
        Throwable cause = e.getCause();
        throw new LoaderException(
            "epoch " + plan.epoch() + ", batch " + nextBatch + ": " + cause.getMessage(), cause);
      } catch (InterruptedException e) {
        cancel();
        Thread.currentThread().interrupt();
        throw new LoaderException("interrupted while waiting for a batch", e);
      } catch (CancellationException e) {
        throw new LoaderException("the loader was closed while waiting for a batch", e);
      }
    }
  }

  private Batch assemble(List<Loaded> loaded, int epoch, int index) {
    Sample first = loaded.get(0).sample();
    int count = loaded.size();
    int c = first.channels();
    int h = first.height();
    int w = first.width();
    int plane = c * h * w;
    boolean labelled = first.mask() != null;
    boolean weighted = loaded.get(0).weights() != null;
    float[] images = new float[count * plane];
    long[] labels = labelled ? new long[count * h * w] : null;
    float[] weights = weighted ? new float[count * h * w] : null;
    List<String> ids = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Sample s = loaded.get(i).sample();
      if (s.channels() != c || s.height() != h || s.width() != w) {
        throw new LoaderException(
            "batch "
                + index
                + ": sample "
                + s.id()
                + " is "
                + s.channels()
                + "x"
                + s.height()
                + "x"
                + s.width()
                + " but "
                + first.id()
                + " is "
                + c
                + "x"
                + h
                + "x"
                + w
                + "; add a random_crop or resize to the augmentation so samples share one size",
            null);
      }
      if ((s.mask() != null) != labelled) {
        throw new LoaderException(
            "batch "
                + index
                + ": sample "
                + s.id()
                + " and "
                + first.id()
                + " differ in having a mask; a batch must be all labelled or all unlabelled",
            null);
      }
      System.arraycopy(s.image(), 0, images, i * plane, plane);
      if (labelled) {
        int[] m = s.mask();
        int off = i * h * w;
        for (int j = 0; j < m.length; j++) {
          labels[off + j] = m[j];
        }
      }
      if (weighted) {
        System.arraycopy(loaded.get(i).weights(), 0, weights, i * h * w, h * w);
      }
      ids.add(s.id());
    }
    NDManager m = base.newSubManager();
    try {
      NDArray x = m.create(images, new Shape(count, c, h, w));
      NDArray y = labelled ? m.create(labels, new Shape(count, h, w)) : null;
      NDArray pw = weighted ? m.create(weights, new Shape(count, h, w)) : null;
      return new Batch(m, x, y, pw, List.copyOf(ids), epoch, index);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }
}
