package org.seg4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.seg4j.engine.Engines;
import org.seg4j.io.SafeTensors;

class VggModelsTest {
  private static NDManager manager;

  @BeforeAll
  static void engine() {
    manager = Engines.pytorch().newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  private static SegModel build(ModelConfig config, int side) {
    SegModel m = ModelRegistry.create(config);
    m.init(manager, config.inChannels(), side);
    return m;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "vgg16_unet_nearest",
        "vgg16_unet_align_corners_false",
        "fcn32s_mindspore",
        "fcn16s_mindspore",
        "fcn8s_mindspore"
      })
  void matchesThePyTorchTwinInEvalTrainingAndGradient(String fixture) throws Exception {
    try (NDManager m = manager.newSubManager()) {
      new GoldenModel(m, "vgg", fixture).assertParity(m);
    }
  }

  @ParameterizedTest
  @CsvSource({
    // seed 003 at its real width (base 64, fc 4096, VOC's 21 classes), counted on
    // tools/torch_models_vgg.py's MindSporeFcn; the defaults for comparison
    "fcn32s, 134817616, 136152917",
    "fcn16s, 134828368, 134815994",
    "fcn8s, 134502112, 134489759"
  })
  void mindSporeOptionsHaveSeed003sParameterCount(String arch, long seed, long plain) {
    ModelConfig real = ModelConfig.of(arch, 3, 21, 64);
    ModelConfig ms =
        real.with("bn", "true").with("bn_fc", "true").with("bias", "false").with("fc_dropout", "0");
    if (arch.equals("fcn32s")) {
      ms = ms.with("up32", "two-step");
    }
    assertThat(ModelRegistry.create(ms).parameterCount()).isEqualTo(seed);
    assertThat(ModelRegistry.create(real).parameterCount()).isEqualTo(plain);
  }

  @Test
  void fcnOptionsNameTheirLayers() {
    ModelConfig ms =
        VggGolden.config("fcn32s", true)
            .with("bn_fc", "true")
            .with("bias", "false")
            .with("up32", "two-step");
    assertThat(ModelRegistry.create(ms).stateDict())
        .containsKeys(
            "features.0.weight",
            "fc6.weight",
            "bn6.running_var",
            "fc7.weight",
            "bn7.weight",
            "score_fr.weight",
            "upscore2.weight",
            "upscore16.weight")
        .doesNotContainKeys("upscore32.weight", "features.0.bias", "fc6.bias", "score_fr.bias");
    assertThat(
            ModelRegistry.create(VggGolden.config("fcn8s", false).with("bias", "false"))
                .stateDict()
                .keySet())
        .noneMatch(k -> k.endsWith(".bias"))
        .contains("score_pool4.weight", "score_pool3.weight");
    assertThat(ModelRegistry.create(VggGolden.config("fcn16s", false)).stateDict())
        .containsKeys("fc6.bias", "score_pool4.bias")
        .doesNotContainKeys("bn6.weight", "bn7.weight");
  }

  @ParameterizedTest
  @CsvSource({"fcn32s, up32, two-step", "fcn16s, bn_fc, true", "fcn8s, fc_dropout, 0"})
  void fcnOptionsKeepTheInputsSize(String arch, String key, String value) {
    ModelConfig config = ModelConfig.of(arch, 3, 5, 4).with("fc_width", "16").with(key, value);
    try (NDManager m = manager.newSubManager()) {
      SegModel model = build(config, 64);
      NDArray x = m.randomUniform(0f, 1f, new Shape(2, 3, 64, 96));
      assertThat(model.predictLogits(x).getShape()).isEqualTo(new Shape(2, 5, 64, 96));
      assertThat(model.forward(x, true).getShape()).isEqualTo(new Shape(2, 5, 64, 96));
    }
  }

  @Test
  void vggUNetUpSamplingHasNoParameters() {
    long plain = ModelRegistry.create(VggGolden.config("vgg16-unet", false)).parameterCount();
    for (String[] o : new String[][] {{"up", "nearest"}, {"align_corners", "false"}}) {
      ModelConfig c = VggGolden.config("vgg16-unet", false).with(o[0], o[1]);
      assertThat(ModelRegistry.create(c).parameterCount()).as("%s", (Object) o).isEqualTo(plain);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"fcn32s", "fcn16s", "fcn8s", "vgg16-unet"})
  void parameterCountsEqualTheTwinsAtTinyAndRealWidth(String arch) throws Exception {
    JsonNode counts = new ObjectMapper().readTree(Files.readString(VggGolden.path("params.json")));
    for (boolean bn : new boolean[] {false, true}) {
      JsonNode want = counts.get(arch + (bn ? "_bn" : ""));
      ModelConfig tiny =
          ModelConfig.of(arch, 3, 3, 4).with("bn", Boolean.toString(bn)).with("fc_width", "16");
      if (!arch.startsWith("fcn")) {
        tiny = ModelConfig.of(arch, 3, 3, 4).with("bn", Boolean.toString(bn));
      }
      // shapes are known at construction: the real VGG16 width is counted without allocating it
      ModelConfig real = ModelConfig.of(arch, 3, 21, 64).with("bn", Boolean.toString(bn));
      assertThat(ModelRegistry.create(tiny).parameterCount())
          .isEqualTo(want.get("base4_fc16_in3_classes3").asLong());
      assertThat(ModelRegistry.create(real).parameterCount())
          .isEqualTo(want.get("base64_in3_classes21").asLong());
    }
  }

