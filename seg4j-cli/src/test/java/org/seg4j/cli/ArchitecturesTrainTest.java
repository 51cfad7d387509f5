package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.seg4j.data.SyntheticShapes;
import org.seg4j.io.SafeTensors;
import org.seg4j.io.SafeTensors.Tensor;
import org.seg4j.io.WeightsFiles;
import org.seg4j.run.TrainConfig;
import org.seg4j.testutil.Golden;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Issue 13 item 4, models in training: every architecture {@code seg4j models} lists trains one
 * tiny epoch through {@code seg4j train}, deep supervision trains every head, and {@code
 * --encoder-weights} puts a VGG16 state dict made here into the encoder.
 */
class ArchitecturesTrainTest {
  /** The architectures and the options that make each fit 16x16 (or, for VGG, 32x32) images. */
  static final Map<String, String[]> ARCHS = new LinkedHashMap<>();

  static {
    ARCHS.put("unet", new String[] {"--set", "model.options={depth: 2, bn: false}"});
    ARCHS.put(
        "unet-valid",
        new String[] {
          "--set", "model.options={depth: 1}", "--set", "augment=[{type: random_crop, size: 8}]"
        });
    ARCHS.put("nested-unet", new String[] {"--set", "model.options={}"});
    ARCHS.put("unet3plus", new String[] {"--set", "model.options={}"});
    ARCHS.put("fcn32s", new String[] {"--set", "model.options={fc_width: 8}"});
    ARCHS.put("fcn16s", new String[] {"--set", "model.options={fc_width: 8}"});
    ARCHS.put("fcn8s", new String[] {"--set", "model.options={fc_width: 8}"});
    ARCHS.put("vgg16-unet", new String[] {"--set", "model.options={}"});
  }

  @TempDir static Path dir;
  static Path small;
  static Path large;
  static Path runs;

  @BeforeAll
  static void data() throws Exception {
    small = TinyData.synthetic(dir.resolve("small"), 16);
    large = dir.resolve("large");
    new SyntheticShapes(32, false, 3).write(large, 16);
    runs = dir.resolve("runs");
  }

  static boolean vgg(String arch) {
    return arch.startsWith("fcn") || arch.startsWith("vgg");
  }

  static String[] args(String arch, String name, String... extra) {
    List<String> a = new ArrayList<>(List.of("--arch", arch, "--base", vgg(arch) ? "2" : "4"));
    a.addAll(List.of(ARCHS.get(arch)));
    a.addAll(List.of(extra));
    return TinyData.trainArgs(vgg(arch) ? large : small, runs, name, a.toArray(String[]::new));
  }

  @Test
  void theTestCoversEveryListedArchitecture() {
    CliRun r = CliRun.ok("models");
    // one row per architecture: name, base, parameter count, description
    List<String> listed =
        r.out()
            .lines()
            .filter(l -> l.matches("[a-z0-9-]+ +\\d+ +[\\d,]+  .*"))
            .map(l -> l.split(" ")[0])
            .toList();
    assertThat(listed).containsExactlyElementsOf(ARCHS.keySet());
  }

