package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.data.SyntheticShapes;
import org.seg4j.run.TrainConfig;

/**
 * {@code seg4j train --init-from}: a new run starts from a run folder's or a checkpoint file's
 * weights (strictly, or with {@code --init-partial}), records it in config.yml, and every refusal
 * leaves no run folder behind. The runs here train at lr 0 without batch norm, so their weights
 * after the epoch are the weights they started from.
 */
class WarmStartCommandTest {
  @TempDir static Path dir;
  static Path data;
  static Path runs;
  static Path src;

  @BeforeAll
  static void trainTheSource() throws Exception {
    data = dir.resolve("data");
    runs = dir.resolve("runs");
    new SyntheticShapes(32, false, 3).write(data, 16);
    CliRun.ok(TinyData.trainArgs(data, runs, "src", "--epochs", "2"));
    src = runs.resolve("src");
  }

  static Path ckpt(Path run, String tag) {
    return run.resolve("checkpoints").resolve(tag + ".safetensors");
  }

  @Test
  void aRunFolderOrACheckpointFileGivesTheSourcesWeightsAndPredictions() throws Exception {
    Path best = ckpt(src, Files.exists(ckpt(src, "best")) ? "best" : "last");
    for (String[] c :
        new String[][] {
          {"from-run", src.toString(), best.toString()},
          {"from-file", ckpt(src, "last").toString(), ckpt(src, "last").toString()}
        }) {
      CliRun r =
          CliRun.ok(TinyData.trainArgs(data, runs, c[0], "--init-from", c[1], "--lr", "1e-30"));
      Path run = runs.resolve(c[0]);
      assertThat(r.out())
          .contains("init: loaded all")
          .contains("from " + c[2])
          .contains("seg4j checkpoint of unet, base 4")
          .contains("optimizer state starts fresh");
      // config.yml names the file that was read (a run folder's best checkpoint)
      TrainConfig cfg = TrainConfig.load(run.resolve("config.yml"));
      assertThat(cfg.str("model.init_from")).isEqualTo(c[2]);
      assertThat(cfg.bool("model.init_partial")).isFalse();
      RunFiles.assertSameTensors(Path.of(c[2]), ckpt(run, "last"), k -> true);
      Path out = dir.resolve("pred-" + c[0]);
      Path want = dir.resolve("pred-src-" + c[0]);
      Path img = data.resolve("images/synth_0013.png");
      CliRun mine =
          CliRun.of(
              "predict", "--run", run.toString(), "--input", img.toString(), "--output", "" + out);
      CliRun theirs =
          CliRun.of(
              "predict",
              "--run",
              src.toString(),
              "--checkpoint",
              c[2],
              "--input",
              img.toString(),
              "--output",
              want.toString());
      assertThat(mine.code()).as(mine.all()).isZero();
      assertThat(theirs.code()).as(theirs.all()).isZero();
      assertThat(Files.readAllBytes(out.resolve("synth_0013_mask.png")))
          .isEqualTo(Files.readAllBytes(want.resolve("synth_0013_mask.png")));
    }
  }

  @Test
  void aModelOfAnotherShapeIsRefusedNamingTheKeysAndLeavesNoFolder() {
    CliRun r =
        CliRun.of(
            TinyData.trainArgs(data, runs, "wide", "--init-from", src.toString(), "--base", "8"));
    assertThat(r.code()).as(r.all()).isEqualTo(2);
    assertThat(r.err())
        .contains("does not fit this run's unet, base 8")
        .containsPattern("\\d+ tensors with another shape")
        .contains("down.0.0.weight is [4, 1, 3, 3] in the file, the model needs [8, 1, 3, 3]")
        .containsPattern("\\.\\.\\. and \\d+ more")
        .contains("Build the model as the source was (unet, base 4")
        .contains("--init-partial");
    assertThat(runs.resolve("wide")).doesNotExist();
  }

  @Test
  void partialLoadsWhatFitsAndSaysWhatItSkipped() throws Exception {
    // a 4-class set: the source's 2-class head does not fit, everything else does
    Path four = dir.resolve("four");
    new SyntheticShapes(32, true, 5).write(four, 16);
    Path last = ckpt(src, "last");
    CliRun strict =
        CliRun.of(
            TinyData.trainArgs(
                four, runs, "four-strict", "--classes", "4", "--init-from", last.toString()));
    assertThat(strict.code()).as(strict.all()).isEqualTo(2);
    assertThat(strict.err())
        .contains("head.weight is [2, 4, 1, 1] in the file, the model needs [4, 4, 1, 1]");
    assertThat(runs.resolve("four-strict")).doesNotExist();

    CliRun r =
        CliRun.ok(
            TinyData.trainArgs(
                four,
                runs,
                "four",
                "--classes",
                "4",
                "--init-from",
                last.toString(),
                "--init-partial",
                "--lr",
                "1e-30"));
    assertThat(r.out())
        .containsPattern("init: loaded (\\d+) of (\\d+) tensors from " + last)
        .contains("with --init-partial; skipped:")
        .contains("2 tensors with another shape")
        .contains("head.weight is [2, 4, 1, 1] in the file, the model needs [4, 4, 1, 1]")
        .contains("head.bias is [2] in the file, the model needs [4]");
    Path run = runs.resolve("four");
    assertThat(TrainConfig.load(run.resolve("config.yml")).bool("model.init_partial")).isTrue();
    RunFiles.assertSameTensors(last, ckpt(run, "last"), k -> !k.startsWith("head."));
  }

  @Test
  void aMissingFileOrARunWithoutCheckpointsIsNamed() throws Exception {
    Path nope = dir.resolve("nope.safetensors");
    CliRun r = CliRun.of(TinyData.trainArgs(data, runs, "nope", "--init-from", nope.toString()));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(nope.toAbsolutePath().toString()).contains("does not exist");
    assertThat(runs.resolve("nope")).doesNotExist();
    Path empty = Files.createDirectories(dir.resolve("not-a-run"));
    CliRun e = CliRun.of(TinyData.trainArgs(data, runs, "empty", "--init-from", empty.toString()));
    assertThat(e.err()).contains("not a seg4j run folder");
    assertThat(runs.resolve("empty")).doesNotExist();
    CliRun p = CliRun.of(TinyData.trainArgs(data, runs, "lonely", "--init-partial"));
    assertThat(p.err()).contains("'model.init_partial' is true but model.init_from is not set");
    assertThat(runs.resolve("lonely")).doesNotExist();
  }
}
