package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code seg4j train} on the split lists and split folders a user has: VOC's ImageSets lists,
 * relative list paths in a config file kept in another folder, the output of {@code seg4j split
 * --copy}, and no validation set at all. Each trains one epoch of a tiny U-Net.
 */
class TrainSplitsCommandTest {
  @TempDir Path dir;

  private String[] train(String name, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "train",
                "--runs",
                dir.resolve("runs").toString(),
                "--name",
                name,
                "--base",
                "4",
                "--epochs",
                "1",
                "--batch",
                "2",
                "--no-progress",
                "--set",
                "model.options={depth: 2}",
                "--set",
                "data.workers=0"));
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  private Path run(String name) {
    return dir.resolve("runs").resolve(name);
  }

  /** The cells of one log.csv column, header excluded. */
  static List<String> column(Path log, String name) throws IOException {
    List<String> lines = Files.readAllLines(log);
    int k = Arrays.asList(lines.get(0).split(",", -1)).indexOf(name);
    assertThat(k).as(lines.get(0)).isNotNegative();
    List<String> out = new ArrayList<>();
    for (String l : lines.subList(1, lines.size())) {
      out.add(l.split(",", -1)[k]);
    }
    return out;
  }

  private static void assertValidated(Path runDir, int epochs) throws IOException {
    List<String> miou = column(runDir.resolve("log.csv"), "val_miou");
    assertThat(miou).hasSize(epochs);
    assertThat(miou)
        .allSatisfy(v -> assertThat(Double.parseDouble(v)).isBetween(0.0, 1.0))
        .noneMatch(v -> v.contains("NaN"));
  }

  @Test
  void vocWithPaletteMasksAndVoidBordersTrainsOnItsImageSetsListsAndValidates() throws IOException {
    Path voc = TinyData.vocWithBorders(dir.resolve("VOC2012"), 6, 16);
    CliRun r =
        CliRun.ok(
            train(
                "voc",
                "--data",
                voc.toString(),
                "--format",
                "voc",
                "--classes",
                "3",
                "--in-channels",
                "3"));
    assertThat(r.out())
        .contains("on 4 images (data.train: ImageSets/Segmentation/train.txt)")
        .contains("validating on 2 (data.val: ImageSets/Segmentation/val.txt)")
        .contains("val_mIoU")
        .doesNotContain("NaN");
    assertValidated(run("voc"), 1);
    // the run's config.yml names the lists it used, so a resume or eval reads the same ones
    assertThat(Files.readString(run("voc").resolve("config.yml")))
        .contains(voc.resolve("ImageSets/Segmentation/train.txt").toString())
        .contains(voc.resolve("ImageSets/Segmentation/val.txt").toString())
        .contains("mask: \"index\"");
  }

  @Test
  void relativeListPathsInAConfigFileElsewhereResolveFromItsFolderThenFromTheDataRoot()
      throws IOException {
    Path voc = TinyData.vocWithBorders(dir.resolve("data/VOC"), 6, 16);
    // val: a list kept beside the config; train: a path below data.root (VOC mangled this one
    // into ImageSets/Segmentation/ImageSets/Segmentation/train.txt.txt)
    Path cfgDir = Files.createDirectories(dir.resolve("experiments/voc"));
    Files.createDirectories(cfgDir.resolve("lists"));
    Files.write(cfgDir.resolve("lists/val.txt"), List.of("2008_000005", "2008_000006"));
    Path cfg = cfgDir.resolve("exp.yml");
    Files.writeString(
        cfg,
        "data:\n"
            + "  format: voc\n"
            + "  root: "
            + voc
            + "\n"
            + "  channels: 3\n"
            + "  train: ImageSets/Segmentation/train.txt\n"
            + "  val: lists/val.txt\n"
            + "model:\n"
            + "  classes: 3\n");
    CliRun r = CliRun.ok(train("rel", "--config", cfg.toString()));
    assertThat(r.out())
        .contains("on 4 images (data.train: ImageSets/Segmentation/train.txt)")
        .contains("validating on 2 (data.val: " + cfgDir.resolve("lists/val.txt") + ")");
    assertValidated(run("rel"), 1);
    String saved = Files.readString(run("rel").resolve("config.yml"));
    assertThat(saved)
        .contains("train: \"" + voc.resolve("ImageSets/Segmentation/train.txt") + "\"")
        .contains("val: \"" + cfgDir.resolve("lists/val.txt") + "\"");

    // the run folder's config.yml holds absolute paths: a resume, read from the run folder,
    // finds the same lists
    Files.writeString(run("rel").resolve("config.yml"), saved.replace("epochs: 1", "epochs: 2"));
    CliRun resumed = CliRun.ok("train", "--resume", run("rel").toString());
    assertThat(resumed.out())
        .contains("on 4 images (data.train: ImageSets/Segmentation/train.txt)")
        .contains("2 epochs from epoch 2");
    assertValidated(run("rel"), 2);
  }

  @Test
  void aListThatIsInNeitherPlaceIsRefusedNamingBothAndNothingIsWritten() throws IOException {
    Path data = TinyData.synthetic(dir.resolve("data"), 4);
    Path cfgDir = Files.createDirectories(dir.resolve("cfg"));
    Path cfg = cfgDir.resolve("exp.yml");
    Files.writeString(cfg, "data:\n  root: " + data + "\n  val: lists/val.txt\n");
    CliRun r = CliRun.of(train("missing", "--config", cfg.toString()));
    assertThat(r.code()).as(r.all()).isEqualTo(2);
    assertThat(r.err())
        .contains("'data.val' = 'lists/val.txt'")
        .contains(cfg.toString())
        .contains(cfgDir.resolve("lists/val.txt").toString())
        .contains(data.resolve("lists/val.txt").toString())
        .contains("0..24");
    assertThat(run("missing")).doesNotExist();
  }

  @Test
  void splitCopyOutputTrainsDirectlyWithValidation() throws IOException {
    Path data = TinyData.synthetic(dir.resolve("data"), 12);
    Path out = dir.resolve("splits");
    CliRun split =
        CliRun.ok(
            "split",
            "--data",
            data.toString(),
            "--out",
            out.toString(),
            "--copy",
            "--ratios",
            "2:1:1");
    assertThat(out.resolve("train/images")).isDirectory();
    assertThat(out.resolve("val/masks")).isDirectory();
    assertThat(split.out())
        .contains(
            "to train on it: seg4j train --data "
                + out
                + " --set data.train=train --set data.val=val");

    CliRun r =
        CliRun.ok(
            train(
                "copied",
                "--data",
                out.toString(),
                "--set",
                "data.train=train",
                "--set",
                "data.val=val"));
    assertThat(r.out())
        .contains("on 6 images (data.train: split folder train/)")
        .contains("validating on 3 (data.val: split folder val/)");
    assertValidated(run("copied"), 1);

    // without split names the copies' root is no dataset: the refusal says what to set
    CliRun bare = CliRun.of(train("bare", "--data", out.toString()));
    assertThat(bare.code()).as(bare.all()).isEqualTo(2);
    assertThat(bare.err()).contains("data.train: train").contains("data.val: val");
    assertThat(run("bare")).doesNotExist();
  }

  @Test
  void withoutValidationTheStartSaysSoAndNoNaNIsWrittenOrPrinted() throws IOException {
    Path data = TinyData.synthetic(dir.resolve("data"), 4);
    CliRun r = CliRun.ok(train("noval", "--data", data.toString()));
    assertThat(r.out())
        .contains("on 4 images (data.train is not set: all images)")
        .contains("no validation set (data.val is not set)")
        .doesNotContain("NaN")
        .contains("done: no validation");
    Path log = run("noval").resolve("log.csv");
    assertThat(Files.readString(log)).doesNotContain("NaN");
    assertThat(column(log, "val_miou")).containsExactly("");
    assertThat(column(log, "val_loss")).containsExactly("");
    assertThat(Files.readString(run("noval").resolve("config.yml"))).contains("mask: \"index\"");
  }

  @Test
  void perClassAndPerInstanceMasksAre0And255ByDefaultInTrainAndInDatasetCheck() throws IOException {
    Path perClass = TinyData.perClass(dir.resolve("pc"), 4, 16);
    Path perInstance = TinyData.perInstance(dir.resolve("pi"), 4, 16);
    for (String[] d :
        List.of(
            new String[] {"per-class", perClass.toString()},
            new String[] {"per-instance", perInstance.toString()})) {
      CliRun check = CliRun.ok("dataset", "check", "--data", d[1], "--format", d[0]);
      assertThat(check.out()).contains("Masks: --mask binary255");

      CliRun.ok(train(d[0], "--data", d[1], "--format", d[0]));
      assertThat(Files.readString(run(d[0]).resolve("config.yml"))).contains("mask: \"binary255\"");
    }
  }
}
