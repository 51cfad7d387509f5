package org.seg4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.seg4j.model.imports.ImportFormats;
import org.seg4j.run.ImportedRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code seg4j import}: a PyTorch model trained elsewhere ({@code .pth} or safetensors) becomes a
 * run folder that eval, predict and the Java API use like a trained run ({@link ImportedRun}).
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "import",
    description = {
      "Bring a PyTorch model (.pth or safetensors) trained with another repository into a run"
          + " folder (config.yml, checkpoints/best and last) that eval, predict and the Java API"
          + " use like a trained run. Every key and shape is checked first: missing, unexpected"
          + " (with the nearest expected name) and wrong-shape keys are listed, and nothing is"
          + " written.",
      "Formats: seg4j (our names), torchvision (vgg16/vgg16_bn as the encoder of fcn8s/16s/32s or"
          + " vgg16-unet; the decoder stays untrained), nested-unet (4uiiurz1: --arch nested-unet,"
          + " or --arch unet -O up=upsample for its plain UNet), bubbliiiing (--arch vgg16-unet),"
          + " milesial (--arch unet; bilinear=True: -O up=upsample -O halve=true)."
    })
final class ImportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "FORMAT",
      completionCandidates = Formats.class,
      description = "where the weights come from: ${COMPLETION-CANDIDATES}")
  String from;

  @Option(
      names = "--arch",
      required = true,
      description = "the seg4j architecture they are (see seg4j models)")
  String arch;

  @Option(
      names = {"-O", "--model-opt"},
      description = "architecture option key=value, e.g. -O up=upsample")
  Map<String, String> options = new LinkedHashMap<>();

  @Option(
      names = "--weights",
      required = true,
      paramLabel = "FILE",
      description = ".pth or" + " .safetensors state_dict")
  Path weights;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "RUN",
      description = "the run folder to create, e.g. runs/NAME")
  Path out;

  @Option(
      names = "--classes",
      defaultValue = "0",
      description = "output classes (default: the head's shape; required for --from torchvision)")
  int classes;

  @Option(
      names = "--in-channels",
      defaultValue = "0",
      description = "input channels (default: the first conv's shape)")
  int inChannels;

  @Option(
      names = "--normalize",
      paramLabel = "PRESET",
      description =
          "input normalisation: imagenet or none (default: what the source repository trains"
              + " with: imagenet for torchvision and nested-unet, none for the others)")
  String normalize;

  @Option(
      names = "--mean",
      split = ",",
      description = "normalisation mean per channel, e.g." + " 0.5,0.5,0.5 (with --std)")
  List<Double> mean = new ArrayList<>();

  @Option(names = "--std", split = ",", description = "normalisation std per channel (with --mean)")
  List<Double> std = new ArrayList<>();

  @Option(names = "--class-names", split = ",", description = "class names, e.g. background,cell")
  List<String> classNames = new ArrayList<>();

  @Option(names = "--overwrite", description = "replace an existing run folder at --out")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    List<String> lines =
        ImportedRun.create(
            new ImportedRun.Request(
                weights,
                from,
                arch,
                options,
                classes,
                inChannels,
                normalizeYaml(),
                classNames,
                out,
                overwrite));
    lines.forEach(l -> System.out.println(Hints.adapt(l, spec)));
    System.out.println(
        "use it like a trained run: seg4j predict --run "
            + out
            + " --input IMAGES, seg4j eval --run "
            + out
            + " --data DIR");
    return 0;
  }

  /** The {@code normalize} config value, or null for the format's default. */
  private String normalizeYaml() {
    if (mean.isEmpty() != std.isEmpty()) {
      throw new IllegalArgumentException("--mean and --std go together: give both, or neither");
    }
    if (!mean.isEmpty()) {
      if (normalize != null) {
        throw new IllegalArgumentException(
            "--normalize " + normalize + " and --mean/--std both set the normalisation: give one");
      }
      return "{mean: " + mean + ", std: " + std + "}";
    }
    if (normalize == null) {
      return null;
    }
    return normalize.equalsIgnoreCase("none") ? "null" : "{preset: " + normalize + "}";
  }

  /** The {@code --from} values, for the help text. */
  static final class Formats implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return ImportFormats.all().keySet().iterator();
    }
  }
}
