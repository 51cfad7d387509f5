package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Point;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.data.DatasetFactory;
import org.seg4j.data.DatasetFormat;
import org.seg4j.data.DatasetSpec;
import org.seg4j.data.FileDataset;
import org.seg4j.io.ImageIo;
import org.seg4j.io.RawImage;
import org.seg4j.report.AugmentPreview;

/** {@code seg4j augment --into} (copies merged back into a dataset) and {@code --preview}. */
class AugmentIntoCommandTest {
  @TempDir Path dir;

  /** A pure horizontal flip, so each copy is the mirror of its source. */
  private Path hflip() throws IOException {
    Path cfg = dir.resolve("hflip.yml");
    Files.writeString(cfg, "augment:\n  - {type: hflip, p: 1.0}\n");
    return cfg;
  }

  /**
   * The cropland seed's layout: images/t{i}.png and labels/t{i}_mask.png (0/1, asymmetric), with
   * train t0..t3, val t4, test t5 lists in ImageSets/Segmentation/.
   */
  private Path cropland() throws IOException {
    Path root = dir.resolve("dataset");
    int w = 7;
    int h = 4;
    for (int i = 0; i < 6; i++) {
      int[] mask = new int[w * h];
      int[] grey = new int[w * h];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int label = x < 2 + (i + y) % 3 ? 1 : 0;
          mask[y * w + x] = label;
          grey[y * w + x] = 30 + 150 * label + 3 * x + y;
        }
      }
      ImageIo.writeGrey8(root.resolve("images/t" + i + ".png"), w, h, grey);
      ImageIo.writeGrey8(root.resolve("labels/t" + i + "_mask.png"), w, h, mask);
    }
    Path sets = Files.createDirectories(root.resolve("ImageSets/Segmentation"));
    Files.write(sets.resolve("train.txt"), List.of("t0", "t1", "t2", "t3"));
    Files.write(sets.resolve("val.txt"), List.of("t4"));
    Files.write(sets.resolve("test.txt"), List.of("t5"));
    return root;
  }

  private CliRun into(Path root, String... extra) throws IOException {
    List<String> a =
        new ArrayList<>(
            List.of(
                "augment",
                "--data",
                root.toString(),
                "--masks",
                "labels",
                "--mask-pattern",
                "{id}_mask.png",
                "--classes",
                "2",
                "--config",
                hflip().toString(),
                "--into"));
    a.addAll(List.of(extra));
    return CliRun.of(a.toArray(String[]::new));
  }

  /** Asserts that {@code copy} is {@code source} mirrored left-right, pixel for pixel. */
  private static void assertMirrored(Path copy, Path source) throws IOException {
    RawImage c = ImageIo.read(copy);
    RawImage s = ImageIo.read(source);
    assertThat(c.width()).isEqualTo(s.width());
    assertThat(c.height()).isEqualTo(s.height());
    assertThat(c.isPalette()).as(copy + " palette").isEqualTo(s.isPalette());
    int w = s.width();
    for (int y = 0; y < s.height(); y++) {
      for (int x = 0; x < w; x++) {
        assertThat(c.data()[y * w + x])
            .as(copy + " at " + x + "," + y)
            .isEqualTo(s.data()[y * w + w - 1 - x]);
      }
    }
  }

  @Test
  void copiesGoBesideTheOriginalsAndOnlyIntoTheTrainListOnce() throws IOException {
    Path root = cropland();
    Path sets = root.resolve("ImageSets/Segmentation");
    byte[] val = Files.readAllBytes(sets.resolve("val.txt"));
    byte[] test = Files.readAllBytes(sets.resolve("test.txt"));

    CliRun r = into(root, "--copies", "2");
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out())
        .contains("8 copies written (8 new ids), 0 skipped")
        .contains("(now 12 ids)")
        .contains("--set data.train=train --set data.val=val");
    List<String> added =
        List.of("t0_aug0", "t0_aug1", "t1_aug0", "t1_aug1", "t2_aug0", "t2_aug1", "t3_aug0");
    List<String> expected = new ArrayList<>(List.of("t0", "t1", "t2", "t3"));
    expected.addAll(added);
    expected.add("t3_aug1");
    assertThat(Files.readAllLines(sets.resolve("train.txt"))).isEqualTo(expected);
    assertThat(Files.readAllBytes(sets.resolve("val.txt"))).isEqualTo(val);
    assertThat(Files.readAllBytes(sets.resolve("test.txt"))).isEqualTo(test);
    for (String id : expected.subList(4, 12)) {
      String src = id.substring(0, 2);
      assertMirrored(
          root.resolve("labels/" + id + "_mask.png"), root.resolve("labels/" + src + "_mask.png"));
      assertMirrored(root.resolve("images/" + id + ".png"), root.resolve("images/" + src + ".png"));
    }
    assertThat(root.resolve("images/t4_aug0.png")).doesNotExist();
    assertThat(root.resolve("images/t5_aug0.png")).doesNotExist();
    assertThat(root.resolve("labels/t4_aug0_mask.png")).doesNotExist();

    // the dataset opens with the original and the new ids, and the check passes
    FileDataset all =
        DatasetFactory.open(
            DatasetSpec.builder(DatasetFormat.FOLDER, root)
                .maskDir(Path.of("labels"))
                .maskPattern("{id}_mask.png")
                .classes(2)
                .build());
    assertThat(all.size()).isEqualTo(14);
    CliRun check =
        CliRun.ok(
            "dataset",
            "check",
            "--data",
            root.toString(),
            "--masks",
            "labels",
            "--mask-pattern",
            "{id}_mask.png",
            "--split",
            "train");
    assertThat(check.out()).contains("Samples: 12 opened");

    // a rerun writes nothing and leaves the list as it was
    byte[] train = Files.readAllBytes(sets.resolve("train.txt"));
    byte[] copy = Files.readAllBytes(root.resolve("labels/t0_aug0_mask.png"));
    CliRun again = into(root, "--copies", "2");
    assertThat(again.code()).as(again.all()).isZero();
    assertThat(again.out())
        .contains("0 copies written (0 new ids), 8 skipped")
        .contains("appended 0 ids")
        .contains("8 listed ids are copies themselves");
    assertThat(Files.readAllBytes(sets.resolve("train.txt"))).isEqualTo(train);
    assertThat(root.resolve("images/t0_aug0_aug0.png")).doesNotExist();

    // a copy whose file exists but whose list entry is gone is refused, then --overwrite repairs
    List<String> lines = new ArrayList<>(Files.readAllLines(sets.resolve("train.txt")));
    lines.remove("t1_aug0");
    Files.write(sets.resolve("train.txt"), lines);
    CliRun refused = into(root, "--copies", "2");
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err()).contains("t1_aug0.png exists").contains("--overwrite");
    CliRun repaired = into(root, "--copies", "2", "--overwrite");
    assertThat(repaired.code()).as(repaired.all()).isZero();
    assertThat(repaired.out()).contains("8 copies written (1 new ids), 0 skipped");
    List<String> after = Files.readAllLines(sets.resolve("train.txt"));
    assertThat(after).hasSize(12).doesNotHaveDuplicates().endsWith("t1_aug0");
    assertThat(Files.readAllBytes(root.resolve("labels/t0_aug0_mask.png"))).isEqualTo(copy);
  }

  @Test
  void valTestAndMissingListsAreRefusedWithTheFix() throws IOException {
    Path root = cropland();
    CliRun val = into(root, "--split", "val");
    assertThat(val.code()).isEqualTo(2);
    assertThat(val.err()).contains("--split val").contains("--split train");

    CliRun other = into(root, root.resolve("labels").toString());
    assertThat(other.code()).isEqualTo(2);
    assertThat(other.err()).contains("is not the --data folder");

    Path bare = TinyData.paired(dir.resolve("bare"), 2, 4, 4, 1);
    CliRun none =
        CliRun.of(
            "augment", "--data", bare.toString(), "--classes", "2", "--into", bare.toString());
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err())
        .contains("ImageSets/Segmentation/train.txt does not exist")
        .contains("seg4j split --data " + bare);
    assertThat(bare.resolve("images/p0_aug0.png")).doesNotExist();

    Path inst = TinyData.perInstance(dir.resolve("inst"), 2, 8);
    Files.write(inst.resolve("train.txt"), List.of("0", "1"));
    CliRun perInstance =
        CliRun.of("augment", "--data", inst.toString(), "--format", "per-instance", "--into");
    assertThat(perInstance.code()).isEqualTo(2);
    assertThat(perInstance.err()).contains("per-instance").contains("--out DIR");
  }

  @Test
  void vocCopiesAreJpegImagesWithPaletteMasksAndOpenWithVocDefaults() throws IOException {
    Path voc = TinyData.voc(dir.resolve("VOC"));
    CliRun r =
        CliRun.ok(
            "augment",
            "--data",
            voc.toString(),
            "--format",
            "voc",
            "--config",
            hflip().toString(),
            "--into");
    assertThat(r.out()).contains("2 copies written").contains("JPEG");
    assertThat(Files.readAllLines(voc.resolve("ImageSets/Segmentation/train.txt")))
        .containsExactly("2007_000001", "2007_000002", "2007_000001_aug0", "2007_000002_aug0");
    assertThat(Files.readAllLines(voc.resolve("ImageSets/Segmentation/val.txt")))
        .containsExactly("2007_000003");
    assertMirrored(
        voc.resolve("SegmentationClass/2007_000001_aug0.png"),
        voc.resolve("SegmentationClass/2007_000001.png"));
    assertThat(voc.resolve("JPEGImages/2007_000001_aug0.jpg")).isRegularFile();
    CliRun check =
        CliRun.ok(
            "dataset", "check", "--data", voc.toString(), "--format", "voc", "--split", "train");
    assertThat(check.out()).contains("Samples: 4 opened");
  }

  @Test
  void perClassCopiesGetOneMaskPerClassFolder() throws IOException {
    Path pc = TinyData.perClass(dir.resolve("pc"), 4, 8);
    Files.write(pc.resolve("train.txt"), List.of("0", "1", "2"));
    Files.write(pc.resolve("val.txt"), List.of("3"));
    CliRun.ok(
        "augment",
        "--data",
        pc.toString(),
        "--format",
        "per-class",
        "--config",
        hflip().toString(),
        "--into");
    assertThat(Files.readAllLines(pc.resolve("train.txt")))
        .containsExactly("0", "1", "2", "0_aug0", "1_aug0", "2_aug0");
    for (String src : List.of("0", "1", "2")) {
      assertMirrored(
          pc.resolve("masks/cell/" + src + "_aug0.png"), pc.resolve("masks/cell/" + src + ".png"));
    }
    assertThat(pc.resolve("images/3_aug0.png")).doesNotExist();
  }

  @Test
  void trainingSeesTheOriginalsPlusTheCopies() throws IOException {
    Path data = TinyData.paired(dir.resolve("tiles"), 6, 16, 16, 1);
    Path sets = Files.createDirectories(data.resolve("ImageSets/Segmentation"));
    Files.write(sets.resolve("train.txt"), List.of("p0", "p1", "p2", "p3"));
    Files.write(sets.resolve("val.txt"), List.of("p4", "p5"));
    CliRun aug =
        CliRun.ok(
            "augment", "--data", data.toString(), "--classes", "2", "--copies", "2", "--into");
    CliRun train =
        CliRun.ok(
            "train",
            "--data",
            data.toString(),
            "--runs",
            dir.resolve("runs").toString(),
            "--name",
            "aug",
            "--base",
            "4",
            "--epochs",
            "1",
            "--batch",
            "4",
            "--classes",
            "2",
            "--no-progress",
            "--set",
            "model.options={depth: 2}",
            "--set",
            "data.workers=0",
            "--set",
            "data.train=train",
            "--set",
            "data.val=val");
    assertThat(train.out()).contains("on 12 images (data.train: ImageSets/Segmentation/train.txt)");
  }

  @Test
  void previewDrawsBeforeAndAfterAndWritesNothingElse() throws IOException {
    Path data = TinyData.paired(dir.resolve("prev"), 5, 12, 8, 1);
    Path out = dir.resolve("pics");
    String[] args = {
      "augment",
      "--data",
      data.toString(),
      "--classes",
      "2",
      "--config",
      hflip().toString(),
      "--preview",
      "3",
      "--seed",
      "4",
      "--out",
      out.toString()
    };
    CliRun r = CliRun.ok(args);
    Path png = out.resolve("preview.png");
    assertThat(r.out()).contains(png.toAbsolutePath().toString()).contains("3 rows");
    BufferedImage img = ImageIO.read(png.toFile());
    int cell = AugmentCommand.PREVIEW_CELL;
    assertThat(img.getWidth()).isEqualTo(AugmentPreview.width(cell));
    assertThat(img.getHeight()).isEqualTo(AugmentPreview.height(3, cell));
    for (int row = 0; row < 3; row++) {
      for (int col : new int[] {0, 1}) {
        Point before = AugmentPreview.origin(row, col, cell);
        Point after = AugmentPreview.origin(row, col + 2, cell);
        int differ = 0;
        int mirrored = 0;
        int total = 0;
        // the 12x8 tiles fill the cell's width, 2/3 of its height, centred
        for (int y = cell / 6 + 2; y < cell * 5 / 6 - 2; y += 3) {
          for (int x = 2; x < cell - 2; x += 3) {
            int b = img.getRGB(before.x + x, before.y + y);
            total++;
            differ += b != img.getRGB(after.x + x, after.y + y) ? 1 : 0;
            mirrored += b == img.getRGB(after.x + cell - 1 - x, after.y + y) ? 1 : 0;
          }
        }
        assertThat(differ).as("row %d col %d differs", row, col).isGreaterThan(total / 10);
        assertThat(mirrored).as("row %d col %d mirrored", row, col).isGreaterThan(total * 8 / 10);
      }
    }
    byte[] first = Files.readAllBytes(png);
    assertThat(CliRun.of(args).code()).isZero();
    assertThat(Files.readAllBytes(png)).isEqualTo(first);
    try (var files = Files.list(data.resolve("images"))) {
      assertThat(files.count()).isEqualTo(5);
    }
    assertThat(out.toFile().list()).containsExactly("preview.png");
  }
}
