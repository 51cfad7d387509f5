package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.api.Prediction;
import org.seg4j.api.Segmenter;
import org.seg4j.testutil.Golden;

/**
 * {@code seg4j import} as a user runs it: a repository's .pth becomes a run that {@code predict},
 * {@code eval} and the Java API use; bad files and wrong architectures fail with one line and leave
 * no folder behind.
 */
class ImportCommandTest {
  @TempDir Path tmp;

  private static String fixture(String name) {
    return Golden.path("golden/imports/" + name).toString();
  }

  @Test
  void anImportedRunPredictsAndEvaluatesLikeATrainedOne() throws IOException {
    Path data = TinyData.synthetic(tmp.resolve("data"), 4);
    Path run = tmp.resolve("runs/plain");
    CliRun imp =
        CliRun.ok(
            "import",
            "--from",
            "nested-unet",
            "--arch",
            "unet",
            "-O",
            "up=upsample",
            "--weights",
            fixture("nested_plain_unet.pth"),
            "--out",
            run.toString(),
            "--class-names",
            "background,shape");
    assertThat(imp.out())
        .contains("into " + run)
        .contains("unet, base 1, 1 input channel(s), 2 classes, options {up=upsample}")
        .contains(
            "normalize: none (pixels in [0, 1]) (nested-unet trains RGB models with imagenet)");
    assertThat(run.resolve("checkpoints/best.safetensors")).isRegularFile();
    assertThat(run.resolve("checkpoints/last.safetensors")).isRegularFile();

    Path masks = tmp.resolve("masks");
    CliRun.ok(TinyData.predictArgs(run, data.resolve("images"), masks, "--device", "cpu"));
    BufferedImage mask = ImageIO.read(masks.resolve("synth_0000_mask.png").toFile());
    assertThat(mask.getWidth()).isEqualTo(16);

    CliRun eval =
        CliRun.ok(
            TinyData.evalArgs(
                run, tmp.resolve("report"), "--data", data.toString(), "--device", "cpu"));
    assertThat(eval.out())
        .contains("checkpoints/best.safetensors")
        .contains("4 images")
        .contains("mean");

    try (Segmenter s = Segmenter.fromRun(run).build()) {
      Prediction p = s.predict(data.resolve("images/synth_0000.png"));
      assertThat(p.mask()).hasSize(16 * 16);
      assertThat(s.classNames()).containsExactly("background", "shape");
    }
  }

  @Test
  void aWrongArchitectureListsTheKeysAndWritesNothing() {
    Path run = tmp.resolve("runs/wrong");
    CliRun r =
        CliRun.of(
            "import",
            "--from",
            "milesial",
            "--arch",
            "unet",
            "--weights",
            fixture("milesial_bilinear.pth"),
            "--out",
            run.toString());
    Hostile.oneLineError(
        r, "milesial_bilinear.pth does not fit --from milesial --arch unet", "-O halve=true");
    assertThat(r.err()).contains("\n  missing: up4.up.bias").contains("\n  wrong shape: ");
    assertThat(run).doesNotExist();
    assertThat(tmp.resolve("runs")).doesNotExist();
  }

  @Test
  void aFormatForOtherArchitecturesNamesTheRightOne() {
    CliRun r =
        CliRun.of(
            "import",
            "--from",
            "bubbliiiing",
            "--arch",
            "unet",
            "--weights",
            fixture("bubbliiiing.pth"),
            "--out",
            tmp.resolve("runs/b").toString());
    Hostile.oneLineError(
        r, "--from bubbliiiing maps onto the architecture vgg16-unet, not --arch unet");
    assertThat(tmp.resolve("runs")).doesNotExist();
  }

  @Test
  void badFilesFailWithOneLineAndNoFolder() throws IOException {
    Path truncated = tmp.resolve("truncated.pth");
    Files.write(
        truncated,
        java.util.Arrays.copyOf(Files.readAllBytes(Path.of(fixture("milesial.pth"))), 5000));
    String[][] cases = {
      {truncated.toString(), "truncated.pth", "copy the file again"},
      {Golden.path("golden/pth/malicious.pth").toString(), "malicious.pth", "os.system"},
      {Golden.path("golden/pth/legacy.pth").toString(), "legacy.pth", "torch.save"},
    };
    for (String[] c : cases) {
      Path run = tmp.resolve("runs/bad");
      CliRun r =
          CliRun.of(
              "import",
              "--from",
              "milesial",
              "--arch",
              "unet",
              "--weights",
              c[0],
              "--out",
              run.toString());
      Hostile.oneLineError(r, c[1], c[2]);
      assertThat(r.err().lines().count()).as(r.all()).isEqualTo(1);
      assertThat(run).doesNotExist();
    }
  }
}
