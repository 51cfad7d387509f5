package org.seg4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.data.SyntheticShapes;
import org.seg4j.infer.LoadedModel;
import org.seg4j.infer.PredictionMaps;
import org.seg4j.infer.TileOptions;
import org.seg4j.testutil.Golden;

/**
 * The embedding application's path, through the public API only: train from Java with {@link
 * Training}, load the run with {@link Segmenter}, predict an image; each result is checked against
 * the library's own inference on the same run.
 */
class ApiTest {
  @TempDir static Path data;
  @TempDir static Path runs;
  static Path run;
  static Training.Result result;

  @BeforeAll
  static void trainThroughTheApi() throws Exception {
    new SyntheticShapes(32, false, 3).write(data, 12);
    run = runs.resolve("api");
    result =
        Training.builder()
            .dataRoot(data)
            .maskEncoding("index")
            .trainSplit("0..9")
            .valSplit("10..11")
            .set("data.image_pattern", "synth_{id}.png")
            .set("data.mask_pattern", "synth_{id}.png")
            .base(4)
            .modelOption("depth", "2")
            .epochs(2)
            .batch(2)
            .lr(0.01)
            .device(Device.CPU)
            .threads(2)
            .seed(5)
            .run(run);
  }

  static BufferedImage image() throws Exception {
    return ImageIO.read(data.resolve("images/synth_0011.png").toFile());
  }

  @Test
  void aRunTrainedFromJavaHasItsEpochsAndCheckpoints() {
    assertThat(result.runDir()).isEqualTo(run);
    assertThat(result.epochs()).isEqualTo(2);
    assertThat(result.bestMiou()).isBetween(0.0, 1.0);
    assertThat(run.resolve("checkpoints/best.safetensors")).isRegularFile();
    assertThat(run.resolve("config.yml")).content().contains("base: 4", "lr: 0.01", "seed: 5");
  }

  @Test
  void aSegmenterPredictsWhatTheLibraryPredicts() throws Exception {
    BufferedImage img = image();
    PredictOptions o = PredictOptions.builder().tile(16).overlap(0.5).flipTta(true).build();
    try (Segmenter s = Segmenter.fromRun(run).device(Device.CPU).options(o).build();
        LoadedModel m =
            LoadedModel.fromRun(run, null, "cpu", TileOptions.sliding(16, 0.5).withFlipTta(true))) {
      Prediction p = s.predict(img);
      PredictionMaps want = m.predict(img);
      assertThat(p.mask()).containsExactly(want.mask());
      assertThat(p.probabilities()).containsExactly(want.probabilities());
      assertThat(p.height()).isEqualTo(img.getHeight());
      assertThat(p.width()).isEqualTo(img.getWidth());
      assertThat(p.classAt(3, 5)).isEqualTo(want.mask()[3 * img.getWidth() + 5]);
      assertThat(s.classNames()).containsExactly("background", "disc");
      assertThat(s.options().flipTta()).isTrue();
      assertThat(s.options().threshold()).isEqualTo(0.5);
    }
  }

