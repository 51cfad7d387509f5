package org.seg4j.train;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.seg4j.data.loader.Loader;
import org.seg4j.engine.OpProfiler;
import org.seg4j.io.AtomicFiles;

/**
 * Where a training step's wall time goes ({@code train.profile: true}): the training thread's clock
 * read between the parts of each step, summed over the steps after {@link #WARMUP} warm-up steps,
 * plus what the loader's workers spent beside it. On the CPU libtorch runs each op before it
 * returns, so a part's time is its ops' time with no extra synchronisation.
 */
final class StepProfile {
  /** The parts of a step, in order. */
  enum Part {
    WAIT("waiting for the loader's workers"),
    ASSEMBLE("batch assembly and host-to-tensor copy"),
    FORWARD("forward"),
    LOSS("loss, and reading it on the host"),
    BACKWARD("backward"),
    OPTIMIZER("optimizer step and zero_grad"),
    CHECKS("divergence checks (largest weight)"),
    RELEASE("closing the batch's NDManager");

    final String label;

    Part(String label) {
      this.label = label;
    }
  }

  /** Steps not counted: the first ones pay one-off costs (kernel JIT, allocator growth). */
  static final int WARMUP = 8;

  /** The warm-up steps recorded by libtorch's profiler (not counted: it slows them). */
  static final int TRACED_FROM = 5;

  /** How many steps libtorch's profiler records. */
  static final int TRACED = WARMUP - TRACED_FROM;

  /** The top native ops listed. */
  static final int TOP_OPS = 15;

  private final Path trace;
  private final List<Double> stepMs = new ArrayList<>();
  private long stepStart;
  private long assembledAtStart;
  private List<OpProfiler.OpStat> ops = List.of();

  private final long[] nanos = new long[Part.values().length];
  private long last;
  private int seen;
  private int counted;
  private int images;
  private String shape = "";
  private Loader.Timing loaderAtStart;
  private Loader.Timing loaderNow;

  /** A profile that writes libtorch's trace of its traced steps to {@code trace}. */
  StepProfile(Path trace) {
    this.trace = trace;
  }

  /** Starts a step's clock. */
  void begin(Loader loader) {
    if (seen == TRACED_FROM) {
      OpProfiler.start();
    }
    Loader.Timing t = loader.timing();
    if (seen == WARMUP || loaderAtStart == null) {
      loaderAtStart = t;
    }
    assembledAtStart = t.assembleNanos();
    last = System.nanoTime();
    stepStart = last;
  }

  /**
   * The step has its batch: the wait since {@link #begin} is split into the loader's assembly of
   * the batch (timed by the loader) and the wait for its workers.
   */
  void fetched(Loader loader) {
    lap(Part.WAIT);
    if (seen >= WARMUP) {
      long assembly = loader.timing().assembleNanos() - assembledAtStart;
      nanos[Part.WAIT.ordinal()] -= assembly;
      nanos[Part.ASSEMBLE.ordinal()] += assembly;
    }
  }

  /** Adds the time since the last mark to {@code part} (in counted steps). */
  void lap(Part part) {
    long now = System.nanoTime();
    if (seen >= WARMUP) {
      nanos[part.ordinal()] += now - last;
    }
    last = now;
  }

  /** Ends a step on a batch of {@code images} (N, C, H, W). */
  void end(Loader loader, Shape images) throws IOException {
    stepMs.add(Math.round((System.nanoTime() - stepStart) / 1e4) / 100.0);
    if (seen >= WARMUP) {
      String shape =
          images.get(0) + "x" + images.get(1) + "x" + images.get(2) + "x" + images.get(3);
      counted++;
      this.images += images.get(0);
      this.shape =
          this.shape.isEmpty() || this.shape.equals(shape) ? shape : this.shape + " (and smaller)";
      loaderNow = loader.timing();
    }
    seen++;
    if (seen == WARMUP) {
      AtomicFiles.writeVia(trace, OpProfiler::stop);
      ops = OpProfiler.summarise(trace);
    }
  }

