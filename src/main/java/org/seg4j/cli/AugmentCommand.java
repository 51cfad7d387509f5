package org.seg4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.IntUnaryOperator;
import org.seg4j.augment.AugmentConfig;
import org.seg4j.augment.OfflineAugment;
import org.seg4j.data.DatasetCheck;
import org.seg4j.data.FileDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code seg4j augment}: writes augmented copies of a dataset as lossless PNG. */
@Command(
    mixinStandardHelpOptions = true,
    name = "augment",
    description =
        "Write augmented copies of every sample (default: random flips and quarter turns) to"
            + " OUT/images/<id>_aug<k>.png and OUT/masks/<id>_aug<k>.png; reruns are identical.")
final class AugmentCommand implements Callable<Integer> {
  @Mixin DatasetOptions data;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "augmentation YAML (augment: [{type: hflip, p: 0.5}, ...]; default: flips+rot90)")
  Path config;

  @Option(names = "--copies", defaultValue = "1", description = "copies per sample (default: 1)")
  int copies;

  @Option(
      names = "--seed",
      defaultValue = "0",
      paramLabel = "N",
      description = "random seed (default: 0)")
  long seed;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder")
  Path out;

  @Option(
      names = "--mask-values",
      defaultValue = "index",
      paramLabel = "index|255",
      description =
          "write masks as class indices, or (2 classes) as 0/255 like binary input"
              + " (default: ${DEFAULT-VALUE})")
  String maskValues;

  @Override
  public Integer call() throws IOException {
    AugmentConfig cfg =
        config != null
            ? AugmentConfig.load(config)
            : AugmentConfig.parse(OfflineAugment.DEFAULT_CONFIG, "default");
    if (cfg.normalize() != null) {
      throw new IllegalArgumentException(
          config + ": 'normalize' applies at training time; remove it for seg4j augment");
    }
    FileDataset ds = DatasetCheck.verified(data.open());
    OfflineAugment.Options opts = new OfflineAugment.Options(copies, seed, labelToPixel(ds));
    OfflineAugment.Result r =
        OfflineAugment.run(ds, cfg.augment(), opts, out.resolve("images"), out.resolve("masks"));
    Path classes = out.resolve("classes.txt");
    if (!Files.exists(classes)) {
      Files.write(classes, ds.classNames().names());
    }
    System.out.printf(
        "wrote %d images to %s and %d masks to %s%n",
        r.images(), out.resolve("images"), r.masks(), out.resolve("masks"));
    System.out.println(
        "open them with --data "
            + out
            + " --format folder --mask "
            + (maskValues.equals("255") ? "binary255" : "index"));
    return 0;
  }

  private IntUnaryOperator labelToPixel(FileDataset ds) {
    switch (maskValues) {
      case "index":
        return v -> v;
      case "255":
        if (ds.numClasses() != 2) {
          throw new IllegalArgumentException(
              "--mask-values 255 writes binary masks but the dataset has "
                  + ds.numClasses()
                  + " classes: use --mask-values index");
        }
        if (ds.ignoreIndex() == 255) {
          throw new IllegalArgumentException(
              "--mask-values 255 would write class 1 as the ignore index 255:"
                  + " use --mask-values index or another --ignore-index");
        }
        return v -> v == 1 ? 255 : v;
      default:
        throw new IllegalArgumentException("--mask-values " + maskValues + ": use index or 255");
    }
  }
}
