package org.seg4j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Summing a Chrome trace by op: self time is an op's time less the ops it called. */
class OpProfilerTest {
  @TempDir Path dir;

  @Test
  void selfTimeLeavesOutNestedOpsAndThreadsAreApart() throws Exception {
    Path trace = dir.resolve("trace.json");
    // thread 1: conv (0..100 us) calls mm (10..40 us), which calls fill (15..25 us); then add
    // (120..125 us). Thread 2: another conv (5..55 us), overlapping thread 1's in time only.
    Files.writeString(
        trace,
        """
        {"traceEvents": [
          {"ph": "X", "cat": "cpu_op", "name": "aten::conv", "ts": 0, "dur": 100, "tid": 1},
          {"ph": "X", "cat": "cpu_op", "name": "aten::mm", "ts": 10, "dur": 30, "tid": 1},
          {"ph": "X", "cat": "cpu_op", "name": "aten::fill_", "ts": 15, "dur": 10, "tid": 1},
          {"ph": "X", "cat": "cpu_op", "name": "aten::add", "ts": 120, "dur": 5, "tid": 1},
          {"ph": "X", "cat": "cpu_op", "name": "aten::conv", "ts": 5, "dur": 50, "tid": 2},
          {"ph": "i", "name": "marker", "ts": 7, "tid": 1}
        ]}
        """);
    List<OpProfiler.OpStat> ops = OpProfiler.summarise(trace);
    assertThat(ops)
        .extracting(OpProfiler.OpStat::name)
        .containsExactly("aten::conv", "aten::mm", "aten::fill_", "aten::add");
    assertThat(ops).extracting(OpProfiler.OpStat::calls).containsExactly(2L, 1L, 1L, 1L);
    double[] selfMs = ops.stream().mapToDouble(OpProfiler.OpStat::selfMs).toArray();
    assertThat(selfMs).containsExactly(new double[] {0.120, 0.020, 0.010, 0.005}, within(1e-9));
  }
}
