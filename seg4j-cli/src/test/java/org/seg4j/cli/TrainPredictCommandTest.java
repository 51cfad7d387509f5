package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.data.SyntheticShapes;
import org.seg4j.infer.PredictionMaps;
import org.seg4j.infer.TileOptions;
import org.seg4j.io.ImageIo;
import org.seg4j.io.RawImage;

/**
 * {@code seg4j train} and {@code seg4j predict} as a user runs them: the run folder's contents,
 * config errors naming the key, and predict's outputs and bad inputs.
 */
class TrainPredictCommandTest {
  @TempDir static Path dir;
  static Path data;
  static Path runs;
  static CliRun trained;

  /** {@link TinyData#trainArgs} for 2 epochs of a depth-2 U-Net with batch norm. */
  static String[] trainArgs(String name, String... extra) {
    List<String> a = new ArrayList<>(List.of("--epochs", "2", "--set", "model.options={depth: 2}"));
    a.addAll(List.of(extra));
    return TinyData.trainArgs(data, runs, name, a.toArray(String[]::new));
  }

  @BeforeAll
  static void train() throws Exception {
    data = dir.resolve("data");
    runs = dir.resolve("runs");
    new SyntheticShapes(32, false, 3).write(data, 16);
    trained = CliRun.of(trainArgs("r1"));
  }

  @Test
  void trainWritesTheRunFolder() throws Exception {
    assertThat(trained.code()).as(trained.all()).isZero();
    Path run = runs.resolve("r1");
    assertThat(run.resolve("config.yml")).exists();
    assertThat(Files.readString(run.resolve("config.yml")))
        .contains("base: 4")
        .contains("epochs: 2")
        .contains("root: \"" + data);
    List<String> log = Files.readAllLines(run.resolve("log.csv"));
    assertThat(log).hasSize(3);
    assertThat(log.get(0)).startsWith("epoch,lr,train_loss,val_loss,val_miou");
    for (String f : List.of("last.safetensors", "best.safetensors", "last.train.safetensors")) {
      assertThat(run.resolve("checkpoints").resolve(f)).exists();
    }
    assertThat(trained.out()).contains("epoch 2:").contains("done: best val mIoU");
  }

  @Test
  void unknownConfigKeysAndBadValuesAreNamed() throws Exception {
    Path cfg = dir.resolve("bad.yml");
    Files.writeString(cfg, "train:\n  epoch: 3\n");
    CliRun r = CliRun.of("train", "--config", cfg.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("unknown key 'train.epoch'").contains("epochs");
    CliRun s = CliRun.of(trainArgs("r2", "--set", "optimizer.nam=sgd"));
    assertThat(s.err()).contains("unknown config key 'optimizer.nam'");
    CliRun v = CliRun.of(trainArgs("r3", "--set", "train.epochs=many"));
    assertThat(v.code()).isEqualTo(2);
    assertThat(v.err()).contains("train.epochs wants a whole number").contains("'many'");
    CliRun o = CliRun.of(trainArgs("r4", "--optimizer", "lion"));
    assertThat(o.err()).contains("'optimizer.name' = 'lion'").contains("adam, adamw or sgd");
  }

  @Test
  void trainingOverAnExistingRunIsRefusedAndResumeFinishes() {
    CliRun again = CliRun.of(trainArgs("r1"));
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err()).contains("already holds a run");
    CliRun resumed = CliRun.ok("train", "--resume", runs.resolve("r1").toString());
    assertThat(resumed.out()).contains("2 epochs from epoch 3");
  }

