package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.io.ImageIo;
import org.seg4j.io.RawImage;

/**
 * Each seed write-up's workflow, walked as its user walks it, with the recipe in {@code configs/}
 * on a tiny dataset in that recipe's own layout: split → train (stopped after one epoch by its time
 * budget) → resume → eval → predict. Only sizes and epochs are overridden.
 */
class SeedWorkflowsTest {
  @TempDir Path tmp;

  private CliRun seg4j(Object... args) {
    String[] s = Arrays.stream(args).map(String::valueOf).toArray(String[]::new);
    CliRun r = CliRun.of(s);
    assertThat(r.code()).as(String.join(" ", s) + "\n" + r.all()).isZero();
    return r;
  }

  /**
   * Trains {@code recipe} for 2 epochs in two sittings (a 0-minute budget stops it after epoch 1,
   * {@code --resume} finishes it), then evaluates the validation split and predicts {@code images};
   * returns the run folder.
   */
  private Path walk(String recipe, Path data, Path images, Object... overrides) throws Exception {
    Path runs = tmp.resolve("runs");
    List<Object> train = new ArrayList<>(List.of("train", "--config", "configs/" + recipe));
    train.addAll(List.of("--data", data, "--runs", runs, "--epochs", 2, "--no-progress"));
    train.addAll(List.of("--set", "train.max_minutes=0.00001"));
    train.addAll(Arrays.asList(overrides));
    CliRun first = seg4j(train.toArray());
    assertThat(first.out()).contains("time budget").contains("epoch 1:").doesNotContain("epoch 2:");
    String name = recipe.replace(".yml", "");
    Path run = runs.resolve(name);
    assertThat(Files.readAllLines(run.resolve("log.csv"))).hasSize(2);

    CliRun resumed = seg4j("train", "--resume", run, "--no-progress");
    assertThat(resumed.out()).contains("epoch 2:").doesNotContain("epoch 1:");
    List<String> log = Files.readAllLines(run.resolve("log.csv"));
    assertThat(log).hasSize(3);
    for (String miou : RunFiles.logColumn(run, "val_miou")) {
      assertThat(Double.parseDouble(miou)).as("val_miou").isBetween(0.0, 1.0);
    }
    assertThat(run.resolve("config.yml")).exists();
    assertThat(run.resolve("checkpoints/last.safetensors")).exists();
    assertThat(run.resolve("checkpoints/best.safetensors")).exists();

    CliRun eval = seg4j("eval", "--run", run, "--split", "val", "--no-progress");
    assertThat(eval.out()).contains("mean").doesNotContain("NaN");
    assertThat(run.resolve("eval_val/report.html")).exists();

    Path out = tmp.resolve("pred-" + name);
    seg4j("predict", "--run", run, "--input", images, "--output", out);
    try (Stream<Path> inputs = Files.list(images)) {
      for (Path img : inputs.toList()) {
        String id = img.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        Path mask = out.resolve(id + "_mask.png");
        assertThat(mask).exists();
        RawImage in = ImageIo.read(img);
        RawImage m = ImageIo.read(mask);
        assertThat(m.width()).isEqualTo(in.width());
        assertThat(m.height()).isEqualTo(in.height());
        assertThat(out.resolve(id + "_overlay.png")).exists();
      }
    }
    return run;
  }

  @Test
  void seed000Dsb2018NestedUNetWithASigmoidHead() throws Exception {
    Path data = SeedLayouts.perClass(tmp.resolve("dsb2018_96"), 10, 32);
    seg4j("split", "--data", data, "--format", "per-class", "--ratios", "0.8:0.2:0");
    // 8 training images: the recipe's batch of 16 with data.drop_last would drop every batch (one
    // line says so); batches of 3 give 2 steps an epoch and drop the last 2 images
    Path run =
        walk("dsb2018-nested-unet.yml", data, data.resolve("images"), "--base", 4, "--batch", 3);
    assertThat(Files.readString(run.resolve("log.csv"))).contains("fg_dice");
  }

