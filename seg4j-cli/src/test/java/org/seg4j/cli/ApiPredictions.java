package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.seg4j.infer.LoadedModel;
import org.seg4j.infer.Outputs;
import org.seg4j.infer.PredictionMaps;
import org.seg4j.infer.TileOptions;
import org.seg4j.io.ImageIo;
import org.seg4j.io.RawImage;

/**
 * What the Java API ({@link LoadedModel}) predicts for an image, to compare the files the CLI wrote
 * with, pixel for pixel.
 */
final class ApiPredictions {
  private ApiPredictions() {}

  /**
   * The prediction of {@code image} by a run's {@code checkpoint} (null: best, else last) with
   * {@code options} and, for a U-Net++, {@code pruneLevel} (null: the full network).
   */
  static PredictionMaps ofRun(
      Path run, Path checkpoint, TileOptions options, Integer pruneLevel, Path image)
      throws IOException {
    try (LoadedModel seg = LoadedModel.fromRun(run, checkpoint, "cpu", options)) {
      if (pruneLevel != null) {
        seg.setPruneLevel(pruneLevel);
      }
      return seg.predict(image);
    }
  }

  /** The prediction of {@code image} by a run's best (else last) checkpoint, whole image. */
  static PredictionMaps ofRun(Path run, Path image) throws IOException {
    return ofRun(run, null, TileOptions.whole(), null, image);
  }

  /** Asserts that {@code file} holds exactly {@code want}'s pixels. */
  static void same(Path file, RawImage want) throws IOException {
    RawImage got = ImageIo.read(file);
    assertThat(got.width()).as(file.toString()).isEqualTo(want.width());
    assertThat(got.height()).as(file.toString()).isEqualTo(want.height());
    assertThat(got.channels()).as(file.toString()).isEqualTo(want.channels());
    assertThat(got.data()).as("pixels of %s", file).isEqualTo(want.data());
  }

  /** Asserts that {@code file}, a written {@code <id>_mask.png}, is {@code p}'s class mask. */
  static void sameMask(Path file, PredictionMaps p) throws IOException {
    same(file, Outputs.indexMask(p));
  }

  /**
   * Asserts that the {@code <id>_prob_<class>.png} files in {@code dir} are {@code p}'s
   * probabilities, one per class of {@code names}.
   */
  static void sameProbabilities(Path dir, String id, List<String> names, PredictionMaps p)
      throws IOException {
    for (int k = 0; k < p.classes(); k++) {
      same(dir.resolve(id + "_prob_" + names.get(k) + ".png"), Outputs.probability(p, k));
    }
  }

  /** The largest difference between two 8-bit grey images of the same size, pixel by pixel. */
  static int maxDiff(Path a, Path b) throws IOException {
    int[] x = ImageIo.read(a).data();
    int[] y = ImageIo.read(b).data();
    assertThat(x).as("%s and %s differ in size", a, b).hasSameSizeAs(y);
    int max = 0;
    for (int i = 0; i < x.length; i++) {
      max = Math.max(max, Math.abs(x[i] - y[i]));
    }
    return max;
  }
}
