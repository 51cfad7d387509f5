package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code seg4j dataset check} as a user runs it. */
class DatasetCheckCommandTest {
  @Test
  void goodFolderSetPassesWithItsReport(@TempDir Path dir) throws IOException {
    TinyData.synthetic(dir, 3);
    CliRun r = CliRun.ok("dataset", "check", "--data", dir.toString());
    assertThat(r.out())
        .contains("(format folder)")
        .contains("Samples: 3 opened, 3 with masks, 3 usable")
        .contains("Image sizes: 16x16 (3)")
        .contains("Masks: --mask index, classes 2")
        .contains("background")
        .contains("disc")
        .contains("Suggested class weights")
        .endsWith("OK\n");
  }

  @Test
  void explicitPatternsFindTheSameSamples(@TempDir Path dir) throws IOException {
    TinyData.synthetic(dir, 2);
    CliRun r =
        CliRun.ok(
            "dataset",
            "check",
            "--data",
            dir.toString(),
            "--images",
            "images",
            "--image-pattern",
            "synth_{id}.png",
            "--mask-pattern",
            "synth_{id}.png");
    assertThat(r.out()).contains("Samples: 2 opened, 2 with masks, 2 usable");
  }

  @Test
  void zeroTo255MasksWithTwoClassesFailWithTheBinary255Advice(@TempDir Path dir)
      throws IOException {
    Path data = TinyData.paired(dir.resolve("data"), 2, 5, 4, 255);
    CliRun r = CliRun.of("dataset", "check", "--data", data.toString(), "--classes", "2");
    assertThat(r.code()).as(r.all()).isEqualTo(1);
    String problem =
        "masks/p0.png and every other mask hold only class 0 and the ignore index 255, so no"
            + " pixel is of class 1";
    assertThat(r.out())
        .contains("ignore index 255")
        .contains("Problems (1):")
        .contains(problem)
        .contains("use --mask binary255")
        .contains("FAILED: 1 problem");
    // train reads the same folder the same way: one ignore index default, one verdict
    CliRun t =
        CliRun.of(TinyData.quickTrainArgs(data, dir.resolve("runs"), "bw", "--classes", "2"));
    assertThat(t.code()).as(t.all()).isNotZero();
    assertThat(t.err()).contains(problem).contains("use --mask binary255");
    // with no ignore index, each mask's values are named
    CliRun none =
        CliRun.of(
            "dataset",
            "check",
            "--data",
            data.toString(),
            "--classes",
            "2",
            "--ignore-index",
            "-1");
    assertThat(none.out())
        .contains("Problems (2):")
        .contains("masks/p0.png holds values {0, 255} but classes=2: use --mask binary255")
        .contains("(and 1 more: masks/p1.png)");

    CliRun.ok(
        "dataset", "check", "--data", data.toString(), "--classes", "2", "--mask", "binary255");
  }

  @Test
  void missingMaskFailsWithExitOneNamingTheFile(@TempDir Path dir) throws IOException {
    TinyData.synthetic(dir, 2);
    Files.delete(dir.resolve("masks/synth_0001.png"));
    CliRun r = CliRun.of("dataset", "check", "--data", dir.toString());
    assertThat(r.code()).as(r.all()).isEqualTo(1);
    assertThat(r.out()).contains("masks/synth_0001.png is missing").contains("--skip-bad");

    CliRun skipped = CliRun.ok("dataset", "check", "--data", dir.toString(), "--skip-bad");
    assertThat(skipped.out()).contains("Skipped (--skip-bad) (1)").contains("1 usable");
  }

  @Test
  void vocLayoutWithSplitAndVoidPixels(@TempDir Path dir) throws IOException {
    TinyData.voc(dir);
    CliRun r =
        CliRun.ok(
            "dataset",
            "check",
            "--data",
            dir.toString(),
            "--format",
            "voc",
            "--split",
            "train",
            "--classes",
            "3");
    assertThat(r.out())
        .contains("(format voc)")
        .contains("Samples: 2 opened, 2 with masks, 2 usable")
        .contains("Image sizes: 8x6 (2)")
        .contains("Image channels: 3 (2)")
        .contains("ignore index 255")
        .contains("ignored (255)");

    CliRun all = CliRun.ok("dataset", "check", "--data", dir.toString(), "--format", "VOC");
    assertThat(all.out()).contains("Samples: 3 opened").contains("classes 3 (not declared");
  }

  @Test
  void aSplitNameIsFoundInImageSetsSplitsOrTheDatasetFolderForAnyFormat(@TempDir Path dir)
      throws IOException {
    TinyData.synthetic(dir, 4);
    Files.createDirectories(dir.resolve("splits"));
    Files.write(dir.resolve("splits/val.txt"), List.of("synth_0001", "synth_0002"));
    CliRun r = CliRun.ok("dataset", "check", "--data", dir.toString(), "--split", "val");
    assertThat(r.out()).contains("Samples: 2 opened");

    CliRun missing = CliRun.of("dataset", "check", "--data", dir.toString(), "--split", "test");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err())
        .contains("ImageSets/Segmentation/test.txt does not exist")
        .contains("splits/test.txt")
        .contains("seg4j split");
  }

  @Test
  void badOptionValuesAreClearErrorsWithExitTwo(@TempDir Path dir) throws IOException {
    TinyData.synthetic(dir, 1);
    String d = dir.toString();

    CliRun format = CliRun.of("dataset", "check", "--data", d, "--format", "coco");
    assertThat(format.code()).isEqualTo(2);
    assertThat(format.err())
        .contains("unknown dataset format 'coco'")
        .contains("voc, folder, per-class, per-instance");

    CliRun mask = CliRun.of("dataset", "check", "--data", d, "--mask", "grey");
    assertThat(mask.code()).isEqualTo(2);
    assertThat(mask.err()).contains("unknown --mask 'grey'").contains("binary255");
    assertThat(mask.err()).doesNotContain("at org.seg4j");

    CliRun classes = CliRun.of("dataset", "check", "--data", d, "--classes", "3");
    assertThat(classes.code()).isEqualTo(2);
    assertThat(classes.err()).contains("classes.txt names 2 classes but --classes 3");

    CliRun channels = CliRun.of("dataset", "check", "--data", d, "--channels", "2");
    assertThat(channels.code()).isEqualTo(2);
    assertThat(channels.err()).contains("--channels 2 must be 1 or 3");

    CliRun notInt = CliRun.of("dataset", "check", "--data", d, "--classes", "two");
    assertThat(notInt.code()).isEqualTo(2);
    assertThat(notInt.err()).contains("--classes").contains("two");

    CliRun missing = CliRun.of("dataset", "check", "--data", dir.resolve("nope").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("nope is not a folder");

    CliRun noData = CliRun.of("dataset", "check");
    assertThat(noData.code()).isEqualTo(2);
    assertThat(noData.err()).contains("--data");
  }
}
