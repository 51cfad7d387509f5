package org.seg4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.IntUnaryOperator;
import org.seg4j.augment.AugmentConfig;
import org.seg4j.augment.MergeAugment;
import org.seg4j.augment.OfflineAugment;
import org.seg4j.data.DatasetCheck;
import org.seg4j.data.DatasetFactory;
import org.seg4j.data.DatasetFormat;
import org.seg4j.data.FileDataset;
import org.seg4j.data.Ids;
import org.seg4j.data.Sample;
import org.seg4j.data.Splits;
import org.seg4j.io.AtomicFiles;
import org.seg4j.io.OutputFolder;
import org.seg4j.report.AugmentPreview;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code seg4j augment}: writes augmented copies of a dataset as lossless PNG. */
@Command(
    mixinStandardHelpOptions = true,
    name = "augment",
    description =
        "Write augmented copies of every sample (default: random flips and quarter turns) to"
            + " OUT/images/<id>_aug<k>.png and OUT/masks/<id>_aug<k>.png; reruns are identical."
            + " With --into, add copies of the training ids beside the originals, in the dataset's"
            + " own layout, and append their ids to its train list. With --preview N, draw N"
            + " samples before and after the pipeline to preview.png and write nothing else.")
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

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "output folder (for --preview: where preview.png goes, default: .)")
  Path out;

  @Option(
      names = "--into",
      arity = "0..1",
      fallbackValue = "",
      paramLabel = "DIR",
      description =
          "add the copies to the --data dataset itself (DIR, if given, must be that folder):"
              + " <id>_aug<k> files beside the originals, ids appended to its train list; the ids"
              + " augmented are the train list's, or --split train / --list FILE")
  String into;

  @Option(
      names = "--overwrite",
      description = "with --into, rewrite copies that already exist instead of skipping them")
  boolean overwrite;

  @Option(
      names = "--preview",
      paramLabel = "N",
      description =
          "draw N random samples before and after the pipeline (image, mask, augmented image,"
              + " augmented mask) to OUT/preview.png and write nothing else")
  Integer preview;

  /** Side of one preview tile in pixels. */
  static final int PREVIEW_CELL = 128;

  @Option(
      names = "--mask-values",
      defaultValue = "index",
      paramLabel = "index|255",
      description =
          "write masks as class indices, or (2 classes) as 0/255 like binary input; 0/255 masks"
              + " have no void value, so nothing is ignored unless --ignore-index says"
              + " (default: ${DEFAULT-VALUE})")
  String maskValues;

  /** The transform types and their keys, for the help's footer. */
  static String transformsHelp() {
    return "%nTransforms of the --config list (- {type: T, key: value, ...}), as key=default:%n"
        + AugmentConfig.transformHelp().replace("%", "%%").replace("\n", "%n");
  }

  @Override
  public Integer call() throws IOException {
    if (maskValues.equals("255") && data.ignoreIndex == null) {
      data.ignoreIndex = -1; // 255 is class 1 in the masks written, so it cannot mean void
    }
    AugmentConfig cfg =
        config != null
            ? AugmentConfig.load(config)
            : AugmentConfig.parse(OfflineAugment.DEFAULT_CONFIG, "default");
    if (cfg.normalize() != null) {
      throw new IllegalArgumentException(
          config + ": 'normalize' applies at training time; remove it for seg4j augment");
    }
    if (preview != null) {
      if (into != null) {
        throw new IllegalArgumentException(
            "--preview writes only a picture: run it first, then --into without --preview");
      }
      return preview(cfg);
    }
    if (into != null) {
      return merge(cfg);
    }
    if (out == null) {
      throw new IllegalArgumentException(
          "give --out DIR for the copies, --into to add them to the dataset, or --preview N");
    }
    OutputFolder.ensure(out, "output folder", "--out");
    FileDataset ds = DatasetCheck.verified(data.open());
    OfflineAugment.Options opts = new OfflineAugment.Options(copies, seed, labelToPixel(ds));
    OfflineAugment.Result r =
        OfflineAugment.run(ds, cfg.augment(), opts, out.resolve("images"), out.resolve("masks"));
    Path classes = out.resolve("classes.txt");
    if (!Files.exists(classes)) {
      AtomicFiles.writeLines(classes, ds.classNames().names());
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

  private int merge(AugmentConfig cfg) {
    Path root = data.data.toAbsolutePath().normalize();
    if (!into.isEmpty() && !Path.of(into).toAbsolutePath().normalize().equals(root)) {
      throw new IllegalArgumentException(
          "--into "
              + into
              + " is not the --data folder "
              + data.data
              + ": copies go beside the originals; give --into alone or the same folder");
    }
    if (data.split != null && !data.split.replaceFirst("\\.txt$", "").equals("train")) {
      throw new IllegalArgumentException(
          "--split "
              + data.split
              + ": --into adds copies to training, and augmenting these ids would leak them"
              + " there; use --split train (the default), or name the ids with --list FILE");
    }
    Path trainList = Splits.findList(root, "train");
    if (trainList == null) {
      List<Path> tried = Splits.listCandidates(root, "train");
      throw new IllegalArgumentException(
          tried.get(0)
              + " does not exist, nor do "
              + root.relativize(tried.get(1))
              + " and "
              + root.relativize(tried.get(2))
              + ": --into appends the copies to the train list; write the lists first with"
              + " `seg4j split --data "
              + data.data
              + "` (same folder and pattern flags)");
    }
    FileDataset ds =
        data.list == null && data.split == null
            ? DatasetFactory.open(data.spec().toBuilder().split("train").build())
            : data.open();
    ds = DatasetCheck.verified(ds);
    if (data.list != null) {
      warnHeldOut(ds, root);
    }
    MergeAugment.Result r = MergeAugment.run(ds, cfg.augment(), copies, seed, trainList, overwrite);
    System.out.printf(
        "augment --into %s: %d copies written (%d new ids), %d skipped (already there%s)%n",
        root,
        r.written().size(),
        r.appended().size(),
        r.skipped().size(),
        overwrite ? "" : "; --overwrite rewrites them");
    if (!r.copiesNotAugmented().isEmpty()) {
      System.out.printf(
          "%d listed ids are copies themselves (e.g. %s) and were not augmented again%n",
          r.copiesNotAugmented().size(), r.copiesNotAugmented().get(0));
    }
    System.out.printf(
        "appended %d ids to %s (now %d ids); val/test lists untouched%n",
        r.appended().size(), trainList, Ids.readList(trainList).size());
    r.notes().forEach(n -> System.out.println("note: " + n));
    System.out.printf(
        "train on them: seg4j train --data %s%s --set data.train=train%s%n",
        data.data,
        data.format == DatasetFormat.FOLDER ? "" : " --format " + data.format.key(),
        Splits.findList(root, "val") != null ? " --set data.val=val" : "");
    return 0;
  }

  /** Says when explicitly listed ids are also in a val or test list. */
  private static void warnHeldOut(FileDataset ds, Path root) {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < ds.size(); i++) {
      ids.add(ds.id(i));
    }
    for (String split : List.of("val", "test")) {
      Path list = Splits.findList(root, split);
      if (list != null) {
        long n = Ids.readList(list).stream().filter(ids::contains).count();
        if (n > 0) {
          System.out.printf(
              "warning: %d ids of --list are in %s; their copies will be in training%n", n, list);
        }
      }
    }
  }

  private int preview(AugmentConfig cfg) throws IOException {
    if (preview < 1) {
      throw new IllegalArgumentException("--preview " + preview + ": give 1 or more samples");
    }
    FileDataset ds = DatasetCheck.verified(data.open());
    if (!ds.labelled()) {
      throw new IllegalArgumentException(
          data.data + " has no masks: --preview shows image and mask pairs; check --masks");
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < ds.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(seed));
    int n = Math.min(preview, ds.size());
    List<AugmentPreview.Row> rows = new ArrayList<>();
    for (int i : order.subList(0, n)) {
      Sample before = ds.get(i);
      Sample after = cfg.augment().apply(before, MergeAugment.stream(seed, 0, before.id()));
      rows.add(new AugmentPreview.Row(before, after));
    }
    Path png = (out != null ? out : Path.of("")).resolve("preview.png").toAbsolutePath();
    String title =
        "augment preview: "
            + (config != null ? config.getFileName() : "default flips + rot90")
            + ", seed "
            + seed;
    new AugmentPreview(PREVIEW_CELL, ds.classNames().names(), ds.ignoreIndex())
        .write(png, title, rows);
    System.out.printf(
        "wrote %s: %d rows of image | mask | augmented image | augmented mask"
            + " (copy 0 of --into with seed %d)%s; nothing else written%n",
        png, n, seed, n < preview ? " (the dataset has only " + n + " samples)" : "");
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
