package org.seg4j.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Resident memory of a process sampled against the number of requests it has answered: start, end
 * and largest sample, and the least-squares slope in MB per 1000 requests, which stays near 0 when
 * nothing leaks. Samples are read from {@code /proc/PID/status} (VmRSS), so Linux only.
 */
public final class RssTrace {
  private final List<double[]> samples = new ArrayList<>();

  /** Adds a sample: the process held {@code mb} MiB after {@code requests} requests. */
  public synchronized void add(long requests, double mb) {
    samples.add(new double[] {requests, mb});
  }

  /** The samples as {requests, MiB} pairs, by requests. */
  public synchronized List<double[]> samples() {
    List<double[]> s = new ArrayList<>(samples);
    s.sort(Comparator.comparingDouble(v -> v[0]));
    return s;
  }

  /** The first sample's MiB (fewest requests); NaN when empty. */
  public double startMb() {
    List<double[]> s = samples();
    return s.isEmpty() ? Double.NaN : s.get(0)[1];
  }

  /** The last sample's MiB (most requests); NaN when empty. */
  public double endMb() {
    List<double[]> s = samples();
    return s.isEmpty() ? Double.NaN : s.get(s.size() - 1)[1];
  }

  /** The largest sample in MiB; NaN when empty. */
  public double maxMb() {
    return samples().stream().mapToDouble(v -> v[1]).max().orElse(Double.NaN);
  }

  /**
   * The least-squares slope of MiB over requests, times 1000: MiB gained per 1000 requests. NaN
   * with fewer than two distinct request counts.
   */
  public double slopeMbPer1000() {
    return slope(samples());
  }

  /**
   * The slope over the second half of the run only (the samples from half the last sample's request
   * count on), which a one-off rise at the start (heap pages touched for the first time, allocator
   * pools filling) leaves out: a leak shows in both, a warm-up only in the first.
   */
  public double lateSlopeMbPer1000() {
    List<double[]> s = samples();
    if (s.isEmpty()) {
      return Double.NaN;
    }
    double half = s.get(s.size() - 1)[0] / 2;
    return slope(s.stream().filter(v -> v[0] >= half).toList());
  }

  private static double slope(List<double[]> s) {
    int n = s.size();
    double mx = 0;
    double my = 0;
    for (double[] v : s) {
      mx += v[0];
      my += v[1];
    }
    mx /= Math.max(n, 1);
    my /= Math.max(n, 1);
    double sxx = 0;
    double sxy = 0;
    for (double[] v : s) {
      sxx += (v[0] - mx) * (v[0] - mx);
      sxy += (v[0] - mx) * (v[1] - my);
    }
    return sxx == 0 ? Double.NaN : sxy / sxx * 1000;
  }
}
