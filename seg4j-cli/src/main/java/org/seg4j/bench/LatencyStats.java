package org.seg4j.bench;

import java.util.Arrays;

/**
 * Exact latency percentiles over every sample of a run (no histogram buckets, no sampling): the
 * samples are sorted once and a percentile p is the nearest-rank value, the smallest sample with at
 * least p% of the samples at or below it ({@code sorted[ceil(p/100 * n) - 1]}).
 */
public final class LatencyStats {
  private final long[] sortedNanos;

  private LatencyStats(long[] sortedNanos) {
    this.sortedNanos = sortedNanos;
  }

  /** The statistics of these latencies in nanoseconds (copied; the argument is left as it is). */
  public static LatencyStats ofNanos(long... nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return new LatencyStats(s);
  }

  /** Number of samples. */
  public int count() {
    return sortedNanos.length;
  }

  /**
   * The nearest-rank p-th percentile in milliseconds, p in (0, 100]; NaN when there are no samples.
   */
  public double percentileMs(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile " + p + " must be in (0, 100]");
    }
    int n = sortedNanos.length;
    if (n == 0) {
      return Double.NaN;
    }
    // p/100 * n rounded to 8 decimals first: 64.4% of 250 is rank 161, not 161.00000000000003 ->
    // 162
    long rank = (long) Math.ceil(Math.round(p * n * 1e6) / 1e8);
    int i = (int) Math.max(1, Math.min(n, rank)) - 1;
    return sortedNanos[i] / 1e6;
  }

  /** The largest sample in milliseconds; NaN when there are none. */
  public double maxMs() {
    return sortedNanos.length == 0 ? Double.NaN : sortedNanos[sortedNanos.length - 1] / 1e6;
  }

  /** The mean in milliseconds; NaN when there are no samples. */
  public double meanMs() {
    if (sortedNanos.length == 0) {
      return Double.NaN;
    }
    double sum = 0;
    for (long v : sortedNanos) {
      sum += v;
    }
    return sum / sortedNanos.length / 1e6;
  }
}