  @Test
  void predictWritesMasksAndOverlaysAndIgnoresFilesThatAreNotImages() throws Exception {
    Path in = dir.resolve("in");
    Files.createDirectories(in);
    Files.copy(data.resolve("images/synth_0012.png"), in.resolve("a.png"));
    Files.writeString(in.resolve("notes.txt"), "not an image");
    // an RGB image of an odd size, converted to grey and padded
    BufferedImage rgb = new BufferedImage(37, 29, BufferedImage.TYPE_INT_RGB);
    ImageIO.write(rgb, "png", in.resolve("b.png").toFile());
    Path out = dir.resolve("out");
    CliRun r =
        CliRun.ok(
            "predict",
            "--run",
            runs.resolve("r1").toString(),
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--probabilities",
            "--flip-tta");
    assertThat(r.out()).contains("predicted 2 image(s)").contains("img/s");
    assertThat(r.out()).contains("ignored 1 file(s) that are not images: notes.txt");
    for (String f :
        List.of("a_mask.png", "a_view.png", "a_overlay.png", "b_mask.png", "a_prob_disc.png")) {
      assertThat(out.resolve(f)).exists();
    }
    var b = ImageIo.read(out.resolve("b_mask.png"));
    assertThat(b.width()).isEqualTo(37);
    assertThat(b.height()).isEqualTo(29);
    // pixel for pixel what the Java API predicts for the same image, checkpoint and flip TTA
    TileOptions tta = TileOptions.whole().withFlipTta(true);
    Path run = runs.resolve("r1");
    PredictionMaps a = ApiPredictions.ofRun(run, null, tta, null, in.resolve("a.png"));
    ApiPredictions.sameMask(out.resolve("a_mask.png"), a);
    ApiPredictions.sameProbabilities(out, "a", List.of("background", "disc"), a);
    ApiPredictions.sameMask(
        out.resolve("b_mask.png"), ApiPredictions.ofRun(run, null, tta, null, in.resolve("b.png")));
  }

  /** A {@code w x h} image made of the 16 training images (32x32 discs) side by side. */
  static Path mosaic(Path file, int w, int h) throws Exception {
    RawImage[] tiles = new RawImage[16];
    for (int i = 0; i < tiles.length; i++) {
      tiles[i] = ImageIo.read(data.resolve(String.format("images/synth_%04d.png", i)));
    }
    int c = tiles[0].channels();
    int[] px = new int[w * h * c];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        RawImage t = tiles[((y / 32) * 7 + x / 32) % tiles.length];
        for (int k = 0; k < c; k++) {
          px[(y * w + x) * c + k] = t.data()[((y % 32) * 32 + x % 32) * c + k];
        }
      }
    }
    ImageIo.write(c == 1 ? RawImage.grey8(w, h, px) : RawImage.rgb8(w, h, px), file);
    return file;
  }

  @Test
  void predictTilesAHugeImage() throws Exception {
    // larger than TileOptions.MAX_WHOLE_SIDE: predicted in 512-pixel tiles with the default
    // overlap, blend and tile batch, which is what the Java API gives with those options
    Path big = mosaic(dir.resolve("big.png"), 1100, 1040);
    Path out = dir.resolve("out-big");
    // a model that has learnt the discs, so that the probabilities follow the image
    Path run = runs.resolve("huge");
    CliRun.ok(
        TinyData.trainArgs(data, runs, "huge", "--epochs", "4", "--set", "optimizer.lr=0.02"));
    CliRun.ok(
        "predict",
        "--run",
        run.toString(),
        "--input",
        big.toString(),
        "--output",
        out.toString(),
        "--probabilities");
    PredictionMaps p = ApiPredictions.ofRun(run, null, TileOptions.sliding(512, 0.25), null, big);
    ApiPredictions.sameMask(out.resolve("big_mask.png"), p);
    ApiPredictions.sameProbabilities(out, "big", List.of("background", "disc"), p);
    var m = ImageIo.read(out.resolve("big_mask.png"));
    assertThat(m.width()).isEqualTo(1100);
    assertThat(m.height()).isEqualTo(1040);
    assertThat(Arrays.stream(ImageIo.read(out.resolve("big_prob_disc.png")).data()).distinct())
        .as("the image's content reaches the probabilities")
        .hasSizeGreaterThan(10);
  }

  @Test
  void predictWithoutACheckpointOrOnNothingSaysWhatToDo() throws Exception {
    Path empty = dir.resolve("not-a-run");
    Files.createDirectories(empty);
    CliRun r =
        CliRun.of(
            "predict",
            "--run",
            empty.toString(),
            "--input",
            data.resolve("images").toString(),
            "--output",
            dir.resolve("x").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("not a seg4j run folder");
    CliRun m =
        CliRun.of(
            "predict",
            "--run",
            runs.resolve("r1").toString(),
            "--input",
            dir.resolve("missing").toString(),
            "--output",
            dir.resolve("y").toString());
    assertThat(m.code()).isEqualTo(2);
    assertThat(m.err()).contains("does not exist");
    assertThat(dir.resolve("y")).as("no output folder for a missing input").doesNotExist();
  }
}
