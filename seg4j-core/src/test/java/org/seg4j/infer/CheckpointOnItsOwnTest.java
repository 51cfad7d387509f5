package org.seg4j.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.augment.Interpolation;
import org.seg4j.augment.Normalize;
import org.seg4j.data.SyntheticShapes;
import org.seg4j.io.ImageIo;
import org.seg4j.io.RawImage;
import org.seg4j.io.SafeTensors;
import org.seg4j.io.WeightsFileException;
import org.seg4j.run.InferenceSpec;
import org.seg4j.run.TrainConfig;
import org.seg4j.train.TinyRuns;

/**
 * A checkpoint carries everything inference needs (class names, normalisation, input resize,
 * threshold), so it loads on its own, without the run folder or its training recipe; and a run
 * folder written by seg4j 0.1 before checkpoints recorded that (committed under {@code
 * legacy/seg4j-0.1/}) still loads and predicts what seg4j 0.1 predicted, pixel for pixel.
 */
class CheckpointOnItsOwnTest {
  @TempDir Path tmp;

  @Test
  void aCheckpointCopiedOutOfItsRunPredictsAsTheRunDoes() throws Exception {
    Path data = tmp.resolve("data");
    new SyntheticShapes(32, false, 5).write(data, 8);
    TrainConfig cfg =
        TinyRuns.config(data, "0..5", "6..7", 1)
            .set("augment", "[{type: resize, height: 24, width: 20}]")
            .set("normalize", "{mean: [0.4], std: [0.3]}");
    Path run = tmp.resolve("run");
    TinyRuns.train(cfg, run);
    Path alone = Files.copy(run.resolve("checkpoints/best.safetensors"), tmp.resolve("m.st"));

    Map<String, String> meta = SafeTensors.readMetadata(alone);
    assertThat(meta).containsKeys(InferenceSpec.KEY, InferenceSpec.CLASS_NAMES);
    InferenceSpec spec = InferenceSpec.read(alone, meta, null);
    assertThat(spec.normalize()).isEqualTo(new Normalize(new float[] {0.4f}, new float[] {0.3f}));
    assertThat(spec.resize().height()).isEqualTo(24);
    assertThat(spec.resize().width()).isEqualTo(20);
    assertThat(spec.resize().interpolation()).isEqualTo(Interpolation.BILINEAR);
    assertThat(spec.threshold()).isEqualTo(0.5);
    assertThat(spec).isEqualTo(InferenceSpec.of(cfg, spec.classNames()));

    Path image = data.resolve("images/synth_0006.png");
    try (LoadedModel fromRun = LoadedModel.fromRun(run);
        LoadedModel fromFile = LoadedModel.fromCheckpoint(alone, "cpu", TileOptions.whole())) {
      assertThat(fromFile.trainedResize())
          .isEqualTo(new InputResize(24, 20, false, 0f, Interpolation.BILINEAR));
      assertThat(fromFile.classNames()).isEqualTo(fromRun.classNames());
      PredictionMaps a = fromRun.predict(image);
      PredictionMaps b = fromFile.predict(image);
      assertThat(b.mask()).isEqualTo(a.mask());
      assertThat(b.probabilities()).isEqualTo(a.probabilities());
    }
  }

  @Test
  void aRunFromSeg4j01StillPredictsWhatItPredicted() throws Exception {
    // trained and predicted by seg4j 0.1 (c85c77f): resize 40x48 and normalize 0.5/0.25 in its
    // config.yml only, class names in the checkpoint
    Path run = copyOldRun();
    Path image = resource("legacy/seg4j-0.1/cells.png", tmp.resolve("cells.png"));
    try (LoadedModel seg = LoadedModel.fromRun(run)) {
      assertThat(seg.trainedResize())
          .isEqualTo(new InputResize(40, 48, false, 0f, Interpolation.BILINEAR));
      assertThat(seg.classNames()).containsExactly("0", "1");
      PredictionMaps p = seg.predict(image);
      assertSame(Outputs.indexMask(p), "cells_mask.png");
      assertSame(Outputs.probability(p, 1), "cells_prob_1.png");
    }
  }

  @Test
  void anOldCheckpointWithoutItsRunSaysWhatItLacks() throws Exception {
    Path run = copyOldRun();
    Path alone = Files.copy(run.resolve("checkpoints/best.safetensors"), tmp.resolve("old.st"));
    assertThatThrownBy(() -> LoadedModel.fromCheckpoint(alone, "cpu", TileOptions.whole()))
        .isInstanceOf(WeightsFileException.class)
        .hasMessageContaining(alone.toString())
        .hasMessageContaining("no inference settings")
        .hasMessageContaining("run folder");
  }

  private Path copyOldRun() throws IOException {
    Path run = tmp.resolve("old-run");
    for (String f : List.of("config.yml", "log.csv", "checkpoints/best.safetensors")) {
      resource("legacy/seg4j-0.1/run/" + f, run.resolve(f));
    }
    return run;
  }

  private static Path resource(String name, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    try (InputStream in = CheckpointOnItsOwnTest.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      Files.copy(in, to);
    }
    return to;
  }

  private void assertSame(RawImage got, String expected) throws IOException {
    RawImage want = ImageIo.read(resource("legacy/seg4j-0.1/" + expected, tmp.resolve(expected)));
    assertThat(got.width()).isEqualTo(want.width());
    assertThat(got.height()).isEqualTo(want.height());
    assertThat(got.data()).as(expected).isEqualTo(want.data());
  }
}