  /** The console table: ms per step and share of each part, and the loader workers' time. */
  List<String> table() {
    List<String> lines = new ArrayList<>();
    if (counted == 0) {
      lines.add(
          "step profile: no step past the " + WARMUP + " warm-up steps was run; train longer");
      return lines;
    }
    long total = 0;
    for (long n : nanos) {
      total += n;
    }
    lines.add(
        String.format(
            Locale.ROOT,
            "step profile: %d steps of %s after %d warm-up steps, %.2f train img/s",
            counted,
            shape,
            WARMUP,
            images / (total / 1e9)));
    StringBuilder warm = new StringBuilder();
    for (int i = 0; i < WARMUP; i++) {
      warm.append(i == 0 ? "" : ", ").append(Math.round(stepMs.get(i)));
    }
    lines.add("  warm-up steps (ms; " + TRACED + " of them traced, slower): " + warm);
    lines.add(String.format(Locale.ROOT, "  %-42s %9s %7s", "part", "ms/step", "share"));
    for (Part p : Part.values()) {
      lines.add(
          String.format(
              Locale.ROOT,
              "  %-42s %9.1f %6.1f%%",
              p.label,
              nanos[p.ordinal()] / 1e6 / counted,
              100.0 * nanos[p.ordinal()] / total));
    }
    lines.add(
        String.format(Locale.ROOT, "  %-42s %9.1f %6.1f%%", "step", total / 1e6 / counted, 100.0));
    Loader.Timing w = workers();
    if (w.workers() > 0) {
      lines.add(
          String.format(
              Locale.ROOT,
              "  loader workers (%d): decode + augment %.1f ms per batch beside the step",
              w.workers(),
              w.sampleNanos() / 1e6 / counted));
    }
    if (!ops.isEmpty()) {
      long calls = ops.stream().mapToLong(OpProfiler.OpStat::calls).sum();
      lines.add(
          String.format(
              Locale.ROOT,
              "native ops (libtorch's profiler, %d steps before the counted ones): %d per step;"
                  + " the top %d by self time:",
              TRACED,
              calls / TRACED,
              TOP_OPS));
      lines.add(String.format(Locale.ROOT, "  %-42s %9s %9s", "op", "calls", "ms/step"));
      for (OpProfiler.OpStat op : ops.subList(0, Math.min(TOP_OPS, ops.size()))) {
        lines.add(
            String.format(
                Locale.ROOT,
                "  %-42s %9d %9.1f",
                op.name(),
                op.calls() / TRACED,
                op.selfMs() / TRACED));
      }
      lines.add("  (the whole trace: " + trace + ", for chrome://tracing or Perfetto)");
    }
    return lines;
  }

  /** The same figures as JSON, for {@code profile.json} in the run folder. */
  String json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("steps", counted);
    m.put("warmup_steps", WARMUP);
    m.put("batch", shape);
    m.put("warmup_step_ms", stepMs.subList(0, Math.min(WARMUP, stepMs.size())));
    m.put("every_step_ms", stepMs);
    Map<String, Object> parts = new LinkedHashMap<>();
    for (Part p : Part.values()) {
      parts.put(
          p.name().toLowerCase(Locale.ROOT), counted == 0 ? 0 : nanos[p.ordinal()] / 1e6 / counted);
    }
    m.put("ms_per_step", parts);
    Loader.Timing w = workers();
    m.put("loader_workers", w.workers());
    m.put("loader_decode_augment_ms_per_batch", counted == 0 ? 0 : w.sampleNanos() / 1e6 / counted);
    List<Map<String, Object>> nativeOps = new ArrayList<>();
    for (OpProfiler.OpStat op : ops) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("op", op.name());
      o.put("calls_per_step", op.calls() / (double) TRACED);
      o.put("self_ms_per_step", op.selfMs() / TRACED);
      nativeOps.add(o);
    }
    m.put("native_ops", nativeOps);
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m)
          + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The loader's worker time over the counted steps. */
  private Loader.Timing workers() {
    if (loaderAtStart == null || loaderNow == null) {
      return new Loader.Timing(0, 0, 0);
    }
    return loaderNow.since(loaderAtStart);
  }
}