  @ParameterizedTest
  @CsvSource({
    "fcn32s, 64, 32",
    "fcn16s, 32, 64",
    "fcn8s, 64, 64",
    "vgg16-unet, 48, 32",
  })
  void outputHasTheInputsSizeInTrainingAndEval(String arch, int h, int w) {
    ModelConfig config = ModelConfig.of(arch, 3, 5, 4);
    if (arch.startsWith("fcn")) {
      config = config.with("fc_width", "16");
    }
    try (NDManager m = manager.newSubManager()) {
      SegModel model = build(config, h);
      NDArray x = m.randomUniform(0f, 1f, new Shape(2, 3, h, w));
      assertThat(model.predictLogits(x).getShape()).isEqualTo(new Shape(2, 5, h, w));
      assertThat(model.forward(x, true).getShape()).isEqualTo(new Shape(2, 5, h, w));
    }
  }

  @Test
  void upSamplingStartsAtFcnsBilinearKernel() throws Exception {
    SafeTensors.Contents kernels = VggGolden.read("bilinear.safetensors");
    try (NDManager m = manager.newSubManager()) {
      SegModel model = build(VggGolden.config("fcn8s", false), 32);
      for (String[] pair :
          new String[][] {
            {"upscore2.weight", "k4"}, {"upscore_pool4.weight", "k4"}, {"upscore8.weight", "k16"}
          }) {
        NDArray got = model.stateDict().get(pair[0]).getArray();
        NDArray want = VggGolden.array(m, kernels.tensors().get(pair[1]));
        assertThat(got.getShape()).as(pair[0]).isEqualTo(want.getShape());
        assertThat(got.sub(want).abs().max().getFloat()).as(pair[0]).isLessThan(1e-6f);
      }
      assertThat(model.stateDict()).doesNotContainKey("upscore8.bias");
    }
  }

  @Test
  void namesFollowTorchvisionAndBubbliiiing() {
    assertThat(ModelRegistry.create(VggGolden.config("fcn8s", false)).stateDict())
        .containsKeys(
            "features.0.weight",
            "features.28.bias",
            "fc6.weight",
            "fc7.weight",
            "score_fr.weight",
            "score_pool4.weight",
            "score_pool3.weight");
    assertThat(ModelRegistry.create(VggGolden.config("fcn8s", true)).stateDict())
        .containsKeys("features.1.running_var", "features.40.weight", "features.41.running_mean");
    assertThat(ModelRegistry.create(VggGolden.config("vgg16-unet", false)).stateDict())
        .containsKeys(
            "vgg.features.0.weight",
            "vgg.features.28.weight",
            "up_concat4.conv1.weight",
            "up_concat1.conv2.bias",
            "final.weight");
  }

  @Test
  void sidesAndChannelsAreCheckedWithTheNearestValidValue() {
    SegModel fcn = ModelRegistry.create(VggGolden.config("fcn16s", false));
    SegModel unet = ModelRegistry.create(VggGolden.config("vgg16-unet", false));
    assertThat(fcn.sideMultiple()).isEqualTo(32);
    assertThat(unet.sideMultiple()).isEqualTo(16);
    assertThatThrownBy(() -> fcn.checkInput(new Shape(1, 3, 48, 64)))
        .hasMessageContaining("multiples of 32")
        .hasMessageContaining("height is 48")
        .hasMessageContaining("nearest valid side is 64");
    assertThatThrownBy(() -> unet.checkInput(new Shape(1, 3, 32, 40)))
        .hasMessageContaining("multiples of 16")
        .hasMessageContaining("width is 40")
        .hasMessageContaining("nearest valid side is 48");
    assertThatThrownBy(() -> unet.checkInput(new Shape(1, 1, 32, 32)))
        .hasMessageContaining("in_channels=1");
    unet.checkInput(new Shape(1, 3, 16, 32));
  }

  @Test
  void badOptionsAreNamed() {
    assertThatThrownBy(() -> ModelRegistry.create(ModelConfig.of("fcn8s", 3, 2, 4).with("up", "x")))
        .hasMessageContaining("'up'")
        .hasMessageContaining("fc_width");
    assertThatThrownBy(
            () -> ModelRegistry.create(ModelConfig.of("vgg16-unet", 3, 2, 4).with("fc_width", "8")))
        .hasMessageContaining("'fc_width' is not known for vgg16-unet");
    assertThatThrownBy(
            () -> ModelRegistry.create(ModelConfig.of("fcn32s", 3, 2, 4).with("fc_width", "0")))
        .hasMessageContaining("fc_width=0");
    assertThatThrownBy(
            () -> ModelRegistry.create(ModelConfig.of("fcn32s", 3, 2, 4).with("up32", "three")))
        .hasMessageContaining("up32=three")
        .hasMessageContaining("one-step or two-step");
    assertThatThrownBy(
            () -> ModelRegistry.create(ModelConfig.of("fcn8s", 3, 2, 4).with("up32", "two-step")))
        .hasMessageContaining("'up32' is not known for fcn8s");
    assertThatThrownBy(
            () -> ModelRegistry.create(ModelConfig.of("fcn16s", 3, 2, 4).with("fc_dropout", "1")))
        .hasMessageContaining("fc_dropout=1.0")
        .hasMessageContaining("[0, 1)");
    assertThatThrownBy(
            () -> ModelRegistry.create(ModelConfig.of("fcn16s", 3, 2, 4).with("bias", "none")))
        .hasMessageContaining("bias=none");
    assertThatThrownBy(
            () -> ModelRegistry.create(ModelConfig.of("vgg16-unet", 3, 2, 4).with("up", "bicubic")))
        .hasMessageContaining("up=bicubic")
        .hasMessageContaining("bilinear or nearest");
    assertThatThrownBy(
            () ->
                ModelRegistry.create(
                    ModelConfig.of("vgg16-unet", 3, 2, 4)
                        .with("up", "nearest")
                        .with("align_corners", "true")))
        .hasMessageContaining("align_corners applies to up=bilinear only");
  }
}
