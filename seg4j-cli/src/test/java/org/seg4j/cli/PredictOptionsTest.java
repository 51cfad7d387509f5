package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.infer.LoadedModel;
import org.seg4j.infer.PredictionMaps;
import org.seg4j.infer.TileOptions;
import org.seg4j.io.ImageIo;
import org.seg4j.testutil.Golden;

/**
 * {@code seg4j predict}'s model and inference options through the CLI, each written mask and
 * probability map compared pixel for pixel with the Java API's prediction for the same image and
 * options: {@code --tile/--overlap/--blend} (each blend), {@code --checkpoint}, {@code
 * --prune-level} and {@code --torchscript}.
 */
class PredictOptionsTest {
  /**
   * Largest difference, in 8-bit probability steps (1/255), between a tiled and a whole-image
   * probability map of the tiny U-Net: tiles see zero padding where the whole image has neighbours,
   * so their borders differ a little.
   */
  static final int TILED_VS_WHOLE = 40;

  static final List<String> NAMES = List.of("background", "disc");

  @TempDir static Path dir;
  static Path data;
  static Path run;
  static Path deep;
  static Path image;

  @BeforeAll
  static void train() throws Exception {
    data = TinyData.paired(dir.resolve("data"), 8, 32, 32, 1);
    Files.write(data.resolve("classes.txt"), NAMES);
    Path runs = dir.resolve("runs");
    CliRun.ok(trainArgs(runs, "r", "--epochs", "2", "--set", "model.options={depth: 2}"));
    run = runs.resolve("r");
    CliRun.ok(
        trainArgs(
            runs,
            "deep",
            "--epochs",
            "1",
            "--arch",
            "nested-unet",
            "--set",
            "model.options={deep_supervision: true}",
            "--set",
            "data.samples_per_epoch=8"));
    deep = runs.resolve("deep");
    image = stripes(dir.resolve("in/img.png"), 32, 24);
  }

