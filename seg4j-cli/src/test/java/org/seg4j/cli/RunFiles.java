package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.seg4j.io.SafeTensors;
import org.seg4j.io.SafeTensors.Tensor;
import org.seg4j.train.TinyRuns;

/** Reading a run folder's files in CLI tests. */
final class RunFiles {
  private RunFiles() {}

  /** The tensors of a safetensors file. */
  static Map<String, Tensor> tensors(Path file) throws IOException {
    return SafeTensors.read(file).tensors();
  }

  /**
   * Asserts that the tensors of {@code a} and {@code b} named by {@code keys} agree bit for bit.
   */
  static void assertSameTensors(Path a, Path b, Predicate<String> keys) throws IOException {
    Map<String, Tensor> ta = tensors(a);
    Map<String, Tensor> tb = tensors(b);
    long compared = 0;
    for (String k : ta.keySet()) {
      if (keys.test(k)) {
        assertThat(tb).as("%s in %s", k, b).containsKey(k);
        assertThat(tb.get(k).data()).as("%s: %s vs %s", k, a, b).isEqualTo(ta.get(k).data());
        compared++;
      }
    }
    assertThat(compared).as("tensors compared").isPositive();
  }

  /** Whether any tensor named by {@code keys} differs between {@code a} and {@code b}. */
  static boolean anyDiffers(Path a, Path b, Predicate<String> keys) throws IOException {
    Map<String, Tensor> ta = tensors(a);
    Map<String, Tensor> tb = tensors(b);
    return ta.keySet().stream()
        .filter(keys)
        .anyMatch(k -> !Arrays.equals(ta.get(k).data(), tb.get(k).data()));
  }

  /** The column {@code name} of a run's log.csv, one value per epoch. */
  static List<String> logColumn(Path run, String name) throws IOException {
    return TinyRuns.logColumn(run, name);
  }

  /** The names of the entries of {@code folder}, sorted. */
  static List<String> names(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
