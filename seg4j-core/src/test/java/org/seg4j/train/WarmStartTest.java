package org.seg4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.data.SyntheticShapes;
import org.seg4j.io.SafeTensors;
import org.seg4j.io.SafeTensors.Tensor;
import org.seg4j.io.WeightsFiles;
import org.seg4j.nn.StateDicts;
import org.seg4j.run.TrainConfig;
import org.seg4j.testutil.Golden;

/**
 * {@code model.init_from} before the first step: the model holds the source's tensors bit for bit,
 * batch-norm statistics and counters included, from a plain state_dict or a training-state file;
 * and a run resumed before its first epoch was saved starts from them again.
 */
class WarmStartTest {
  @TempDir static Path dir;
  static Path data;
  static Path source;

  @BeforeAll
  static void trainTheSource() throws Exception {
    data = dir.resolve("data");
    new SyntheticShapes(32, false, 1).write(data, 16);
    source = dir.resolve("source");
    TinyRuns.train(TinyRuns.config(data, "0..11", "12..15", 1), source);
  }

  static TrainConfig from(Path file) {
    return TinyRuns.config(data, "0..11", "12..15", 1).set("model.init_from", file.toString());
  }

  static void assertHolds(Trainer t, Map<String, Tensor> want) {
    Map<String, Tensor> got = StateDicts.export(t.model());
    assertThat(got.keySet()).isEqualTo(want.keySet());
    want.forEach((k, v) -> assertThat(got.get(k).data()).as(k).isEqualTo(v.data()));
  }

  @Test
  void aStateDictOrATrainingStateGivesTheSourcesTensorsBeforeTraining() throws Exception {
    Map<String, Tensor> want =
        SafeTensors.read(source.resolve("checkpoints/last.safetensors")).tensors();
    Path plain = dir.resolve("plain.safetensors");
    SafeTensors.write(plain, want, Map.of());
    assertThat(want).containsKey("down.0.1.num_batches_tracked");
    try (Trainer t = Trainer.start(from(plain), dir.resolve("from-plain"), TinyRuns.quiet())) {
      assertHolds(t, want);
    }
    Path state = source.resolve("checkpoints/last.train.safetensors");
    try (Trainer t = Trainer.start(from(state), dir.resolve("from-state"), TinyRuns.quiet())) {
      assertHolds(t, want);
    }
  }

  @Test
  void aPthStateDictIsReadByContent() throws Exception {
    // a torch.save'd state_dict with seg4j's names, wrapped as {"model": ...}; any file name
    Path pth = dir.resolve("weights.bin");
    Files.copy(Golden.path("golden/imports/seg4j_unet.pth"), pth);
    Map<String, Tensor> want = WeightsFiles.read(pth).tensors();
    assertThat(want).containsKey("down.0.1.num_batches_tracked");
    try (Trainer t = Trainer.start(from(pth), dir.resolve("from-pth"), TinyRuns.quiet())) {
      assertHolds(t, want);
    }
  }

  @Test
  void aRunResumedBeforeItsFirstEpochWasSavedStartsFromTheSourceAgain() throws Exception {
    Map<String, Tensor> want =
        SafeTensors.read(source.resolve("checkpoints/last.safetensors")).tensors();
    Path run = dir.resolve("killed");
    Trainer.start(from(source), run, TinyRuns.quiet()).close();
    try (Trainer t = Trainer.resume(run, TinyRuns.quiet())) {
      assertHolds(t, want);
    }
  }
}
