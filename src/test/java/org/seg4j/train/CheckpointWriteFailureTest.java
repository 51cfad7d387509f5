package org.seg4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.data.SyntheticShapes;

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
    assumeTrue(
        System.getProperty("os.name").startsWith("Linux") && Files.isExecutable(Path.of("/bin/sh")),
        "needs Linux and /bin/sh for ulimit");
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
    long limitBlocks = checkpointBytes / 1024 / 2;

    List<String> cmd = new ArrayList<>();
    cmd.add("/bin/sh");
    cmd.add("-c");
    cmd.add("ulimit -f " + limitBlocks + " && exec \"$@\"");
    cmd.add("sh");
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:-UsePerfData");
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-DOPT_OUT_TRACKING=true");
    // JNA unpacks its native part at start; under the file-size limit it could not, so unpack it
    // here first (a real full disk makes seg4j say it cannot check the conv kernels instead)
    cmd.add("-Djna.boot.library.path=" + jnaDispatch(tmp.resolve("jna")));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.seg4j.cli.Seg4j");
    cmd.add("train");
    cmd.add("--resume");
    cmd.add(run.toString());
    cmd.add("--no-progress");
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("child.log").toFile())
            .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child run finished").isTrue();
    String log = Files.readString(tmp.resolve("child.log"));

    assertThat(p.exitValue()).as(log).isNotZero();
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

  private static Path jnaDispatch(Path dir) throws Exception {
    Files.createDirectories(dir);
    String resource = "/com/sun/jna/" + com.sun.jna.Platform.RESOURCE_PREFIX + "/libjnidispatch.so";
    try (var in = CheckpointWriteFailureTest.class.getResourceAsStream(resource)) {
      Files.copy(in, dir.resolve("libjnidispatch.so"));
    }
    return dir;
  }
}