  static Stream<String> archs() {
    return ARCHS.keySet().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("archs")
  void eachArchitectureTrainsOneEpoch(String arch) throws Exception {
    String name = "arch-" + arch;
    CliRun r = CliRun.ok(args(arch, name, "--set", "optimizer.lr=0.01"));
    Path run = runs.resolve(name);
    assertThat(r.out()).contains("seg4j train: " + arch);
    assertThat(TrainConfig.load(run.resolve("config.yml")).str("model.arch")).isEqualTo(arch);
    assertThat(Double.parseDouble(RunFiles.logColumn(run, "train_loss").get(0))).isFinite();
    assertThat(Double.parseDouble(RunFiles.logColumn(run, "val_miou").get(0))).isBetween(0.0, 1.0);
    Map<String, String> meta =
        SafeTensors.readMetadata(run.resolve("checkpoints/last.safetensors"));
    assertThat(meta.toString()).contains(arch);
  }

  /** Each deep-supervision family, its head prefix and its number of heads. */
  static Stream<Arguments> deepFamilies() {
    return Stream.of(
        Arguments.of("nested-unet", "final", 1, 4), Arguments.of("unet3plus", "outconv", 1, 5));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deepFamilies")
  void deepSupervisionTrainsEveryHead(String arch, String head, int first, int last)
      throws Exception {
    // with weight 0 a head gets no gradient and adam leaves it as it started; with the default
    // (equal) weights the loss reaches every head, so each moves away from that start
    String ds = "model.options={deep_supervision: true}";
    int heads = last - first + 1;
    String onlyFirst = "[1" + ", 0".repeat(heads - 1) + "]";
    Path all = run(arch, arch + "-ds-all", "--set", ds);
    Path one =
        run(
            arch,
            arch + "-ds-first",
            "--set",
            ds,
            "--set",
            "loss.deep_supervision_weights=" + onlyFirst);
    Map<String, Tensor> a = RunFiles.tensors(all.resolve("checkpoints/last.safetensors"));
    Map<String, Tensor> f = RunFiles.tensors(one.resolve("checkpoints/last.safetensors"));
    assertThat(a.keySet()).contains(head + first + ".weight", head + last + ".weight");
    for (int k = first + 1; k <= last; k++) {
      assertThat(a.get(head + k + ".weight").data())
          .as("%s%d trained by the deep-supervision loss", head, k)
          .isNotEqualTo(f.get(head + k + ".weight").data());
    }
    assertThat(RunFiles.logColumn(all, "train_loss"))
        .isNotEqualTo(RunFiles.logColumn(one, "train_loss"));
  }

  private static Path run(String arch, String name, String... extra) {
    List<String> a = new ArrayList<>(List.of("--set", "optimizer.lr=0.01"));
    a.addAll(List.of(extra));
    CliRun.ok(args(arch, name, a.toArray(String[]::new)));
    return runs.resolve(name);
  }

  @Test
  void encoderWeightsAreTheEncoderAtTheStart() throws Exception {
    // the untrained model (lr 1e-30 moves nothing: no batch norm), its encoder as a torchvision
    // state_dict with every value changed, then a run that starts from that file
    Path untrained = run("vgg16-unet", "vgg-untrained", "--set", "optimizer.lr=1e-30");
    Map<String, Tensor> init = RunFiles.tensors(untrained.resolve("checkpoints/last.safetensors"));
    Map<String, Tensor> file = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : init.entrySet()) {
      if (e.getKey().startsWith("vgg.features.")) {
        float[] v = e.getValue().toFloats();
        for (int i = 0; i < v.length; i++) {
          v[i] = 0.5f * v[i] + 0.001f * (i % 7);
        }
        file.put(e.getKey().substring(4), Tensor.ofFloats(e.getValue().shape(), v));
      }
    }
    assertThat(file).isNotEmpty();
    Path weights = dir.resolve("vgg16.safetensors");
    SafeTensors.write(weights, file, Map.of());

    Path warm =
        run(
            "vgg16-unet",
            "vgg-warm",
            "--encoder-weights",
            weights.toString(),
            "--set",
            "optimizer.lr=1e-30");
    Map<String, Tensor> got = RunFiles.tensors(warm.resolve("checkpoints/last.safetensors"));
    for (Map.Entry<String, Tensor> e : file.entrySet()) {
      assertThat(got.get("vgg." + e.getKey()).data())
          .as("vgg.%s from the file", e.getKey())
          .isEqualTo(e.getValue().data());
    }
    RunFiles.assertSameTensors(
        untrained.resolve("checkpoints/last.safetensors"),
        warm.resolve("checkpoints/last.safetensors"),
        k -> !k.startsWith("vgg."));
    assertThat(Files.readString(warm.resolve("config.yml"))).contains("encoder_weights");
  }

  @Test
  void encoderWeightsTakeATorchvisionPth() throws Exception {
    // a torch.save'd torchvision VGG16 (base 2, classifier included) for a 3-channel vgg16-unet
    Path pth = Golden.path("golden/imports/torchvision_vgg16.pth");
    Path warm =
        run(
            "vgg16-unet",
            "vgg-pth",
            "--encoder-weights",
            pth.toString(),
            "--set",
            "data.channels=3",
            "--set",
            "optimizer.lr=1e-30");
    Map<String, Tensor> got = RunFiles.tensors(warm.resolve("checkpoints/last.safetensors"));
    Map<String, Tensor> file = WeightsFiles.read(pth).tensors();
    assertThat(file).containsKey("features.0.weight").containsKey("classifier.0.weight");
    file.forEach(
        (k, t) -> {
          if (k.startsWith("features.")) {
            assertThat(got.get("vgg." + k).data())
                .as("vgg.%s from the .pth", k)
                .isEqualTo(t.data());
          }
        });
  }

  @Test
  void trainHelpSaysWhichFilesTheWeightOptionsTake() {
    CommandSpec train = new CommandLine(new TrainCommand()).getCommandSpec();
    assertThat(String.join(" ", train.findOption("--encoder-weights").description()))
        .startsWith("a torchvision vgg16/vgg16_bn state_dict (.pth or .safetensors)");
    assertThat(String.join(" ", train.findOption("--init-from").description()))
        .contains("a state_dict with seg4j's names (.safetensors or .pth)");
    assertThat(CliRun.ok("train", "--help").out()).contains("--encoder-weights=FILE");
  }
}
