package org.seg4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.io.SafeTensors;
import org.seg4j.io.WeightsFileException;
import org.seg4j.nn.Activation;
import org.seg4j.nn.BatchNorm2d;
import org.seg4j.nn.Conv2d;
import org.seg4j.nn.Sequential;
import org.seg4j.testutil.Golden;

/** Checkpoint: save and load with config and metadata, strict load, atomic overwrite. */
class CheckpointTest {
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

  /** A hand-built two-layer net standing in for a registered architecture. */
  static final class TinyNet extends SegModel {
    private final Sequential body;

    TinyNet(ModelConfig config) {
      super(config);
      int c = config.base();
      body =
          child(
              "body",
              new Sequential(
                  new Conv2d(config.inChannels(), c, 3, 1),
                  new BatchNorm2d(c),
                  Activation.relu(),
                  new Conv2d(c, config.classes(), 1, 0)));
    }

    @Override
    public int sideMultiple() {
      return 1;
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
      return body.forward(x, training);
    }
  }

  private static final ModelConfig CONFIG =
      new ModelConfig("tiny", 1, 2, 4, Map.of("bn", "true", "up", "bilinear"));

  private static TinyNet tiny(ModelConfig config) {
    TinyNet n = new TinyNet(config);
    n.init(manager, config.inChannels(), 8);
    return n;
  }

  @Test
  void savesAndLoadsConfigMetadataAndWeights() throws IOException {
    TinyNet a = tiny(CONFIG);
    try (NDManager m = manager.newSubManager()) {
      a.forward(m.randomNormal(new Shape(2, 1, 8, 8)), true);
    }
    Path f = dir.resolve("best.safetensors");
    Checkpoint.save(f, a, Map.of("epoch", "7", "val_miou", "0.8125"));

    ModelConfig read = Checkpoint.read(f);
    assertThat(read).isEqualTo(CONFIG);
    Checkpoint c = Checkpoint.load(f);
    assertThat(c.config()).isEqualTo(CONFIG);
    assertThat(c.metadata()).containsOnly(Map.entry("epoch", "7"), Map.entry("val_miou", "0.8125"));

    TinyNet b = tiny(read); // as ModelRegistry.create(read) would
    c.loadInto(b);
    for (Map.Entry<String, Parameter> e : a.stateDict().entrySet()) {
      assertThat(b.stateDict().get(e.getKey()).getArray().toFloatArray())
          .as(e.getKey())
          .containsExactly(e.getValue().getArray().toFloatArray());
    }
    assertThat(b.extraState()).isEqualTo(a.extraState());
    try (NDManager m = manager.newSubManager()) {
      NDArray x = m.randomNormal(new Shape(1, 1, 8, 8));
      assertThat(b.forward(x, false).toFloatArray())
          .containsExactly(a.forward(x, false).toFloatArray());
    }
  }

  @Test
  void theFileIsPlainSafetensorsWithTheDocumentedMetadata() throws IOException {
    Path f = dir.resolve("c.safetensors");
    Checkpoint.save(f, tiny(CONFIG), Map.of("epoch", "1"));
    Map<String, String> meta = SafeTensors.readMetadata(f);
    assertThat(meta)
        .containsEntry("format", "seg4j-checkpoint")
        .containsEntry("version", "1")
        .containsEntry("epoch", "1");
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(meta.get("config")))
        .isEqualTo(
            json.readTree(
                "{\"arch\":\"tiny\",\"inChannels\":1,\"classes\":2,\"base\":4,"
                    + "\"options\":{\"bn\":\"true\",\"up\":\"bilinear\"}}"));
    assertThat(SafeTensors.read(f).tensors()).containsKeys("body.0.weight", "body.3.bias");
  }

  @Test
  void aDifferentModelGetsEveryMismatchListed() throws IOException {
    Path f = dir.resolve("c.safetensors");
    Checkpoint.save(f, tiny(CONFIG), Map.of());
    TinyNet wider = tiny(new ModelConfig("tiny", 1, 3, 4, Map.of()));
    assertThatThrownBy(() -> Checkpoint.load(f).loadInto(wider))
        .isInstanceOf(WeightsFileException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining(
            "body.3.weight is [2, 4, 1, 1] in the file, the model needs [3, 4, 1, 1]")
        .hasMessageContaining("body.3.bias");
  }

  @Test
  void aPlainStateDictIsNotACheckpoint() {
    Path f = Golden.path("golden/layers/state_dict_torch.safetensors");
    assertThatThrownBy(() -> Checkpoint.read(f))
        .isInstanceOf(WeightsFileException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("is not a seg4j checkpoint")
        .hasMessageContaining("StateDicts.load");
  }

  @Test
  void anUnknownVersionIsRefused() throws IOException {
    Path f = dir.resolve("future.safetensors");
    SafeTensors.write(
        f, Map.of(), Map.of("format", "seg4j-checkpoint", "version", "9", "config", "{}"));
    assertThatThrownBy(() -> Checkpoint.load(f))
        .isInstanceOf(WeightsFileException.class)
        .hasMessageContaining("version 9")
        .hasMessageContaining("reads version 1");
  }

  @Test
  void aBadConfigIsReported() throws IOException {
    Path f = dir.resolve("bad.safetensors");
    SafeTensors.write(
        f,
        Map.of(),
        Map.of(
            "format", "seg4j-checkpoint",
            "version", "1",
            "config", "{\"arch\":\"tiny\",\"inChannels\":0,\"classes\":2,\"base\":4}"));
    assertThatThrownBy(() -> Checkpoint.read(f))
        .isInstanceOf(WeightsFileException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("in_channels=0");
  }

  @Test
  void reservedMetadataKeysAreRefused() {
    assertThatThrownBy(
            () ->
                Checkpoint.save(dir.resolve("x.safetensors"), tiny(CONFIG), Map.of("config", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'config' is reserved");
  }

  @Test
  void overwritingReplacesTheFileAndLeavesNoTemp() throws IOException {
    Path f = dir.resolve("last.safetensors");
    Checkpoint.save(f, tiny(CONFIG), Map.of("epoch", "1"));
    Checkpoint.save(f, tiny(CONFIG), Map.of("epoch", "2"));
    assertThat(Checkpoint.load(f).metadata()).containsEntry("epoch", "2");
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.toList()).containsExactly(f);
    }
  }
}
