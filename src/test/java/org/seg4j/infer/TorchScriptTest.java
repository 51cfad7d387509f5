package org.seg4j.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.data.Sample;
import org.seg4j.io.SafeTensors;
import org.seg4j.model.ModelConfig;
import org.seg4j.model.ModelRegistry;
import org.seg4j.model.SegModel;
import org.seg4j.nn.StateDicts;

/**
 * A PyTorch-exported TorchScript U-Net (tools/gen_torchscript_fixture.py) runs through seg4j's
 * pipeline and gives what seg4j's own U-Net gives with the same weights.
 */
class TorchScriptTest {
  @TempDir Path tmp;

  static Path fixture(String name) throws Exception {
    return Path.of(TorchScriptTest.class.getResource("/golden/torchscript/" + name).toURI());
  }

  static Sample randomImage(int h, int w) {
    Random r = new Random(5);
    float[] img = new float[h * w];
    for (int i = 0; i < img.length; i++) {
      img[i] = r.nextFloat();
    }
    return new Sample("r", 1, h, w, img, null);
  }

  @Test
  void torchScriptAndSeg4jAgreeThroughThePipeline() throws Exception {
    Sample s = randomImage(40, 45);
    Prediction ts;
    try (Segmenter seg =
        Segmenter.fromTorchScript(
            fixture("tiny_unet.pt"), 2, 1, 16, null, "cpu", PredictOptions.sliding(32, 0.5))) {
      ts = seg.predict(s);
    }
    Prediction own;
    try (NDManager m = NDManager.newBaseManager()) {
      SegModel model = ModelRegistry.create(ModelConfig.of("unet", 1, 2, 4));
      model.init(m, 1, 32);
      StateDicts.load(
          model,
          SafeTensors.read(fixture("tiny_unet.safetensors")).tensors(),
          "fixture",
          n -> n,
          true);
      own =
          new Predictor(Network.of(model), m, PredictOptions.sliding(32, 0.5))
              .predict(1, 40, 45, s.image());
    }
    assertThat(ts.height()).isEqualTo(40);
    assertThat(ts.width()).isEqualTo(45);
    for (int i = 0; i < own.probabilities().length; i++) {
      assertThat(ts.probabilities()[i])
          .as("probability %d", i)
          .isCloseTo(own.probabilities()[i], org.assertj.core.data.Offset.offset(1e-4f));
    }
  }

  @Test
  void aValidConvolutionModelIsTiledWithMirroredContext() throws Exception {
    // the paper's U-Net (depth 2) returns logits 40 px smaller than its input; seg4j learns that
    // from the module and must give what its own unet-valid gives with the same weights
    Sample s = randomImage(40, 45);
    for (PredictOptions o : List.of(PredictOptions.whole(), PredictOptions.sliding(84, 0.5))) {
      Prediction ts;
      try (Segmenter seg =
          Segmenter.fromTorchScript(fixture("tiny_unet_valid.pt"), 2, 1, 4, null, "cpu", o)) {
        ts = seg.predict(s);
      }
      Prediction own;
      try (NDManager m = NDManager.newBaseManager()) {
        SegModel model =
            ModelRegistry.create(ModelConfig.of("unet-valid", 1, 2, 4).with("depth", "2"));
        model.init(m, 1, model.nearestSide(60));
        StateDicts.load(
            model,
            SafeTensors.read(fixture("tiny_unet_valid.safetensors")).tensors(),
            "fixture",
            n -> n,
            true);
        own = new Predictor(Network.of(model), m, o).predict(1, 40, 45, s.image());
      }
      assertThat(ts.height()).isEqualTo(40);
      assertThat(ts.width()).isEqualTo(45);
      assertThat(ts.mask()).isEqualTo(own.mask());
      for (int i = 0; i < own.probabilities().length; i++) {
        assertThat(ts.probabilities()[i])
            .as("probability %d with %s", i, o)
            .isCloseTo(own.probabilities()[i], org.assertj.core.data.Offset.offset(1e-4f));
      }
    }
  }

  @Test
  void wrongClassCountIsNamed() throws Exception {
    try (Segmenter seg =
        Segmenter.fromTorchScript(
            fixture("tiny_unet.pt"), 3, 1, 16, null, "cpu", PredictOptions.whole())) {
      assertThatThrownBy(() -> seg.predict(randomImage(32, 32)))
          .hasMessageContaining("--classes 3")
          .hasMessageContaining("(1, 2, ");
    }
  }

  @Test
  void notATorchScriptFileIsNamed() throws Exception {
    Path bad = tmp.resolve("bad.pt");
    Files.writeString(bad, "not a model");
    assertThatThrownBy(
            () -> Segmenter.fromTorchScript(bad, 2, 1, 16, null, "cpu", PredictOptions.whole()))
        .hasMessageContaining("bad.pt")
        .hasMessageContaining("torch.jit");
  }
}
