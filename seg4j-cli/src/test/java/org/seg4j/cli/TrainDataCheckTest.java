package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.seg4j.io.ImageIo;
import org.seg4j.io.RawImage;

/**
 * Issue 9 item 6 (and item 13's --skip-bad and 1x1 image): what {@code seg4j dataset check} calls a
 * problem, {@code train} and {@code eval} refuse before the first step, in one line naming the file
 * and the fix, or skip with {@code --skip-bad}, naming each skipped file; a class with no pixels in
 * the validation set is a warning in the train output and in the eval report.
 */
class TrainDataCheckTest {
  @TempDir static Path dir;
  static Path good;
  static Path runs;

  @BeforeAll
  static void trainAGoodRun() throws IOException {
    good = HostileCorpus.good(dir.resolve("good"), 16);
    runs = dir.resolve("runs");
    TinyData.train(good, runs, "good");
  }

  static Stream<Arguments> badData() {
    return Stream.of(
        // 0/255 masks read with --mask index: 255 is train's ignore index, so class 1 is empty
        Arguments.of(
            "mask-0-255",
            (HostileCorpus.Mutation) TrainDataCheckTest::masksTo255,
            "masks/synth_0000.png",
            "--mask binary255",
            false),
        Arguments.of(
            "rgb-among-grey",
            (HostileCorpus.Mutation) d -> rgb(d.resolve("images/synth_0003.png"), false),
            "images/synth_0003.png",
            "data.convert=true",
            true),
        Arguments.of(
            "rgba-among-grey",
            (HostileCorpus.Mutation) d -> rgb(d.resolve("images/synth_0003.png"), true),
            "images/synth_0003.png",
            "data.convert=true",
            true),
        Arguments.of(
            "1x1-image",
            (HostileCorpus.Mutation)
                d -> {
                  ImageIo.writeGrey8(d.resolve("images/synth_0003.png"), 1, 1, new int[] {9});
                  ImageIo.writeGrey8(d.resolve("masks/synth_0003.png"), 1, 1, new int[] {1});
                },
            "images/synth_0003.png",
            "too small",
            true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badData")
  void checkTrainAndEvalRefuseTheSameData(
      String name, HostileCorpus.Mutation mutation, String file, String fix, boolean perFile)
      throws Exception {
    Path data = HostileCorpus.mutated(dir.resolve(name), mutation);
    CliRun check =
        CliRun.of(
            "dataset",
            "check",
            "--data",
            data.toString(),
            "--mask",
            "index",
            "--classes",
            "2",
            "--ignore-index",
            "255");
    assertThat(check.code()).as(check.all()).isEqualTo(1);
    assertThat(check.out()).contains(file.substring(file.indexOf('/') + 1));

    CliRun train = CliRun.of(TinyData.trainArgs(data, runs, name, "--mask", "index"));
    Hostile.oneLineError(train, data.resolve(file).toString(), fix);
    assertThat(runs.resolve(name)).doesNotExist();

    CliRun eval =
        CliRun.of(
            TinyData.evalArgs(
                runs.resolve("good"),
                dir.resolve("eval-" + name),
                "--data",
                data.toString(),
                "--mask",
                "index",
                "--set",
                "data.val=0..15"));
    Hostile.oneLineError(eval, data.resolve(file).toString());
    assertThat(dir.resolve("eval-" + name)).doesNotExist();

    if (perFile) {
      CliRun skip =
          CliRun.ok(
              TinyData.trainArgs(data, runs, name + "-skip", "--mask", "index", "--skip-bad"));
      assertThat(skip.out()).contains("skipped (data.skip_bad): " + file).contains("on 11 images");
    }
  }

  @Test
  void aClassWithNoPixelsInTheValidationSetIsAWarningInTrainAndEval() throws Exception {
    Path data = HostileCorpus.good(dir.resolve("no-fg-in-val"), 16);
    for (int i = 12; i < 16; i++) {
      ImageIo.writeGrey8(
          data.resolve(String.format("masks/synth_%04d.png", i)), 16, 16, new int[256]);
    }
    CliRun train = CliRun.ok(TinyData.trainArgs(data, runs, "no-fg"));
    assertThat(train.out())
        .containsPattern("warning: class 1 \\([^)]*\\) has no pixels in the validation set");
    Path report = dir.resolve("eval-no-fg");
    CliRun eval = CliRun.ok(TinyData.evalArgs(runs.resolve("no-fg"), report));
    assertThat(eval.out()).contains("has no pixels in split val");
    assertThat(Files.readString(report.resolve("report.html"))).contains("has no pixels");
  }

  @Test
  void skipBadIsATrainFlagAndNamesEachSkippedFile() throws Exception {
    Path data = HostileCorpus.good(dir.resolve("unreadable"), 16);
    Files.writeString(data.resolve("images/synth_0002.png"), "broken");
    Files.writeString(data.resolve("images/synth_0005.png"), "broken");
    CliRun refused = CliRun.of(TinyData.trainArgs(data, runs, "unreadable"));
    Hostile.oneLineError(refused, "synth_0002.png", "--skip-bad");
    CliRun flag = CliRun.ok(TinyData.trainArgs(data, runs, "skip-flag", "--skip-bad"));
    CliRun key =
        CliRun.ok(TinyData.trainArgs(data, runs, "skip-key", "--set", "data.skip_bad=true"));
    for (CliRun r : new CliRun[] {flag, key}) {
      assertThat(r.out())
          .contains("skipped (data.skip_bad): images/synth_0002.png")
          .contains("skipped (data.skip_bad): images/synth_0005.png")
          .contains("on 10 images");
    }
  }

  private static void masksTo255(Path data) throws IOException {
    try (Stream<Path> s = Files.list(data.resolve("masks"))) {
      for (Path m : s.toList()) {
        RawImage raw = ImageIo.read(m);
        int[] v = new int[raw.pixels()];
        for (int p = 0; p < v.length; p++) {
          v[p] = raw.sample(p, 0) * 255;
        }
        ImageIo.writeGrey8(m, raw.width(), raw.height(), v);
      }
    }
  }

  private static void rgb(Path file, boolean alpha) throws IOException {
    BufferedImage img =
        new BufferedImage(16, 16, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    for (int p = 0; p < 256; p++) {
      img.setRGB(p % 16, p / 16, 0xff000000 | (p * 0x010203));
    }
    ImageIO.write(img, "png", file.toFile());
  }
}
