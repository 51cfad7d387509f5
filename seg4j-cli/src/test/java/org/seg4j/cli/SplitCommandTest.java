package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code seg4j split} as a user runs it. */
class SplitCommandTest {
  private static List<String> lines(Path file) throws IOException {
    return Files.readAllLines(file);
  }

  @Test
  void writesThreeListsByRatioThatTheOtherCommandsOpen(@TempDir Path dir) throws IOException {
    TinyData.synthetic(dir, 10);
    CliRun r = CliRun.ok("split", "--data", dir.toString(), "--ratios", "6:2:2", "--seed", "3");
    Path sets = dir.resolve("ImageSets/Segmentation");
    assertThat(lines(sets.resolve("train.txt"))).hasSize(6);
    assertThat(lines(sets.resolve("val.txt"))).hasSize(2);
    assertThat(lines(sets.resolve("test.txt"))).hasSize(2);
    List<String> all = new ArrayList<>();
    for (String s : List.of("train", "val", "test")) {
      all.addAll(lines(sets.resolve(s + ".txt")));
    }
    assertThat(all).doesNotHaveDuplicates().hasSize(10).allMatch(id -> id.startsWith("synth_"));
    assertThat(r.out()).contains("train      6 ids ( 60.0%)").contains("test       2 ids");
    assertThat(r.out())
        .contains("to train on it: seg4j train --data " + dir + " --set data.train=train");

    CliRun check = CliRun.ok("dataset", "check", "--data", dir.toString(), "--split", "val");
    assertThat(check.out()).contains("Samples: 2 opened");
  }

  @Test
  void sameSeedSameLists(@TempDir Path dir) throws IOException {
    TinyData.synthetic(dir.resolve("data"), 9);
    String data = dir.resolve("data").toString();
    for (String out : List.of("a", "b")) {
      CliRun.ok("split", "--data", data, "--out", dir.resolve(out).toString());
    }
    CliRun other =
        CliRun.ok("split", "--data", data, "--out", dir.resolve("c").toString(), "--seed", "1");
    assertThat(other.out())
        .contains(
            "to train on it: seg4j train --data "
                + data
                + " --set data.train="
                + dir.resolve("c/ImageSets/Segmentation/train.txt"));
    for (String s : List.of("train", "val", "test")) {
      Path rel = Path.of("ImageSets/Segmentation", s + ".txt");
      assertThat(lines(dir.resolve("a").resolve(rel)))
          .isEqualTo(lines(dir.resolve("b").resolve(rel)));
    }
    Path train = Path.of("ImageSets/Segmentation/train.txt");
    assertThat(lines(dir.resolve("a").resolve(train))).hasSize(7);
    assertThat(lines(dir.resolve("c").resolve(train)))
        .isNotEqualTo(lines(dir.resolve("a").resolve(train)));
  }

  @Test
  void existingListsNeedOverwriteAndCopyMaterialisesFolders(@TempDir Path dir) throws IOException {
    TinyData.synthetic(dir.resolve("data"), 4);
    String data = dir.resolve("data").toString();
    assertThat(CliRun.of("split", "--data", data).code()).isZero();

    CliRun again = CliRun.of("split", "--data", data, "--ratios", "1:1");
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err()).contains("train.txt exists").contains("--overwrite");

    CliRun.ok("split", "--data", data, "--ratios", "1:1", "--overwrite");
    assertThat(lines(dir.resolve("data/ImageSets/Segmentation/train.txt"))).hasSize(2);

    Path out = dir.resolve("copied");
    CliRun copy =
        CliRun.ok("split", "--data", data, "--ratios", "1:1", "--out", out.toString(), "--copy");
    assertThat(copy.out()).contains("copied 8 files");
    CliRun check = CliRun.ok("dataset", "check", "--data", out.resolve("val").toString());
    assertThat(check.out()).contains("Samples: 2 opened");
  }

  @Test
  void badRatiosAreAClearError(@TempDir Path dir) throws IOException {
    TinyData.synthetic(dir, 2);
    CliRun r = CliRun.of("split", "--data", dir.toString(), "--ratios", "8:x:1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--ratios '8:x:1'").contains("'x' is not a number");
    assertThat(Files.exists(dir.resolve("ImageSets"))).isFalse();
  }
}