  @Test
  void seed000SmallImageRecipeWithAStepProfile() throws Exception {
    // issue "Small images as fast as PyTorch": the 96² recipe trained with --profile on a
    // per-class folder; each sitting past its 8 warm-up steps writes the split and the op table
    Path data = SeedLayouts.perClass(tmp.resolve("small96"), 25, 32);
    seg4j("split", "--data", data, "--format", "per-class", "--ratios", "0.8:0.2:0");
    Path run =
        walk(
            "small-image-recipe-unet.yml",
            data,
            data.resolve("images"),
            "--base",
            4,
            "--batch",
            2,
            "--profile",
            "--set",
            "data.train=train",
            "--set",
            "data.val=val");
    JsonNode profile = new ObjectMapper().readTree(run.resolve("profile.json").toFile());
    assertThat(profile.path("steps").asInt()).isPositive();
    assertThat(profile.path("ms_per_step").path("forward").asDouble()).isPositive();
    assertThat(profile.path("ms_per_step").path("backward").asDouble()).isPositive();
    assertThat(profile.path("native_ops")).isNotEmpty();
    assertThat(run.resolve("libtorch-trace.json")).isNotEmptyFile();
  }

  @Test
  void seed000FromTheRawPerInstanceLayout() throws Exception {
    Path data = SeedLayouts.perInstance(tmp.resolve("stage1_train"), 10, 32);
    seg4j("split", "--data", data, "--format", "per-instance", "--ratios", "0.8:0.2:0");
    Path images = Files.createDirectories(tmp.resolve("dsb-images"));
    try (Stream<Path> ids = Files.list(data)) {
      for (Path d :
          ids.filter(Files::isDirectory)
              .filter(p -> p.resolve("images").toFile().isDirectory())
              .toList()) {
        String id = d.getFileName().toString();
        Files.copy(d.resolve("images/" + id + ".png"), images.resolve(id + ".png"));
      }
    }
    walk(
        "dsb2018-nested-unet.yml",
        data,
        images,
        "--format",
        "per-instance",
        "--base",
        4,
        "--batch",
        3);
  }

  /** An ISBI-layout set of 8 images (0..5 train, 6..7 validate) walked with {@code recipe}. */
  private void walkIsbi(String recipe, Object... sizes) throws Exception {
    Path data = SeedLayouts.isbi(tmp.resolve(recipe), 8, 64, "masks");
    List<Object> o = new ArrayList<>(List.of("--set", "data.train=0..5", "--set", "data.val=6..7"));
    o.addAll(Arrays.asList(sizes));
    walk(recipe, data, data.resolve("images"), o.toArray());
  }

  @Test
  void seed001ThePapersUNetOnIsbi() throws Exception {
    walkIsbi("isbi-unet-paper.yml", "--base", 2, "--set", "data.samples_per_epoch=2");
  }

  @Test
  void seed002CroplandTilesWithAnEightOneOneSplit() throws Exception {
    Path data = SeedLayouts.cropland(tmp.resolve("cropland"), 10, 32);
    seg4j(
        "split",
        "--data",
        data,
        "--masks",
        "labels",
        "--mask-pattern",
        "{id}_mask.png",
        "--ratios",
        "0.8:0.1:0.1");
    walk("cropland-unet.yml", data, data.resolve("images"), "--base", 4);
  }

  @Test
  void seed003Fcn8sOnIsbi() throws Exception {
    walkIsbi("isbi-fcn8s.yml", "--base", 4);
  }

  @Test
  void seed004VocVgg16UNetFrozenThenReleased() throws Exception {
    Path data = SeedLayouts.voc(tmp.resolve("VOC2007"), 8, 32, 4);
    Path run =
        walk(
            "voc-vgg16-unet.yml",
            data,
            data.resolve("JPEGImages"),
            "--base",
            4,
            "--classes",
            4,
            "--set",
            "augment=[{type: resize, size: 32}, {type: hflip, p: 0.5}]",
            "--set",
            "train.freeze_epochs=1");
    String log = Files.readString(run.resolve("log.csv"));
    assertThat(log.lines().count()).isEqualTo(3);
  }
}
