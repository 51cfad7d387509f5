package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code seg4j bench-loader} as a user runs it. */
class BenchLoaderCommandTest {
  @Test
  void runsOnATinySetAndEndsWithJson(@TempDir Path dir) throws IOException {
    TinyData.synthetic(dir, 3);
    CliRun r =
        CliRun.of(
            "bench-loader",
            "--data",
            dir.toString(),
            "--mask",
            "index",
            "--batches",
            "5",
            "--batch",
            "2",
            "--workers",
            "1",
            "--crop",
            "8");
    assertThat(r.code()).as(r.all()).isZero();
    String[] lines = r.out().strip().split("\n");
    assertThat(lines[0]).startsWith("default batch     5").contains("img/s").contains("rss");
    JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
    assertThat(json.get("img_per_s").asDouble()).isPositive();
    assertThat(json.get("batch").asInt()).isEqualTo(2);
    assertThat(json.get("crop").asInt()).isEqualTo(8);
    assertThat(json.get("workers").asInt()).isEqualTo(1);
    assertThat(json.get("batches").asInt()).isEqualTo(5);
    assertThat(json.has("rss_first_mb")).isTrue();
    assertThat(json.has("rss_last_mb")).isTrue();
    assertThat(json.get("peak_rss_mb").asDouble()).isPositive();
  }

  @Test
  void defaultBinary255OnIndexMasksNamesTheFix(@TempDir Path dir) throws IOException {
    TinyData.synthetic(dir, 2);
    CliRun r = CliRun.of("bench-loader", "--data", dir.toString(), "--batches", "1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("masks/synth_0000.png").contains("--mask index");
  }

  @Test
  void badCountsAreClearErrors(@TempDir Path dir) throws IOException {
    TinyData.synthetic(dir, 1);
    CliRun workers =
        CliRun.of("bench-loader", "--data", dir.toString(), "--mask", "index", "--workers", "-1");
    assertThat(workers.code()).isEqualTo(2);
    assertThat(workers.err()).contains("workers must be >= 0");
    CliRun batches = CliRun.of("bench-loader", "--batches", "many");
    assertThat(batches.code()).isEqualTo(2);
    assertThat(batches.err()).contains("--batches").contains("many");
  }
}
