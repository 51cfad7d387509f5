package org.seg4j.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.seg4j.io.SafeTensors;
import org.seg4j.io.WeightsFileException;
import org.seg4j.model.Checkpoint;
import org.seg4j.model.ModelRegistry;
import org.seg4j.model.SegModel;
import org.seg4j.model.encoder.VggBackbone;
import org.seg4j.testutil.Golden;

/**
 * {@code seg4j import} against PyTorch twins of each source repository's network ({@code
 * tools/gen_import_fixtures.py}): the file is imported through {@link ImportedRun} (the CLI's
 * path), the run's best checkpoint is loaded as eval/predict load it, and every head's logits for
 * the two inputs match the twin's within the parity tolerance.
 */
class ImportParityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static NDManager manager;

  @TempDir Path tmp;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  /** Imports golden/imports/NAME.pth with the --from/--arch/-O its logits file names. */
  private List<String> importCase(String name, Path out) throws IOException {
    return importCase(name, out, 0);
  }

  private List<String> importCase(String name, Path out, int classes) throws IOException {
    SafeTensors.Contents logits = Golden.load("golden/imports/" + name + ".logits.safetensors");
    Map<String, String> meta = logits.metadata();
    Map<String, String> options =
        JSON.readValue(meta.get("options"), new TypeReference<Map<String, String>>() {});
    return ImportedRun.create(
        new ImportedRun.Request(
            Golden.path("golden/imports/" + name + ".pth"),
            meta.get("from"),
            meta.get("arch"),
            options,
            classes,
            0,
            null,
            List.of(),
            out,
            false));
  }

  /** The imported run's best checkpoint, built and loaded as eval and predict do. */
  private SegModel load(Path run) throws IOException {
    Checkpoint c = Checkpoint.load(run.resolve("checkpoints/best.safetensors"));
    SegModel model = ModelRegistry.create(c.config());
    model.init(manager, c.config().inChannels(), model.nearestSide(64));
    c.loadInto(model);
    return model;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "seg4j_unet",
        "nested_unet",
        "nested_unet_ds",
        "nested_plain_unet",
        "bubbliiiing",
        "milesial",
        "milesial_bilinear"
      })
  void importedModelGivesTheSourceNetworksLogits(String name) throws IOException {
    Path run = tmp.resolve(name);
    importCase(name, run);
    SafeTensors.Contents want = Golden.load("golden/imports/" + name + ".logits.safetensors");
    SegModel model = load(run);
    NDList got = model.forwardAll(new NDList(Golden.array(manager, want, "input")), false);
    double noise = 3 * Double.parseDouble(want.metadata().get("fp32_noise"));
    int heads = (int) want.tensors().keySet().stream().filter(k -> k.startsWith("out.")).count();
    assertThat(got).as(name + " heads").hasSize(heads);
    for (int k = 0; k < heads; k++) {
      NDArray expected = Golden.array(manager, want, "out." + k);
      Golden.assertParity(got.get(k), expected, noise, name + " head " + k);
      double diff = got.get(k).sub(expected).abs().max().getFloat();
      System.out.printf("import parity %s head %d: max |diff| %.2e%n", name, k, diff);
    }
    assertThat(Files.readString(run.resolve("config.yml")))
        .contains("arch: \"" + model.config().arch() + "\"");
  }

  @Test
  void torchvisionFillsTheEncoderAndSaysTheDecoderIsUntrained() throws IOException {
    Path run = tmp.resolve("tv");
    assertThatThrownBy(() -> importCase("torchvision_vgg16", run))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("torchvision_vgg16.pth")
        .hasMessageContaining("give model.classes=K");
    assertThat(run).doesNotExist();
    List<String> lines = importCase("torchvision_vgg16", run, 3);
    assertThat(String.join("\n", lines))
        .contains("only the VGG16 encoder comes from the file (26 tensors)")
        .contains("freshly initialised, untrained")
        .contains("normalize: {\"preset\":\"imagenet\"}");
    SafeTensors.Contents want = Golden.load("golden/imports/torchvision_vgg16.logits.safetensors");
    SegModel model = load(run);
    assertThat(model.config().classes()).isEqualTo(3);
    NDArray features =
        ((VggBackbone) model).encoder().forward(Golden.array(manager, want, "input"), false);
    NDArray expected = Golden.array(manager, want, "out.0");
    Golden.assertParity(features, expected, 0, "torchvision encoder features");
    System.out.printf(
        "import parity torchvision_vgg16 features: max |diff| %.2e%n",
        features.sub(expected).abs().max().getFloat());
  }

  @Test
  void wrongArchitectureListsMissingAndUnexpectedKeysAndWritesNothing() {
    Path out = tmp.resolve("wrong");
    assertThatThrownBy(
            () ->
                ImportedRun.create(
                    new ImportedRun.Request(
                        Golden.path("golden/imports/milesial_bilinear.pth"),
                        "milesial",
                        "unet",
                        Map.of(),
                        0,
                        0,
                        null,
                        List.of(),
                        out,
                        false)))
        .isInstanceOf(WeightsFileException.class)
        .hasMessageContaining("milesial_bilinear.pth does not fit from=milesial model.arch=unet")
        .hasMessageContaining("its keys look like model.arch=unet -O up=upsample -O halve=true")
        .hasMessageContaining("\n  missing: up1.up.weight")
        .hasMessageContaining("\n  wrong shape: down4.maxpool_conv.1.double_conv.0.weight");
    assertThat(out).doesNotExist();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void unexpectedKeysNameTheNearestExpectedOne() {
    assertThatThrownBy(
            () ->
                ImportedRun.create(
                    new ImportedRun.Request(
                        Golden.path("golden/imports/nested_unet_ds.pth"),
                        "nested-unet",
                        "nested-unet",
                        Map.of(),
                        0,
                        0,
                        null,
                        List.of(),
                        tmp.resolve("ds"),
                        false)))
        .hasMessageContaining("its keys look like model.arch=nested-unet -O deep_supervision=true")
        .hasMessageContaining("\n  missing: final.weight")
        .hasMessageContaining("\n  unexpected: final4.weight (nearest expected: final.weight)");
  }

  @Test
  void givenShapesMustMatchTheFile() {
    assertThatThrownBy(
            () ->
                ImportedRun.create(
                    new ImportedRun.Request(
                        Golden.path("golden/imports/milesial.pth"),
                        "milesial",
                        "unet",
                        Map.of(),
                        5,
                        0,
                        null,
                        List.of(),
                        tmp.resolve("m"),
                        false)))
        .hasMessageContaining("model.classes=5 does not match the weights: outc.conv.weight has 2");
  }

  @Test
  void anExistingRunIsReplacedOnlyWithOverwrite() throws IOException {
    Path run = tmp.resolve("again");
    importCase("milesial", run);
    assertThatThrownBy(() -> importCase("milesial", run))
        .hasMessageContaining("out=" + run + " already exists")
        .hasMessageContaining("overwrite=true");
    ImportedRun.create(
        new ImportedRun.Request(
            Golden.path("golden/imports/nested_plain_unet.pth"),
            "nested-unet",
            "unet",
            Map.of("up", "upsample"),
            0,
            0,
            "null",
            List.of("bg", "fg"),
            run,
            true));
    Map<String, String> meta =
        SafeTensors.readMetadata(run.resolve("checkpoints/last.safetensors"));
    assertThat(meta).containsEntry("import_format", "nested-unet");
    assertThat(meta.get(InferenceSpec.CLASS_NAMES)).isEqualTo("bg\nfg");
    assertThat(leftovers()).isEmpty();
  }

  /** Temp folders left beside the runs. */
  private List<Path> leftovers() {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.filter(p -> p.getFileName().toString().startsWith(".")).toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
