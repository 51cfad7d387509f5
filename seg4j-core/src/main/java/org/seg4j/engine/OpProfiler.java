package org.seg4j.engine;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * libtorch's own profiler (the autograd profiler DJL exposes), for step profiles: records every
 * native op between {@link #start()} and {@link #stop(Path)}, writes a Chrome trace, and sums the
 * trace per op name, counting each op's self time (its time minus the ops it called) so nothing is
 * counted twice.
 */
public final class OpProfiler {
  /** One op name's totals over the recorded span. */
  public record OpStat(String name, long calls, double selfMs) {}

  private OpProfiler() {}

  /** Starts recording native ops (with input shapes, without memory). */
  public static void start() {
    JniUtils.startProfile(false, true, false);
  }

  /** Stops recording and writes the Chrome trace to {@code trace}. */
  public static void stop(Path trace) {
    JniUtils.stopProfile(trace.toString());
  }

  /** The ops of a Chrome trace, by self time, largest first. */
  public static List<OpStat> summarise(Path trace) throws IOException {
    JsonNode root = new ObjectMapper().readTree(trace.toFile());
    JsonNode events = root.isArray() ? root : root.path("traceEvents");
    Map<String, List<long[]>> byThread = new HashMap<>();
    List<String> names = new ArrayList<>();
    for (JsonNode e : events) {
      if (!"X".equals(e.path("ph").asText()) || !e.path("cat").asText("cpu_op").contains("op")) {
        continue;
      }
      names.add(e.path("name").asText());
      long ts = Math.round(e.path("ts").asDouble() * 1000);
      long dur = Math.round(e.path("dur").asDouble() * 1000);
      byThread
          .computeIfAbsent(e.path("tid").asText(), k -> new ArrayList<>())
          .add(new long[] {ts, dur, names.size() - 1});
    }
    Map<String, double[]> totals = new HashMap<>();
    for (List<long[]> ops : byThread.values()) {
      ops.sort(Comparator.<long[]>comparingLong(o -> o[0]).thenComparingLong(o -> -o[1]));
      long[] self = new long[ops.size()];
      Deque<Integer> open = new ArrayDeque<>();
      for (int i = 0; i < ops.size(); i++) {
        long[] op = ops.get(i);
        while (!open.isEmpty()) {
          long[] top = ops.get(open.peek());
          if (op[0] < top[0] + top[1]) {
            break;
          }
          open.pop();
        }
        self[i] = op[1];
        if (!open.isEmpty()) {
          self[open.peek()] -= op[1];
        }
        open.push(i);
      }
      for (int i = 0; i < ops.size(); i++) {
        double[] t = totals.computeIfAbsent(names.get((int) ops.get(i)[2]), k -> new double[2]);
        t[0]++;
        t[1] += self[i] / 1e6;
      }
    }
    List<OpStat> out = new ArrayList<>();
    totals.forEach((k, v) -> out.add(new OpStat(k, (long) v[0], v[1])));
    out.sort(Comparator.comparingDouble(OpStat::selfMs).reversed());
    return out;
  }
}
