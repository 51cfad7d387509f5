package org.seg4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.data.DatasetFormat;
import org.seg4j.data.FileDataset;
import org.seg4j.data.SyntheticShapes;
import org.seg4j.run.TrainConfig;

/**
 * The one rule by which {@code data.train/val/test} select images, for every format: split names,
 * list files and split folders, relative paths from the config file's folder then data.root, VOC's
 * default lists, and what a run's config.yml keeps of them.
 */
class DataSetupTest {
  @TempDir Path dir;

  private Path data(int n) throws IOException {
    Path root = dir.resolve("data");
    new SyntheticShapes(16, false, 0).write(root, n);
    return root;
  }

  private static Path list(Path file, String... ids) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, List.of(ids));
    return file;
  }

  private static TrainConfig config(Path root) {
    return TrainConfig.defaults().set("data.root", root.toString());
  }

  private TrainConfig fromFile(Path cfgDir, String yaml) throws IOException {
    Files.createDirectories(cfgDir);
    Path f = cfgDir.resolve("exp.yml");
    Files.writeString(f, yaml);
    return TrainConfig.load(f);
  }

  private static List<String> ids(FileDataset ds) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < ds.size(); i++) {
      out.add(ds.id(i));
    }
    return out;
  }

  @Test
  void aSplitNameFindsItsListInImageSetsThenSplitsThenTheRootForAFolderDataset()
      throws IOException {
    Path root = data(6);
    list(root.resolve("val.txt"), "synth_0005");
    TrainConfig c = config(root).set("data.val", "val");
    assertThat(ids(DataSetup.open(c, "val", true))).containsExactly("synth_0005");
    list(root.resolve("splits/val.txt"), "synth_0004");
    assertThat(ids(DataSetup.open(c, "val", true))).containsExactly("synth_0004");
    list(root.resolve("ImageSets/Segmentation/val.txt"), "synth_0003");
    assertThat(ids(DataSetup.open(c, "val", true))).containsExactly("synth_0003");
    // a path that exists is that file: val.txt is the root's; without it, the name's list
    TrainConfig txt = c.copy().set("data.val", "val.txt");
    assertThat(ids(DataSetup.open(txt, "val", true))).containsExactly("synth_0005");
    Files.delete(root.resolve("val.txt"));
    assertThat(ids(DataSetup.open(txt, "val", true))).containsExactly("synth_0003");
    assertThat(ids(DataSetup.open(c.copy().set("data.val", "splits/val.txt"), "val", true)))
        .containsExactly("synth_0004");
    assertThat(DataSetup.describe(c, "val")).isEqualTo("data.val: ImageSets/Segmentation/val.txt");
  }

  @Test
  void aRelativePathIsReadFromTheConfigFilesFolderFirstThenFromTheDataRoot() throws IOException {
    Path root = data(6);
    Path cfgDir = dir.resolve("cfg");
    list(root.resolve("lists/val.txt"), "synth_0001");
    TrainConfig c = fromFile(cfgDir, "data:\n  root: " + root + "\n  val: lists/val.txt\n");
    assertThat(c.source("data.val")).isEqualTo(cfgDir.resolve("exp.yml"));
    assertThat(c.baseDir("data.val")).isEqualTo(cfgDir);
    assertThat(ids(DataSetup.open(c, "val", true))).containsExactly("synth_0001");

    list(cfgDir.resolve("lists/val.txt"), "synth_0002");
    assertThat(ids(DataSetup.open(c, "val", true))).containsExactly("synth_0002");

    // the same value given as a flag is not read from the config's folder
    TrainConfig flag = c.copy().set("data.val", "lists/val.txt");
    assertThat(flag.source("data.val")).isNull();
    assertThat(flag.source("data.root")).isEqualTo(cfgDir.resolve("exp.yml"));
    assertThat(ids(DataSetup.open(flag, "val", true))).containsExactly("synth_0001");
  }

  @Test
  void resolveWritesAbsolutePathsThatReadTheSameFromTheRunFolder() throws IOException {
    Path root = data(6);
    Path cfgDir = dir.resolve("cfg");
    list(cfgDir.resolve("lists/val.txt"), "synth_0004", "synth_0005");
    TrainConfig c =
        fromFile(cfgDir, "data:\n  root: " + root + "\n  val: lists/val.txt\n  train: 0..3\n");
    TrainConfig r = DataSetup.resolve(c);
    assertThat(r.str("data.val")).isEqualTo(cfgDir.resolve("lists/val.txt").toString());
    assertThat(r.str("data.train")).isEqualTo("0..3");
    assertThat(r.str("data.test")).isNull();
    assertThat(r.str("data.mask")).isEqualTo("index");
    assertThat(c.str("data.val")).isEqualTo("lists/val.txt");

    // config.yml in a run folder elsewhere, loaded back as a resume does
    Path runDir = Files.createDirectories(dir.resolve("runs/r"));
    Files.writeString(runDir.resolve("config.yml"), r.toYaml());
    TrainConfig back = TrainConfig.load(runDir.resolve("config.yml"));
    assertThat(ids(DataSetup.open(back, "val", true))).containsExactly("synth_0004", "synth_0005");
    assertThat(DataSetup.resolve(back).toYaml()).isEqualTo(r.toYaml());
  }

  @Test
  void aValueThatNamesNothingIsRefusedWithTheKeyValueFileAndEveryPlaceTried() throws IOException {
    Path root = data(2);
    Path cfgDir = dir.resolve("cfg");
    TrainConfig c = fromFile(cfgDir, "data:\n  root: " + root + "\n  train: trainval\n");
    assertThatThrownBy(() -> DataSetup.resolve(c))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("config key 'data.train' = 'trainval'")
        .hasMessageContaining("(in " + cfgDir.resolve("exp.yml") + ")")
        .hasMessageContaining(cfgDir.resolve("trainval").toString())
        .hasMessageContaining(root.resolve("trainval").toString())
        .hasMessageContaining(root.resolve("ImageSets/Segmentation/trainval.txt").toString())
        .hasMessageContaining(root.resolve("splits/trainval.txt").toString())
        .hasMessageContaining(root.resolve("trainval.txt").toString())
        .hasMessageContaining("a range like 0..24");
    assertThatThrownBy(() -> DataSetup.resolve(config(dir.resolve("nope"))))
        .hasMessageContaining("'data.root' = '" + dir.resolve("nope") + "'")
        .hasMessageContaining("is not a folder");
  }

  @Test
  void vocTakesImageSetsListsByDefaultAndSaysWhenThereIsNone() throws IOException {
    Path voc = dir.resolve("VOC");
    Files.createDirectories(voc.resolve("JPEGImages"));
    Path train = list(voc.resolve("ImageSets/Segmentation/train.txt"), "a", "b");
    TrainConfig c = config(voc).set("data.format", "voc");
    TrainConfig r = DataSetup.resolve(c);
    assertThat(r.str("data.train")).isEqualTo(train.toString());
    assertThat(r.str("data.val")).isNull();
    assertThat(DataSetup.describe(c, "train"))
        .isEqualTo("data.train: ImageSets/Segmentation/train.txt");
    assertThat(DataSetup.describe(c, "val"))
        .isEqualTo("data.val is not set and there is no ImageSets/Segmentation/val.txt");
    // a relative list path below the root is that file, not ImageSets/Segmentation/<it>.txt
    TrainConfig rel = c.copy().set("data.val", "ImageSets/Segmentation/train.txt");
    assertThat(DataSetup.resolve(rel).str("data.val")).isEqualTo(train.toString());
  }

  @Test
  void otherFormatsDoNotTakeListsUnaskedButTheStartLineSaysWhereTheyAre() throws IOException {
    Path root = data(4);
    list(root.resolve("ImageSets/Segmentation/val.txt"), "synth_0003");
    TrainConfig c = config(root);
    assertThat(DataSetup.open(c, "val", false)).isNull();
    assertThat(DataSetup.describe(c, "val"))
        .isEqualTo(
            "data.val is not set; ImageSets/Segmentation/val.txt exists: set data.val: val to"
                + " use it");
    assertThat(DataSetup.describe(c, "train")).isEqualTo("data.train is not set: all images");
  }

  @Test
  void aSplitFolderIsTheSameFormatRootedThere() throws IOException {
    Path out = dir.resolve("out");
    new SyntheticShapes(16, false, 0).write(out.resolve("val"), 2);
    TrainConfig c = config(out).set("data.val", "val");
    FileDataset val = DataSetup.open(c, "val", true);
    assertThat(val.size()).isEqualTo(2);
    assertThat(val.root()).isEqualTo(out.resolve("val"));
    assertThat(DataSetup.describe(c, "val")).isEqualTo("data.val: split folder val/");
  }

  @Test
  void theMaskDefaultIsTheFormatsOwnAndConfigYmlNamesIt() throws IOException {
    Path root = Files.createDirectories(dir.resolve("d"));
    assertThat(TrainConfig.defaults().str("data.mask")).isNull();
    for (DatasetFormat format : DatasetFormat.values()) {
      String expected = format.key().startsWith("per-") ? "binary255" : "index";
      assertThat(format.defaultMask()).as(format.key()).isEqualTo(expected);
      TrainConfig c = config(root).set("data.format", format.key());
      assertThat(DataSetup.resolve(c).str("data.mask")).as(format.key()).isEqualTo(expected);
      assertThat(DataSetup.resolve(c.set("data.mask", "rgb")).str("data.mask")).isEqualTo("rgb");
    }
  }
}
