package org.seg4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.io.SafeTensors;
import org.seg4j.io.SafeTensors.Contents;
import org.seg4j.io.SafeTensors.Tensor;
import org.seg4j.io.WeightsFileException;
import org.seg4j.testutil.Golden;

/** state_dict import/export: PyTorch files load and match, names map one to one, errors list. */
class StateDictsTest {
  private static final String TORCH = "golden/layers/state_dict_torch.safetensors";
  private static NDManager manager;

  @TempDir Path dir;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  /** The Java twin of the fixture's nn.Sequential(Conv2d, BatchNorm2d, ReLU, ConvTranspose2d). */
  private static Sequential tiny() {
    Sequential s =
        new Sequential(
            new Conv2d(2, 3, 3, 1),
            new BatchNorm2d(3),
            Activation.relu(),
            new ConvTranspose2d(3, 2, 2, 2));
    s.init(manager, 2, 6);
    return s;
  }

  @Test
  void pyTorchStateDictLoadsAndGivesPyTorchsEvalOutput() throws IOException {
    Sequential model = tiny();
    StateDicts.load(model, Golden.path(TORCH));
    assertThat(model.extraState()).containsEntry("1.num_batches_tracked", 3L);
    Contents io = Golden.load("golden/layers/state_dict_io.safetensors");
    try (NDManager m = manager.newSubManager()) {
      NDArray y = model.forward(Golden.array(m, io, "x"), false);
      Golden.assertClose(y, Golden.tensor(io, "y_eval"), 1e-4, 1e-5, "eval forward");
    }
  }

  @Test
  void exportHasPyTorchsNamesDtypesShapesAndValues() throws IOException {
    Sequential model = tiny();
    StateDicts.load(model, Golden.path(TORCH));
    Path out = dir.resolve("exported.safetensors");
    StateDicts.save(model, out, Map.of());
    Map<String, Tensor> torch = SafeTensors.read(Golden.path(TORCH)).tensors();
    Map<String, Tensor> ours = SafeTensors.read(out).tensors();
    assertThat(ours.keySet()).containsExactlyInAnyOrderElementsOf(torch.keySet());
    for (Map.Entry<String, Tensor> e : torch.entrySet()) {
      Tensor mine = ours.get(e.getKey());
      assertThat(mine.dtype()).as(e.getKey() + " dtype").isEqualTo(e.getValue().dtype());
      assertThat(mine.shape()).as(e.getKey() + " shape").isEqualTo(e.getValue().shape());
      assertThat(mine.data()).as(e.getKey() + " bytes").isEqualTo(e.getValue().data());
    }
    // PyTorch's state_dict order, not the file's alphabetical one
    assertThat(ours.keySet())
        .containsExactly(
            "0.weight",
            "0.bias",
            "1.weight",
            "1.bias",
            "1.running_mean",
            "1.running_var",
            "1.num_batches_tracked",
            "3.weight",
            "3.bias");
  }

  @Test
  void exportThenImportGivesIdenticalArrays() throws IOException {
    Sequential a = tiny();
    try (NDManager m = manager.newSubManager()) {
      a.forward(m.randomNormal(new Shape(2, 2, 6, 6)), true); // moves running stats, counter 1
    }
    Path f = dir.resolve("roundtrip.safetensors");
    StateDicts.save(a, f, Map.of("epoch", "1"));
    Sequential b = tiny();
    assertThat(StateDicts.load(b, f)).containsEntry("epoch", "1");
    for (Map.Entry<String, Parameter> e : a.stateDict().entrySet()) {
      float[] want = e.getValue().getArray().toFloatArray();
      float[] got = b.stateDict().get(e.getKey()).getArray().toFloatArray();
      assertThat(got).as(e.getKey()).containsExactly(want);
    }
    assertThat(b.extraState()).isEqualTo(a.extraState()).containsEntry("1.num_batches_tracked", 1L);
  }

  @Test
  void missingUnexpectedAndWrongShapeKeysAreAllListedAndNothingChanges() {
    // 0 is wider (wrong shapes), 3 is a parameter-free layer (3.* unexpected), 4 is new (missing)
    Sequential model =
        new Sequential(
            new Conv2d(2, 4, 3, 1),
            new BatchNorm2d(3),
            Activation.relu(),
            Activation.relu(),
            new Conv2d(3, 2, 1, 0));
    model.init(manager, 2, 6);
    float[] before = model.stateDict().get("1.weight").getArray().toFloatArray();
    Path file = Golden.path(TORCH);
    assertThatThrownBy(() -> StateDicts.load(model, file))
        .isInstanceOf(WeightsFileException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("2 missing keys: 4.weight, 4.bias")
        .hasMessageContaining("2 unexpected keys: 3.bias, 3.weight")
        .hasMessageContaining("2 wrong shapes")
        .hasMessageContaining("0.weight is [3, 2, 3, 3] in the file, the model needs [4, 2, 3, 3]")
        .hasMessageContaining("0.bias is [3] in the file, the model needs [4]")
        .hasMessageContaining("model.arch");
    assertThat(model.stateDict().get("1.weight").getArray().toFloatArray())
        .as("a failed load changes nothing")
        .containsExactly(before);
  }

  @Test
  void renameMapsKeysAndDropsOthers() throws IOException {
    Sequential model = tiny();
    Map<String, Tensor> prefixed = new LinkedHashMap<>();
    SafeTensors.read(Golden.path(TORCH)).tensors().forEach((k, v) -> prefixed.put("net." + k, v));
    prefixed.put("head.weight", Tensor.ofFloats(new long[] {1}, new float[] {1}));
    StateDicts.load(
        model, prefixed, "prefixed", k -> k.startsWith("net.") ? k.substring(4) : null, true);
    assertThat(model.extraState()).containsEntry("1.num_batches_tracked", 3L);
  }

  @Test
  void truncatedWeightsFileNamesTheFile() throws IOException {
    byte[] all = Files.readAllBytes(Golden.path(TORCH));
    Path f = dir.resolve("cut.safetensors");
    Files.write(f, Arrays.copyOf(all, all.length / 2 + 100));
    assertThatThrownBy(() -> StateDicts.load(tiny(), f))
        .isInstanceOf(WeightsFileException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("truncated");
  }
}
