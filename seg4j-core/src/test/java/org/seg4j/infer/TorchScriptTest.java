package org.seg4j.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.data.Sample;
import org.seg4j.io.SafeTensors;
import org.seg4j.model.ModelConfig;
import org.seg4j.model.ModelRegistry;
import org.seg4j.model.SegModel;
import org.seg4j.nn.StateDicts;
import org.seg4j.testutil.Golden;

/**
 * A PyTorch-exported TorchScript U-Net (tools/gen_torchscript_fixture.py) runs through seg4j's
 * pipeline and gives PyTorch's own probabilities on two stored images, and what seg4j's own U-Net
 * gives with the same weights. The fixture's class-1 probability spans 0.15–0.86 and moves by 66%
 * between the two images, so a flipped, zeroed or swapped input fails (checked below).
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

  /** Image {@code n} of tiny_unet_io.safetensors as a sample. */
  static Sample storedImage(SafeTensors.Contents io, int n) {
    float[] all = Golden.tensor(io, "input").toFloats();
    int side = 32;
    float[] img = Arrays.copyOfRange(all, n * side * side, (n + 1) * side * side);
    return new Sample("io" + n, 1, side, side, img, null);
  }

  /** PyTorch's softmax for image {@code n}, (2, 32, 32) flat. */
  static float[] storedProbabilities(SafeTensors.Contents io, int n) {
    float[] all = Golden.tensor(io, "probabilities").toFloats();
    int size = 2 * 32 * 32;
    return Arrays.copyOfRange(all, n * size, (n + 1) * size);
  }

  static float[] torchScriptProbabilities(Sample s) throws Exception {
    try (LoadedModel seg =
        LoadedModel.fromTorchScript(
            fixture("tiny_unet.pt"), 2, 1, 16, null, "cpu", TileOptions.whole())) {
      return seg.predict(s).probabilities();
    }
  }

  @Test
  void torchScriptGivesPyTorchsProbabilities() throws Exception {
    SafeTensors.Contents io = SafeTensors.read(fixture("tiny_unet_io.safetensors"));
    for (int n = 0; n < 2; n++) {
      Golden.assertParity(
          torchScriptProbabilities(storedImage(io, n)),
          storedProbabilities(io, n),
          new long[] {2, 32, 32},
          0,
          "tiny_unet.pt image " + n);
    }
  }

  /**
   * Mutation check (issue 13 item 2): the comparison above fails when the pipeline flips the image,
   * feeds zeros or takes the other stored image.
   */
  @Test
  void aCorruptedInputFailsTheComparison() throws Exception {
    SafeTensors.Contents io = SafeTensors.read(fixture("tiny_unet_io.safetensors"));
    Sample s = storedImage(io, 0);
    float[] flipped = new float[32 * 32];
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        flipped[y * 32 + x] = s.image()[y * 32 + 31 - x];
      }
    }
    Map<String, Sample> bugs = new LinkedHashMap<>();
    bugs.put("flipped left-right", new Sample("f", 1, 32, 32, flipped, null));
    bugs.put("zeros", new Sample("z", 1, 32, 32, new float[32 * 32], null));
    bugs.put("the other image", storedImage(io, 1));
    for (Map.Entry<String, Sample> bug : bugs.entrySet()) {
      float[] got = torchScriptProbabilities(bug.getValue());
      assertThatThrownBy(
              () ->
                  Golden.assertParity(
                      got, storedProbabilities(io, 0), new long[] {2, 32, 32}, 0, bug.getKey()))
          .as("input %s", bug.getKey())
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("differ from PyTorch");
    }
  }

  @Test
  void torchScriptAndSeg4jAgreeThroughThePipeline() throws Exception {
    Sample s = randomImage(40, 45);
    PredictionMaps ts;
    try (LoadedModel seg =
        LoadedModel.fromTorchScript(
            fixture("tiny_unet.pt"), 2, 1, 16, null, "cpu", TileOptions.sliding(32, 0.5))) {
      ts = seg.predict(s);
    }
    PredictionMaps own;
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
          new Predictor(Network.of(model), m, TileOptions.sliding(32, 0.5))
              .predict(1, 40, 45, s.image());
    }
    assertThat(ts.height()).isEqualTo(40);
    assertThat(ts.width()).isEqualTo(45);
    Golden.assertParity(
        ts.probabilities(),
        own.probabilities(),
        new long[] {2, 40, 45},
        0,
        "TorchScript vs seg4j's unet, sliding 32");
  }

  @Test
  void aValidConvolutionModelIsTiledWithMirroredContext() throws Exception {
    // the paper's U-Net (depth 2) returns logits 40 px smaller than its input; seg4j learns that
    // from the module and must give what its own unet-valid gives with the same weights
    Sample s = randomImage(40, 45);
    for (TileOptions o : List.of(TileOptions.whole(), TileOptions.sliding(84, 0.5))) {
      PredictionMaps ts;
      try (LoadedModel seg =
          LoadedModel.fromTorchScript(fixture("tiny_unet_valid.pt"), 2, 1, 4, null, "cpu", o)) {
        ts = seg.predict(s);
      }
      PredictionMaps own;
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
      Golden.assertParity(
          ts.probabilities(),
          own.probabilities(),
          new long[] {2, 40, 45},
          0,
          "TorchScript vs seg4j's unet-valid with " + o);
    }
  }

  @Test
  void wrongClassCountIsNamed() throws Exception {
    try (LoadedModel seg =
        LoadedModel.fromTorchScript(
            fixture("tiny_unet.pt"), 3, 1, 16, null, "cpu", TileOptions.whole())) {
      assertThatThrownBy(() -> seg.predict(randomImage(32, 32)))
          .hasMessageContaining("model.classes=3")
          .hasMessageContaining("(1, 2, ");
    }
  }

  @Test
  void notATorchScriptFileIsNamed() throws Exception {
    Path bad = tmp.resolve("bad.pt");
    Files.writeString(bad, "not a model");
    assertThatThrownBy(
            () -> LoadedModel.fromTorchScript(bad, 2, 1, 16, null, "cpu", TileOptions.whole()))
        .hasMessageContaining("bad.pt")
        .hasMessageContaining("torch.jit");
  }
}