  /** A quick training run on {@link #data} at lr 0.01 that keeps every epoch's checkpoint. */
  static String[] trainArgs(Path runs, String name, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "--lr",
                "0.01",
                "--set",
                "data.samples_per_epoch=32",
                "--set",
                "train.save_every=1"));
    a.addAll(List.of(extra));
    return TinyData.quickTrainArgs(data, runs, name, a.toArray(String[]::new));
  }

  /** A grey image in the pattern of {@link TinyData#paired}: bright diagonal bands on dark. */
  static Path stripes(Path file, int w, int h) throws Exception {
    int[] grey = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        grey[y * w + x] = (x + y) % 3 == 0 ? 40 : 200;
      }
    }
    ImageIo.writeGrey8(file, w, h, grey);
    return file;
  }

  static CliRun predict(String source, Path model, Path out, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "predict",
                source,
                model.toString(),
                "--input",
                image.toString(),
                "--output",
                out.toString(),
                "--save",
                "mask,prob"));
    a.addAll(List.of(extra));
    return CliRun.ok(a.toArray(String[]::new));
  }

  @Test
  void eachBlendTilesAsTheApiDoesAndStaysNearTheWholeImage() throws Exception {
    Path whole = dir.resolve("whole");
    predict("--run", run, whole);
    ApiPredictions.sameMask(whole.resolve("img_mask.png"), ApiPredictions.ofRun(run, image));
    try (LoadedModel seg = LoadedModel.fromRun(run, null, "cpu", TileOptions.sliding(16, 0.5))) {
      assertThat(seg.tiles(24, 32)).as("tiles of 16 with overlap 0.5 on 32x24").isGreaterThan(4);
    }
    int differs = 0;
    for (TileOptions.Blend blend : TileOptions.Blend.values()) {
      String name = blend.name().toLowerCase(Locale.ROOT);
      Path out = dir.resolve("tiled-" + name);
      predict("--run", run, out, "--tile", "16", "--overlap", "0.5", "--blend", name);
      PredictionMaps p =
          ApiPredictions.ofRun(run, null, new TileOptions(16, 0.5, blend, false, 2), null, image);
      ApiPredictions.sameMask(out.resolve("img_mask.png"), p);
      ApiPredictions.sameProbabilities(out, "img", NAMES, p);
      int diff =
          ApiPredictions.maxDiff(
              out.resolve("img_prob_disc.png"), whole.resolve("img_prob_disc.png"));
      assertThat(diff)
          .as("%s blending: tiled vs whole image, 1/255 steps", name)
          .isLessThanOrEqualTo(TILED_VS_WHOLE);
      differs += diff > 0 ? 1 : 0;
    }
    assertThat(differs).as("tiling changes the probabilities at the tile borders").isPositive();
  }

  @Test
  void checkpointPredictsWithTheNamedCheckpoint() throws Exception {
    Path ckpts = run.resolve("checkpoints");
    Path first = ckpts.resolve("epoch_001.safetensors");
    Path last = ckpts.resolve("last.safetensors");
    assertThat(first).exists();
    for (Path c : List.of(first, last)) {
      Path out = dir.resolve("ckpt-" + c.getFileName());
      predict("--run", run, out, "--checkpoint", c.toString());
      PredictionMaps p = ApiPredictions.ofRun(run, c, TileOptions.whole(), null, image);
      ApiPredictions.sameMask(out.resolve("img_mask.png"), p);
      ApiPredictions.sameProbabilities(out, "img", NAMES, p);
    }
    assertThat(
            ApiPredictions.maxDiff(
                dir.resolve("ckpt-epoch_001.safetensors/img_prob_disc.png"),
                dir.resolve("ckpt-last.safetensors/img_prob_disc.png")))
        .as("epoch 1 and epoch 2 weights predict differently")
        .isPositive();
  }

  @Test
  void pruneLevelsPredictWithTheirOwnHeadAndLevelFourIsTheFullNetwork() throws Exception {
    Path full = dir.resolve("prune-full");
    predict("--run", deep, full);
    ApiPredictions.sameProbabilities(full, "img", NAMES, ApiPredictions.ofRun(deep, image));
    int otherMasks = 0;
    for (int level = 1; level <= 4; level++) {
      Path out = dir.resolve("prune-" + level);
      predict("--run", deep, out, "--prune-level", Integer.toString(level));
      PredictionMaps p = ApiPredictions.ofRun(deep, null, TileOptions.whole(), level, image);
      ApiPredictions.sameMask(out.resolve("img_mask.png"), p);
      ApiPredictions.sameProbabilities(out, "img", NAMES, p);
      int diff =
          ApiPredictions.maxDiff(
              out.resolve("img_prob_disc.png"), full.resolve("img_prob_disc.png"));
      if (level == 4) {
        assertThat(diff).as("level 4 is the default").isZero();
        assertThat(Files.readAllBytes(out.resolve("img_mask.png")))
            .isEqualTo(Files.readAllBytes(full.resolve("img_mask.png")));
      } else {
        assertThat(diff).as("level %d's head differs from level 4's", level).isPositive();
        otherMasks +=
            Arrays.equals(
                    Files.readAllBytes(out.resolve("img_mask.png")),
                    Files.readAllBytes(full.resolve("img_mask.png")))
                ? 0
                : 1;
      }
    }
    assertThat(otherMasks).as("levels 1-3 whose mask differs from level 4's").isPositive();
  }

  @Test
  void torchScriptPredictsWhatTheApiPredictsWithTheSameModel() throws Exception {
    Path pt = Golden.path("golden/torchscript/tiny_unet.pt");
    for (String tile : List.of("0", "32")) {
      Path out = dir.resolve("ts-" + tile);
      predict(
          "--torchscript",
          pt,
          out,
          "--classes",
          "2",
          "--in-channels",
          "1",
          "--side-multiple",
          "16",
          "--tile",
          tile);
      PredictionMaps p;
      try (LoadedModel seg =
          LoadedModel.fromTorchScript(
              pt,
              2,
              1,
              16,
              null,
              "cpu",
              new TileOptions(
                  Integer.parseInt(tile), 0.25, TileOptions.Blend.GAUSSIAN, false, 2))) {
        p = seg.predict(image);
      }
      ApiPredictions.sameMask(out.resolve("img_mask.png"), p);
      ApiPredictions.sameProbabilities(out, "img", List.of("class0", "class1"), p);
    }
  }
}
