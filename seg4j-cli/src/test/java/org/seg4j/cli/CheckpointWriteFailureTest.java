package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.data.SyntheticShapes;
import org.seg4j.run.TrainConfig;
import org.seg4j.testutil.ChildJvm;
import org.seg4j.train.TinyRuns;
import org.seg4j.train.Trainer;

/**
 * A checkpoint write that fails half-way (the disk fills up) while a real {@code seg4j train
 * --resume} runs in a child JVM. A file-size limit ({@code ulimit -f}) makes the kernel refuse the
 * write the way a full disk does: the run stops with a message naming the file and the way on,
 * every file saved before is byte-for-byte intact, no temp file is left, and the run resumes.
 */
class CheckpointWriteFailureTest {
  @TempDir Path tmp;

  @Test
  void aFailedSaveKeepsThePreviousCheckpointAndTheRunResumes() throws Exception {
    assumeTrue(ChildJvm.ulimitAvailable(), "needs Linux and /bin/bash for ulimit");
    Path data = tmp.resolve("data");
    new SyntheticShapes(48, false, 7).write(data, 12);
    TrainConfig cfg = TinyRuns.config(data, "0..7", "8..11", 1).set("threads", "1");
    Path run = tmp.resolve("runs/full");
    try (Trainer t = Trainer.start(cfg, run, TinyRuns.quiet())) {
      t.fit();
    }
    // ask for two more epochs, then resume under a file-size limit below a checkpoint's size
    Path config = run.resolve("config.yml");
    Files.writeString(
        config, Files.readString(config).replace("\n  epochs: 1\n", "\n  epochs: 3\n"));
    Map<Path, byte[]> before = contents(run.resolve("checkpoints"));
    long checkpointBytes = Files.size(run.resolve("checkpoints/last.safetensors"));

    ChildJvm.Result child =
        ChildJvm.seg4j(
            tmp, checkpointBytes / 4, "train", "--resume", run.toString(), "--no-progress");
    String log = child.all();

    assertThat(child.code()).as(log).isNotZero();
    assertThat(log)
        .contains("epoch 2 trained, but saving it failed")
        .contains("could not write " + run.resolve("checkpoints/last.safetensors"))
        .contains("resume file holds epoch 1")
        .contains("seg4j train --resume " + run)
        .doesNotContain("\tat org.seg4j");
    Map<Path, byte[]> after = contents(run.resolve("checkpoints"));
    assertThat(after.keySet()).isEqualTo(before.keySet());
    before.forEach((f, bytes) -> assertThat(after.get(f)).as(f.toString()).isEqualTo(bytes));
    assertThat(Files.readAllLines(run.resolve("log.csv"))).hasSize(2);

    // with space again the run continues from epoch 2 and finishes
    Trainer.Result r;
    try (Trainer t = Trainer.resume(run, TinyRuns.quiet())) {
      r = t.fit();
    }
    assertThat(r.epochs()).isEqualTo(3);
    assertThat(Files.readAllLines(run.resolve("log.csv"))).hasSize(4);
  }

  private static Map<Path, byte[]> contents(Path dir) throws Exception {
    Map<Path, byte[]> m = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(dir).sorted()) {
      for (Path f : (Iterable<Path>) files::iterator) {
        m.put(f.getFileName(), Files.readAllBytes(f));
      }
    }
    return m;
  }
}
