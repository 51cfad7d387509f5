package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.data.FileDataset;
import org.seg4j.data.Sample;
import org.seg4j.infer.LoadedModel;
import org.seg4j.infer.TileOptions;
import org.seg4j.metric.ConfusionMatrix;
import org.seg4j.run.TrainConfig;
import org.seg4j.train.DataSetup;
import org.seg4j.train.TinyRuns;

/**
 * {@code seg4j eval} with tiling ({@code --tile/--overlap/--blend}) and flip TTA through the CLI:
 * the report names the inference used, its confusion matrix is the one the Java API's predictions
 * with the same options give, and its mean IoU stays near the whole-image one.
 */
class EvalOptionsTest {
  /**
   * Largest change of the validation mean IoU from the whole-image evaluation allowed for a tiled
   * or flip-averaged one of the tiny U-Net (measured: whole image 1.0, tiles 16 with linear
   * blending 1.0, flip TTA 0.9978).
   */
  static final double NEAR_WHOLE = 0.05;

  @TempDir static Path data;
  @TempDir static Path runs;
  @TempDir Path tmp;
  static Path run;
  static JsonNode whole;

  @BeforeAll
  static void trainAndEvaluateWhole() throws Exception {
    // bright pixels are foreground: a few seconds of training predict both classes (a model stopped
    // halfway, near its threshold everywhere, is not used: flip averaging can tip all of it)
    TinyData.paired(data, 8, 32, 32, 1);
    run = runs.resolve("tiny");
    TinyRuns.train(
        TinyRuns.config(data, "0..5", "6..7", 2)
            .set("data.image_pattern", "p{id}.png")
            .set("data.mask_pattern", "p{id}.png")
            .set("data.samples_per_epoch", "48")
            .set("train.batch", "4"),
        run);
    Path out = runs.resolve("whole");
    CliRun r = CliRun.ok(evalArgs(out));
    whole = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertThat(whole.get("inference").asText()).isEqualTo("whole image");
    assertThat(r.out()).contains("mean").contains("IoU");
  }

  static String[] evalArgs(Path out, String... extra) {
    List<String> a = new ArrayList<>(List.of("--device", "cpu"));
    a.addAll(List.of(extra));
    return TinyData.evalArgs(run, out, a.toArray(String[]::new));
  }

  /** Evaluates with {@code extra} and checks the report against the API with {@code opts}. */
  private static JsonNode evalMatchesTheApi(Path out, TileOptions opts, String... extra)
      throws Exception {
    CliRun r = CliRun.ok(evalArgs(out, extra));
    JsonNode json = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    ConfusionMatrix cm = new ConfusionMatrix(2, 255);
    FileDataset val = DataSetup.open(TrainConfig.load(run.resolve("config.yml")), "val", true);
    try (LoadedModel seg = LoadedModel.fromRun(run, null, "cpu", opts)) {
      for (int i = 0; i < val.size(); i++) {
        Sample s = val.get(i);
        cm.add(seg.predict(s).mask(), s.mask());
      }
    }
    for (int t = 0; t < 2; t++) {
      for (int p = 0; p < 2; p++) {
        assertThat(json.get("confusion").get(t).get(p).asLong())
            .as("confusion[%d][%d] with %s", t, p, String.join(" ", extra))
            .isEqualTo(cm.get(t, p));
      }
    }
    double miou = json.get("mean_iou").asDouble();
    assertThat(r.out()).as("the printed table").contains(String.format(Locale.ROOT, "%.4f", miou));
    assertThat(miou)
        .as("mean IoU with %s vs whole image", String.join(" ", extra))
        .isCloseTo(whole.get("mean_iou").asDouble(), within(NEAR_WHOLE));
    return json;
  }

  @Test
  void tiledEvaluationScoresTheTiledPredictions() throws Exception {
    JsonNode j =
        evalMatchesTheApi(
            tmp.resolve("linear"),
            new TileOptions(16, 0.5, TileOptions.Blend.LINEAR, false, 2),
            "--tile",
            "16",
            "--overlap",
            "0.5",
            "--blend",
            "linear");
    assertThat(j.get("inference").asText()).isEqualTo("tiles 16, overlap 0.50, linear blending");
  }

  @Test
  void flipTtaScoresTheFlipAveragedPredictions() throws Exception {
    JsonNode j =
        evalMatchesTheApi(tmp.resolve("tta"), TileOptions.whole().withFlipTta(true), "--flip-tta");
    assertThat(j.get("inference").asText()).isEqualTo("whole image, flip TTA");
  }
}
