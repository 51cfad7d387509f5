package org.seg4j.serve;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToIntFunction;
import org.seg4j.engine.ProcessMemory;

/**
 * The server's counters in Prometheus' text format 0.0.4: requests by model and status, request
 * latency and batch size histograms, queue depth, images served and their recent rate, native and
 * heap memory. Thread-safe and lock-free on the request path.
 */
final class Metrics {
  private static final double[] SECONDS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
  };
  private static final double[] BATCHES = {1, 2, 4, 8, 16, 32, 64};

  /** Seconds the images/s rate looks back over. */
  static final int RATE_WINDOW = 10;

  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
  private final Map<String, Histogram> batches = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> images = new ConcurrentHashMap<>();
  private final Map<String, Rate> rates = new ConcurrentHashMap<>();

  /** A finished request; {@code model} is "" for paths that are not a model's. */
  void request(String model, int status) {
    requests.computeIfAbsent(labels(model, status), k -> new LongAdder()).increment();
  }

  /** A finished segment request's latency. */
  void latency(String model, double seconds) {
    latency.computeIfAbsent(model, k -> new Histogram(SECONDS)).observe(seconds);
  }

  /** A forward pass of {@code size} images. */
  void batch(String model, int size) {
    batches.computeIfAbsent(model, k -> new Histogram(BATCHES)).observe(size);
    images.computeIfAbsent(model, k -> new LongAdder()).add(size);
    rates.computeIfAbsent(model, k -> new Rate()).add(size);
  }

  private static String labels(String model, int status) {
    return "model=\"" + model + "\",status=\"" + status + "\"";
  }

  /** The text exposition; {@code depth} gives each model's queue depth. */
  String text(Iterable<String> models, ToIntFunction<String> depth) {
    StringBuilder sb = new StringBuilder();
    header(sb, "seg4j_requests_total", "counter", "HTTP requests answered, by model and status");
    new TreeMap<>(requests).forEach((k, v) -> line(sb, "seg4j_requests_total{" + k + "}", v.sum()));
    header(sb, "seg4j_request_seconds", "histogram", "segment request latency in seconds");
    new TreeMap<>(latency).forEach((m, h) -> h.write(sb, "seg4j_request_seconds", m));
    header(sb, "seg4j_batch_size", "histogram", "images per forward pass");
    new TreeMap<>(batches).forEach((m, h) -> h.write(sb, "seg4j_batch_size", m));
    header(sb, "seg4j_queue_depth", "gauge", "requests waiting for the model's worker");
    for (String m : models) {
      line(sb, "seg4j_queue_depth{model=\"" + m + "\"}", depth.applyAsInt(m));
    }
    header(sb, "seg4j_images_total", "counter", "images predicted");
    for (String m : models) {
      LongAdder a = images.get(m);
      line(sb, "seg4j_images_total{model=\"" + m + "\"}", a == null ? 0 : a.sum());
    }
    header(
        sb,
        "seg4j_images_per_second",
        "gauge",
        "images predicted per second over the last " + RATE_WINDOW + " s");
    for (String m : models) {
      Rate r = rates.get(m);
      line(sb, "seg4j_images_per_second{model=\"" + m + "\"}", r == null ? 0 : r.perSecond());
    }
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    long rss = ProcessMemory.rssBytes();
    header(
        sb,
        "seg4j_native_memory_bytes",
        "gauge",
        "resident memory outside the Java heap (RSS minus committed heap): libtorch and the JVM");
    line(sb, "seg4j_native_memory_bytes", rss < 0 ? -1 : Math.max(0, rss - heap.getCommitted()));
    header(sb, "seg4j_heap_used_bytes", "gauge", "Java heap in use");
    line(sb, "seg4j_heap_used_bytes", heap.getUsed());
    header(sb, "process_resident_memory_bytes", "gauge", "resident set size (RSS)");
    line(sb, "process_resident_memory_bytes", rss);
    return sb.toString();
  }

  private static void header(StringBuilder sb, String name, String type, String help) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void line(StringBuilder sb, String series, double value) {
    sb.append(series).append(' ').append(number(value)).append('\n');
  }

  private static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.6g", v);
  }

  /** A cumulative histogram with fixed upper bounds. */
  private static final class Histogram {
    private final double[] bounds;
    private final AtomicLongArray counts;
    private final DoubleAdder sum = new DoubleAdder();
    private final LongAdder count = new LongAdder();

    Histogram(double[] bounds) {
      this.bounds = bounds;
      this.counts = new AtomicLongArray(bounds.length);
    }

    void observe(double v) {
      for (int i = 0; i < bounds.length; i++) {
        if (v <= bounds[i]) {
          counts.incrementAndGet(i);
        }
      }
      sum.add(v);
      count.increment();
    }

    void write(StringBuilder sb, String name, String model) {
      String m = "model=\"" + model + "\"";
      for (int i = 0; i < bounds.length; i++) {
        line(sb, name + "_bucket{" + m + ",le=\"" + number(bounds[i]) + "\"}", counts.get(i));
      }
      line(sb, name + "_bucket{" + m + ",le=\"+Inf\"}", count.sum());
      line(sb, name + "_sum{" + m + "}", sum.sum());
      line(sb, name + "_count{" + m + "}", count.sum());
    }
  }

  /** Images per whole second over the last {@link #RATE_WINDOW} seconds. */
  private static final class Rate {
    private final long[] seconds = new long[RATE_WINDOW + 1];
    private final long[] counts = new long[RATE_WINDOW + 1];

    synchronized void add(int n) {
      long now = System.currentTimeMillis() / 1000;
      int i = (int) (now % seconds.length);
      if (seconds[i] != now) {
        seconds[i] = now;
        counts[i] = 0;
      }
      counts[i] += n;
    }

    synchronized double perSecond() {
      long now = System.currentTimeMillis() / 1000;
      long total = 0;
      for (int i = 0; i < seconds.length; i++) {
        // the last RATE_WINDOW whole seconds, the current (partial) one left out
        if (seconds[i] < now && seconds[i] >= now - RATE_WINDOW) {
          total += counts[i];
        }
      }
      return total / (double) RATE_WINDOW;
    }
  }
}
