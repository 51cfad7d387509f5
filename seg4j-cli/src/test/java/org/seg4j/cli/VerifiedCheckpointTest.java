package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.io.SafeTensors;

/**
 * Issue 9 item 5: checkpoints are verified. A tiny trained run's {@code best.safetensors} with 64
 * bytes flipped inside its tensor data fails {@code eval}, {@code predict}, {@code train --resume}
 * and {@code train --init-from} with one line naming the file and another checkpoint of the run;
 * the same file unflipped, or without checksums (as PyTorch or an older seg4j wrote it), loads. A
 * truncated file or a garbage header gives one line too, and so do a damaged resume file and a
 * damaged {@code log.csv} on resume (item 13).
 */
class VerifiedCheckpointTest {
  @TempDir static Path dir;
  static Path data;
  static Path runs;
  static Path run;

  @BeforeAll
  static void train() throws Exception {
    data = TinyData.synthetic(dir.resolve("data"), 16);
    runs = dir.resolve("runs");
    run = TinyData.train(data, runs, "good", "--epochs", "2", "--set", "train.save_every=1");
  }

  static Path ckpt(String name) {
    return run.resolve("checkpoints").resolve(name);
  }

  static CliRun eval(Path out) {
    return CliRun.of(TinyData.evalArgs(run, out, "--device", "cpu"));
  }

  static CliRun predict(Path out) {
    return CliRun.of(TinyData.predictArgs(run, data.resolve("images/synth_0012.png"), out));
  }

  /** A test body given a file's original bytes. */
  interface WithBytes {
    void run(byte[] good) throws Exception;
  }

  /** Runs {@code body} with {@code file}'s bytes, then puts them back, whatever it wrote there. */
  static void restoring(Path file, WithBytes body) throws Exception {
    byte[] good = Files.readAllBytes(file);
    try {
      body.run(good);
    } finally {
      Files.write(file, good);
    }
  }

  /** The offset of the tensor data: after the 8-byte length and the JSON header. */
  static int dataStart(byte[] file) {
    return 8 + (int) ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  /** {@code file} with 64 bytes inverted in the middle of its tensor data. */
  static byte[] flipped(byte[] file) {
    byte[] b = file.clone();
    int start = dataStart(b) + (b.length - dataStart(b)) / 2;
    for (int i = start; i < start + 64; i++) {
      b[i] = (byte) ~b[i];
    }
    return b;
  }

  /** {@code file} rewritten without the checksum entry, as an older seg4j wrote it. */
  static byte[] withoutChecksums(byte[] file) throws Exception {
    ObjectMapper json = new ObjectMapper();
    int start = dataStart(file);
    ObjectNode header =
        (ObjectNode) json.readTree(new String(file, 8, start - 8, StandardCharsets.UTF_8));
    ((ObjectNode) header.get("__metadata__")).remove(SafeTensors.CHECKSUMS);
    byte[] h = json.writeValueAsBytes(header);
    ByteBuffer out = ByteBuffer.allocate(8 + h.length + file.length - start);
    out.order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h);
    out.put(file, start, file.length - start);
    return out.array();
  }

  @Test
  void flippedBytesInBestFailEveryCommandThatLoadsItWithOneLine() throws Exception {
    Path best = ckpt("best.safetensors");
    assertThat(SafeTensors.readMetadata(best)).doesNotContainKey(SafeTensors.CHECKSUMS);
    restoring(
        best,
        good -> {
          Files.write(best, flipped(good));
          List<CliRun> runsOfIt =
              List.of(
                  eval(dir.resolve("eval-flipped")),
                  predict(dir.resolve("predict-flipped")),
                  CliRun.of("train", "--resume", run.toString(), "--no-progress"),
                  CliRun.of(
                      TinyData.trainArgs(data, runs, "warm", "--init-from", best.toString())));
          for (CliRun r : runsOfIt) {
            Hostile.oneLineError(r, best.toString(), "is damaged: tensor '", "last.safetensors");
          }
          assertThat(runsOfIt.get(0).err()).contains("epoch_002.safetensors");
          assertThat(runsOfIt.get(2).err()).contains("the run cannot resume with it");
          assertThat(runs.resolve("warm")).doesNotExist();
        });
    assertThat(eval(dir.resolve("eval-good")).code()).isZero();
    assertThat(predict(dir.resolve("predict-good")).code()).isZero();
  }

  @Test
  void aCheckpointWithoutChecksumsStillLoads() throws Exception {
    Path best = ckpt("best.safetensors");
    restoring(
        best,
        good -> {
          Files.write(best, withoutChecksums(good));
          CliRun r = eval(dir.resolve("eval-old"));
          assertThat(r.code()).as(r.all()).isZero();
          // unverified: nothing can tell a flipped file without checksums from a good one
          Files.write(best, flipped(withoutChecksums(good)));
          assertThat(predict(dir.resolve("predict-old")).code()).isZero();
        });
  }

  @Test
  void aTruncatedFileOrAGarbageHeaderIsOneLine() throws Exception {
    Path best = ckpt("best.safetensors");
    byte[] good = Files.readAllBytes(best);
    int start = dataStart(good);
    byte[] garbage = good.clone();
    Arrays.fill(garbage, 8, start, (byte) '#');
    byte[] longHeader = good.clone();
    ByteBuffer.wrap(longHeader).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
    List<byte[]> cases =
        List.of(
            Arrays.copyOf(good, 5),
            Arrays.copyOf(good, start / 2),
            Arrays.copyOf(good, start + 100),
            garbage,
            longHeader,
            new byte[0]);
    restoring(
        best,
        unused -> {
          for (byte[] c : cases) {
            Files.write(best, c);
            Hostile.oneLineError(
                eval(dir.resolve("eval-cut")), best.toString(), "or use another checkpoint: ");
          }
        });
  }

  @Test
  void aDamagedResumeFileSuggestsAFreshRunFromACheckpoint() throws Exception {
    Path state = ckpt("last.train.safetensors");
    restoring(
        state,
        good -> {
          Files.write(state, flipped(good));
          CliRun r = CliRun.of("train", "--resume", run.toString(), "--no-progress");
          Hostile.oneLineError(r, state.toString(), "--init-from", "last.safetensors");
        });
  }

  @Test
  void aDamagedLogOnResumeNamesTheFile() throws Exception {
    Path log = run.resolve("log.csv");
    String good = Files.readString(log);
    List<String> cases =
        List.of(
            good.replaceFirst("\n2,", "\nxx,"),
            good.replace("epoch,", "epoch;"),
            good + "3,0.1\n",
            "\u0000\u00ff\u00fe garbage");
    try {
      for (String c : cases) {
        Files.write(log, c.getBytes(StandardCharsets.ISO_8859_1));
        CliRun r = CliRun.of("train", "--resume", run.toString(), "--no-progress");
        Hostile.oneLineError(r, log.toString(), "the log is damaged", "move it away");
      }
    } finally {
      Files.writeString(log, good);
    }
  }
}