  @Test
  void aBatchPredictsWhatOneByOneDoes() throws Exception {
    List<BufferedImage> same = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      same.add(ImageIO.read(data.resolve("images/synth_000" + i + ".png").toFile()));
    }
    List<BufferedImage> mixed =
        List.of(same.get(0), same.get(1).getSubimage(2, 3, 24, 20), same.get(2));
    try (Segmenter s = Segmenter.fromRun(run).device(Device.CPU).build()) {
      for (List<BufferedImage> images : List.of(same, mixed)) {
        List<Prediction> batch = s.predict(images);
        assertThat(batch).hasSameSizeAs(images);
        for (int i = 0; i < images.size(); i++) {
          Prediction one = s.predict(images.get(i));
          Prediction b = batch.get(i);
          assertThat(b.height()).isEqualTo(images.get(i).getHeight());
          assertThat(b.width()).isEqualTo(images.get(i).getWidth());
          assertThat(b.mask()).containsExactly(one.mask());
          assertThat(b.probabilities()).containsExactly(one.probabilities(), within(1e-5f));
        }
      }
    }
  }

  @Test
  void optionsForOneCallPredictAsASegmenterBuiltWithThem() throws Exception {
    PredictOptions o = PredictOptions.builder().tile(16).overlap(0.5).flipTta(true).build();
    try (Segmenter whole = Segmenter.fromRun(run).device(Device.CPU).build();
        Segmenter tiled = Segmenter.fromRun(run).device(Device.CPU).options(o).build()) {
      float[] before = whole.predict(image()).probabilities();
      assertThat(whole.predict(image(), o).probabilities())
          .containsExactly(tiled.predict(image()).probabilities());
      assertThat(whole.options().tile()).isZero();
      assertThat(whole.predict(image()).probabilities()).containsExactly(before);
      assertThatThrownBy(() -> whole.predict(image(), PredictOptions.builder().tile(7).build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("tile=7");
    }
  }

  @Test
  void aCheckpointOnItsOwnPredictsAsItsRun() throws Exception {
    Path alone = runs.resolve("alone.safetensors");
    Files.copy(run.resolve("checkpoints/best.safetensors"), alone);
    try (Segmenter fromRun = Segmenter.fromRun(run).device(Device.CPU).build();
        Segmenter fromFile = Segmenter.fromCheckpoint(alone).device(Device.CPU).build()) {
      assertThat(fromFile.predict(image()).probabilities())
          .containsExactly(fromRun.predict(image()).probabilities());
      assertThat(fromFile.classNames()).isEqualTo(fromRun.classNames());
    }
  }

  @Test
  void aTorchScriptModelIsBuiltWithNamedParameters() throws Exception {
    Path pt = Golden.path("golden/torchscript/tiny_unet.pt");
    Path img = data.resolve("images/synth_0003.png");
    try (Segmenter s =
            Segmenter.fromTorchScript(pt, 2, 1).sideMultiple(16).device(Device.CPU).build();
        LoadedModel m =
            LoadedModel.fromTorchScript(pt, 2, 1, 16, null, "cpu", TileOptions.whole())) {
      assertThat(s.predict(img).probabilities()).containsExactly(m.predict(img).probabilities());
      assertThat(s.inChannels()).isEqualTo(1);
      assertThat(s.classes()).isEqualTo(2);
    }
  }

  @Test
  void aBuilderSettingOfAnotherSourceIsRefusedNamingBoth() {
    assertThatThrownBy(() -> Segmenter.fromRun(run).sideMultiple(16))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("sideMultiple")
        .hasMessageContaining("Segmenter.fromTorchScript")
        .hasMessageContaining("Segmenter.fromRun");
    assertThatThrownBy(() -> Segmenter.fromCheckpoint(run).checkpoint(run))
        .hasMessageContaining("checkpoint applies to a Segmenter.fromRun model only");
  }

  @Test
  void predictOptionsAreCheckedWhenBuilt() {
    PredictOptions d = PredictOptions.defaults();
    assertThat(d.tile()).isZero();
    assertThat(d.flipTta()).isFalse();
    assertThat(Double.isNaN(d.threshold())).isTrue();
    PredictOptions o =
        PredictOptions.builder().tile(64).blend(PredictOptions.Blend.LINEAR).tileBatch(4).build();
    assertThat(o.blend()).isEqualTo(PredictOptions.Blend.LINEAR);
    assertThat(o.tileBatch()).isEqualTo(4);
    assertThatThrownBy(() -> PredictOptions.builder().overlap(1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("overlap=1.0");
    assertThatThrownBy(() -> PredictOptions.builder().threshold(1.5).build())
        .hasMessageContaining("threshold 1.5");
  }

  @Test
  void everyTypedSettingLandsOnItsKey() {
    String yaml =
        Training.builder()
            .format("voc")
            .folders("JPEGImages", "SegmentationClass")
            .channels(3)
            .arch("fcn8s")
            .classes(21)
            .loss("ce+dice")
            .optimizer("sgd")
            .schedule("poly")
            .epochs(7)
            .batch(3)
            .device(Device.GPU)
            .threads(1)
            .initFrom(Path.of("/runs/old"))
            .toYaml();
    assertThat(yaml.replace("\"", ""))
        .contains("format: voc", "images: JPEGImages", "masks: SegmentationClass")
        .contains("channels: 3", "arch: fcn8s", "classes: 21", "name: ce+dice", "name: sgd")
        .contains("name: poly", "epochs: 7", "batch: 3", "device: gpu", "threads: 1")
        .contains("init_from: /runs/old");
  }

  @Test
  void aMisspeltKeyIsRefusedNamingIt() {
    assertThatThrownBy(() -> Training.builder().set("loss.gama", "2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loss.gama");
    assertThatThrownBy(() -> Training.builder().lr(-1).run(runs.resolve("neg")))
        .hasMessageContaining("optimizer.lr");
    assertThat(runs.resolve("neg")).doesNotExist();
  }

  @Test
  void theRegistriesListWhatTrainingTakes() {
    assertThat(Registries.models()).containsKeys("unet", "unet-valid", "nested-unet", "fcn8s");
    assertThat(Registries.models().get("vgg16-unet")).contains("VGG16");
    assertThat(Registries.losses()).contains("ce", "bce", "dice", "lovasz", "lovasz-softmax");
    assertThat(Registries.optimizers()).containsExactly("adam", "adamw", "sgd");
    assertThat(Registries.schedules()).contains("cosine", "plateau");
    assertThat(Registries.transforms()).contains("hflip", "elastic");
  }
}
