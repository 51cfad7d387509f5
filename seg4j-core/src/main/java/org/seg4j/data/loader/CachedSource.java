package org.seg4j.data.loader;

import java.util.concurrent.atomic.AtomicReferenceArray;
import org.seg4j.data.Sample;

/**
 * Keeps every decoded sample in memory after its first use, so small sets (ISBI's 30 images) are
 * decoded once rather than every epoch. Samples are immutable, so sharing them is safe.
 */
public final class CachedSource implements SampleSource {
  private final SampleSource inner;
  private final AtomicReferenceArray<Sample> cache;

  /** Wraps a source. */
  public CachedSource(SampleSource inner) {
    this.inner = inner;
    this.cache = new AtomicReferenceArray<>(inner.size());
  }

  /**
   * Wraps {@code source} when its decoded size (estimated from the first sample) fits in {@code
   * budgetBytes}; returns it unchanged otherwise.
   */
  public static SampleSource ifFits(SampleSource source, long budgetBytes) {
    if (source.size() == 0) {
      return source;
    }
    CachedSource c = new CachedSource(source);
    Sample first = c.get(0);
    long per =
        (long) first.image().length * 4 + (first.mask() == null ? 0 : first.mask().length * 4L);
    return per * source.size() <= budgetBytes ? c : source;
  }

  @Override
  public int size() {
    return inner.size();
  }

  @Override
  public Sample get(int index) {
    Sample s = cache.get(index);
    if (s == null) {
      s = inner.get(index);
      cache.compareAndSet(index, null, s);
    }
    return s;
  }

  @Override
  public String id(int index) {
    return inner.id(index);
  }
}
