package org.seg4j.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.seg4j.data.DatasetFormat;
import org.seg4j.data.Splits;
import org.seg4j.io.OutputFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code seg4j split}: a seeded train/val/test split written as VOC-style id lists. */
@Command(
    mixinStandardHelpOptions = true,
    name = "split",
    description =
        "Split a dataset's ids into train/val/test (seeded, reproducible) and write"
            + " OUT/ImageSets/Segmentation/{train,val,test}.txt; user files are never moved."
            + " With --copy, OUT/{train,val,test}/ hold copies in the dataset's own layout: train"
            + " on them with --data OUT --set data.train=train --set data.val=val.")
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

  @Option(
      names = "--copy",
      description = "also copy each split's files to OUT/{split}/, in the dataset's own layout")
  boolean copy;

  @Option(names = "--overwrite", description = "replace existing list files")
  boolean overwrite;

  @Override
  public Integer call() throws IOException {
    double[] r = Splits.parseRatios(ratios);
    Path target = out != null ? out : data.data;
    if (out != null) {
      OutputFolder.ensure(out, "output folder", "--out");
    }
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
    System.out.println("to train on it: " + trainHint(result, target));
    return 0;
  }

  /**
   * The train flags that use what was written: with --copy the split folders (data.root OUT,
   * data.train: train), else the lists, by split name when they lie in the dataset's own folder.
   */
  private String trainHint(Splits.SplitResult result, Path target) {
    boolean inPlace =
        target.toAbsolutePath().normalize().equals(data.data.toAbsolutePath().normalize());
    StringBuilder sb = new StringBuilder("seg4j train --data ");
    sb.append(copy ? target : data.data);
    if (data.format != DatasetFormat.FOLDER) {
      sb.append(" --format ").append(data.format.key());
    }
    for (int i = 0; i < 2 && i < result.listFiles().size(); i++) {
      String name = Splits.NAMES.get(i);
      if (result.lists().get(name).isEmpty()) {
        continue;
      }
      String value =
          copy || inPlace
              ? name
              : result.listFiles().get(i).toAbsolutePath().normalize().toString();
      sb.append(" --set data.").append(name).append('=').append(value);
    }
    return sb.toString();
  }
}
