package org.seg4j.model.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.seg4j.engine.Engines;
import org.seg4j.io.SafeTensors;
import org.seg4j.io.SafeTensors.Tensor;
import org.seg4j.io.WeightsFileException;
import org.seg4j.io.WeightsFiles;
import org.seg4j.model.ModelConfig;
import org.seg4j.model.ModelRegistry;
import org.seg4j.model.SegModel;
import org.seg4j.model.VggGolden;

class EncoderWeightsTest {
  private static NDManager manager;

  @BeforeAll
  static void engine() {
    manager = Engines.pytorch().newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  private static SegModel build(ModelConfig config) {
    SegModel m = ModelRegistry.create(config);
    m.init(manager, config.inChannels(), 32);
    return m;
  }

  private static Map<String, float[]> snapshot(SegModel model) {
    Map<String, float[]> out = new LinkedHashMap<>();
    model.stateDict().forEach((k, p) -> out.put(k, p.getArray().toFloatArray()));
    return out;
  }

  @ParameterizedTest
  @CsvSource({
    "vgg16_tv.safetensors, fcn8s, false, ''",
    "vgg16_bn_tv.safetensors, fcn32s, true, ''",
    "vgg16_tv.safetensors, vgg16-unet, false, vgg.",
    "vgg16_bn_tv.safetensors, vgg16-unet, true, vgg.",
    "vgg16_bn_tv_f16.pth, vgg16-unet, true, vgg."
  })
  void featuresComeFromTheFileAndTheRestIsUntouched(
      String file, String arch, boolean bn, String prefix) throws Exception {
    SegModel model = build(VggGolden.config(arch, bn));
    Map<String, float[]> before = snapshot(model);
    Map<String, Tensor> tv = WeightsFiles.read(VggGolden.path(file)).tensors();
    assertThat(tv.keySet()).anyMatch(k -> k.startsWith("classifier."));

    EncoderWeights.load(model, VggGolden.path(file));

    Map<String, Parameter> state = model.stateDict();
    int loaded = 0;
    for (Map.Entry<String, Parameter> e : state.entrySet()) {
      String key = e.getKey();
      float[] now = e.getValue().getArray().toFloatArray();
      if (key.startsWith(prefix + "features.")) {
        assertThat(now).as(key).containsExactly(tv.get(key.substring(prefix.length())).toFloats());
        loaded++;
      } else {
        assertThat(now).as(key).containsExactly(before.get(key));
      }
    }
    long fileFeatures =
        tv.keySet().stream()
            .filter(k -> k.startsWith("features.") && !k.endsWith("num_batches_tracked"))
            .count();
    assertThat(loaded).isEqualTo(fileFeatures).isGreaterThanOrEqualTo(26);
    if (bn) {
      assertThat(model.extraState()).containsEntry(prefix + "features.1.num_batches_tracked", 7L);
    }
  }

  @Test
  void missingAndWrongShapeKeysAreListedAndNothingChanges() throws Exception {
    SegModel model = build(VggGolden.config("fcn16s", false));
    Map<String, float[]> before = snapshot(model);
    Map<String, Tensor> tv =
        new LinkedHashMap<>(SafeTensors.read(VggGolden.path("vgg16_tv.safetensors")).tensors());
    tv.remove("features.28.weight");
    tv.put("features.2.bias", Tensor.ofFloats(new long[] {3}, new float[3]));

    assertThatThrownBy(() -> EncoderWeights.load(model, tv, "vgg16.safetensors"))
        .isInstanceOf(WeightsFileException.class)
        .hasMessageContaining("vgg16.safetensors does not fit")
        .hasMessageContaining("missing keys: ")
        .hasMessageContaining("features.28.weight")
        .hasMessageContaining("features.2.bias is [3] in the file, the model needs [2]")
        .hasMessageContaining("in_channels=3 and model.base=64");
    Map<String, float[]> after = snapshot(model);
    before.forEach((k, v) -> assertThat(after.get(k)).as(k).containsExactly(v));
  }

  @Test
  void greyInputModelsNameTheChannelMismatch() {
    SegModel grey =
        ModelRegistry.create(
            ModelConfig.of("vgg16-unet", 1, 2, VggGolden.BASE).with("bn", "false"));
    grey.init(manager, 1, 32);
    assertThatThrownBy(() -> EncoderWeights.load(grey, VggGolden.path("vgg16_tv.safetensors")))
        .hasMessageContaining("features.0.weight is [2, 3, 3, 3] in the file")
        .hasMessageContaining("this model has 1 and 2");
  }

  @Test
  void anUninitialisedModelIsRefused() {
    SegModel model = ModelRegistry.create(VggGolden.config("fcn8s", false));
    assertThatThrownBy(() -> EncoderWeights.load(model, VggGolden.path("vgg16_tv.safetensors")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("before loading encoder weights");
  }

  @Test
  void aBatchNormFileNeedsTheBnOption() {
    SegModel model = build(VggGolden.config("fcn8s", false));
    assertThatThrownBy(() -> EncoderWeights.load(model, VggGolden.path("vgg16_bn_tv.safetensors")))
        .hasMessageContaining("is a vgg16_bn state_dict")
        .hasMessageContaining("bn=true");
    SegModel bn = build(VggGolden.config("vgg16-unet", true));
    assertThatThrownBy(() -> EncoderWeights.load(bn, VggGolden.path("vgg16_tv.safetensors")))
        .hasMessageContaining("is a vgg16 state_dict")
        .hasMessageContaining("bn=false");
  }

  @Test
  void aBiasFreeBackboneRefusesTorchvisionsBiases() {
    SegModel model = build(VggGolden.config("fcn32s", false).with("bias", "false"));
    assertThatThrownBy(() -> EncoderWeights.load(model, VggGolden.path("vgg16_tv.safetensors")))
        .hasMessageContaining("features.0.bias")
        .hasMessageContaining("bias=false");
  }

  @Test
  void filesWithoutFeaturesAndModelsWithoutVggAreRefused() throws Exception {
    SegModel model = build(VggGolden.config("fcn8s", false));
    Map<String, Tensor> other =
        Map.of("conv1.weight", Tensor.ofFloats(new long[] {1}, new float[] {1f}));
    assertThatThrownBy(() -> EncoderWeights.load(model, other, "resnet.safetensors"))
        .hasMessageContaining("resnet.safetensors has no features.N keys")
        .hasMessageContaining("conv1.weight");

    SegModel plain =
        new SegModel(ModelConfig.of("plain", 3, 2, 4)) {
          @Override
          public int sideMultiple() {
            return 1;
          }

          @Override
          public NDArray forward(NDArray x, boolean training) {
            return x;
          }
        };
    assertThatThrownBy(() -> EncoderWeights.load(plain, VggGolden.path("vgg16_tv.safetensors")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("plain has none")
        .hasMessageContaining("vgg16-unet");
  }
}
