package org.seg4j.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.seg4j.data.Splits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code seg4j split}: a seeded train/val/test split written as VOC-style id lists. */
@Command(
    mixinStandardHelpOptions = true,
    name = "split",
    description =
        "Split a dataset's ids into train/val/test (seeded, reproducible) and write"
            + " OUT/ImageSets/Segmentation/{train,val,test}.txt; user files are never moved.")
final class SplitCommand implements Callable<Integer> {
  @Mixin DatasetOptions data;

  @Option(
      names = "--ratios",
      defaultValue = "8:1:1",
      paramLabel = "T:V:T",
      description = "train:val:test ratios, 1 to 3 numbers (default: ${DEFAULT-VALUE})")
  String ratios;

  @Option(
      names = "--seed",
      defaultValue = "0",
      paramLabel = "N",
      description = "shuffle seed (default: 0)")
  long seed;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "output folder: lists go to DIR/ImageSets/Segmentation/ (default: --data)")
  Path out;

  @Option(names = "--copy", description = "also copy each split's files to OUT/{split}/")
  boolean copy;

  @Option(names = "--overwrite", description = "replace existing list files")
  boolean overwrite;

  @Override
  public Integer call() throws IOException {
    double[] r = Splits.parseRatios(ratios);
    Path target = out != null ? out : data.data;
    Splits.SplitResult result;
    try {
      result = Splits.write(data.open(), target, r, seed, copy, overwrite);
    } catch (FileAlreadyExistsException e) {
      throw new IllegalArgumentException(
          e.getFile()
              + " exists: "
              + (e.getReason() != null
                  ? "pass --overwrite to replace the lists, or choose another --out"
                  : "--copy never replaces files; choose another --out"),
          e);
    }
    System.out.print(result.toText());
    return 0;
  }
}
