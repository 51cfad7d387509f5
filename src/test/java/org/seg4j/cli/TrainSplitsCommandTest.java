package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code seg4j train} on the split lists and split folders a user has: VOC's ImageSets lists,
 * relative list paths in a config file kept in another folder, the output of {@code seg4j split
 * --copy}, and no validation set at all. Each trains one epoch of a tiny U-Net.
 */
class TrainSplitsCommandTest {
  @TempDir Path dir;

  private String[] train(String name, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "train",
                "--runs",
                dir.resolve("runs").toString(),
                "--name",
                name,
                "--base",
                "4",
                "--epochs",
                "1",
                "--batch",
                "2",
                "--no-progress",
                "--set",
                "model.options={depth: 2}",
                "--set",
                "data.workers=0"));
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  private Path run(String name) {
    return dir.resolve("runs").resolve(name);
  }

  @Test
  void perClassAndPerInstanceMasksAre0And255ByDefaultInTrainAndInDatasetCheck() throws IOException {
    Path perClass = TinyData.perClass(dir.resolve("pc"), 4, 16);
    Path perInstance = TinyData.perInstance(dir.resolve("pi"), 4, 16);
    for (String[] d :
        List.of(
            new String[] {"per-class", perClass.toString()},
            new String[] {"per-instance", perInstance.toString()})) {
      CliRun check = CliRun.of("dataset", "check", "--data", d[1], "--format", d[0]);
      assertThat(check.code()).as(check.all()).isZero();
      assertThat(check.out()).contains("Masks: --mask binary255");

      CliRun r = CliRun.of(train(d[0], "--data", d[1], "--format", d[0]));
      assertThat(r.code()).as(r.all()).isZero();
    }
  }
}
