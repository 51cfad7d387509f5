package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.seg4j.data.ImageFiles;
import org.seg4j.infer.LoadedModel;
import org.seg4j.infer.Outputs;
import org.seg4j.infer.PredictionMaps;
import org.seg4j.io.RawImage;
import org.seg4j.io.VideoReader;
import org.seg4j.io.Videos;

/**
 * {@code seg4j predict} on videos: the committed fixtures (tools/gen_test_videos.sh, a disc moving
 * over a dark background) come out as overlay videos of the same frame count, size and rate whose
 * frames are the overlays of per-frame predictions.
 */
class PredictVideoTest {
  @TempDir static Path dir;
  static Path run;

  /** The fixture folder, committed under seg4j-cli/src/test/resources/video/. */
  static final Path VIDEOS = Path.of("seg4j-cli/src/test/resources/video");

  @BeforeAll
  static void train() throws Exception {
    run = PredictModesTest.trainRun(dir);
  }

  record Frames(List<BufferedImage> frames, int width, int height, double fps) {}

  static Frames decode(Path file) throws Exception {
    List<BufferedImage> out = new ArrayList<>();
    try (VideoReader r = Videos.open(file)) {
      BufferedImage f;
      while ((f = r.next()) != null) {
        out.add(f);
      }
      return new Frames(out, r.width(), r.height(), r.fps());
    }
  }

  /**
   * Mean absolute luma difference over the pixels where {@code where} is true. Luma, because both
   * codecs store colour at half resolution (4:2:0), which blurs the overlay's colour edges on a
   * 64x48 frame whatever the quality; luma is kept at full resolution.
   */
  static double meanLumaDiff(BufferedImage a, RawImage b, boolean[] where) {
    double sum = 0;
    long n = 0;
    for (int y = 0; y < b.height(); y++) {
      for (int x = 0; x < b.width(); x++) {
        int p = y * b.width() + x;
        if (!where[p]) {
          continue;
        }
        int rgb = a.getRGB(x, y);
        double ya = 0.299 * (rgb >> 16 & 255) + 0.587 * (rgb >> 8 & 255) + 0.114 * (rgb & 255);
        double yb = 0.299 * b.sample(p, 0) + 0.587 * b.sample(p, 1) + 0.114 * b.sample(p, 2);
        sum += Math.abs(ya - yb);
        n++;
      }
    }
    return n == 0 ? 0 : sum / n;
  }

  @ParameterizedTest
  @ValueSource(strings = {"disc.mp4", "disc.avi"})
  void aVideoBecomesAnOverlayVideoWhoseFramesAreThePerFramePredictionsOverlays(String name)
      throws Exception {
    Path input = VIDEOS.resolve(name);
    assertThat(Files.size(input)).isLessThan(200_000);
    Path out = dir.resolve("out-" + name);
    CliRun r =
        CliRun.ok(
            "predict",
            "--run",
            run.toString(),
            "--input",
            input.toString(),
            "--output",
            out.toString());
    String ext = name.substring(name.lastIndexOf('.'));
    Path video = out.resolve("disc_overlay" + ext);
    assertThat(r.out())
        .contains("video " + name + ": 12 frames 64x48 at 10.0 fps")
        .contains(" fps) into " + video);
    assertThat(r.err()).contains("12/12 frames");
    Frames in = decode(input);
    Frames got = decode(video);
    assertThat(in.frames()).hasSize(12);
    assertThat(got.frames()).hasSameSizeAs(in.frames());
    assertThat(got.width()).isEqualTo(in.width());
    assertThat(got.height()).isEqualTo(in.height());
    assertThat(got.fps()).isEqualTo(in.fps());
    int fgFrames = 0;
    try (LoadedModel seg = LoadedModel.fromRun(run)) {
      for (int i = 0; i < in.frames().size(); i++) {
        ImageFiles.Read read = ImageFiles.ofBoth(in.frames().get(i), "f" + i, seg.inChannels());
        PredictionMaps p = seg.predict(read.model());
        RawImage expected = Outputs.overlay(read.display(), p.mask(), p.classes(), 0.5);
        RawImage plain = Outputs.overlay(read.display(), p.mask(), p.classes(), 0.0);
        boolean[] all = new boolean[p.mask().length];
        boolean[] fg = new boolean[p.mask().length];
        for (int k = 0; k < fg.length; k++) {
          all[k] = true;
          fg[k] = p.mask()[k] != 0;
        }
        BufferedImage frame = got.frames().get(i);
        double err = meanLumaDiff(frame, expected, all);
        double errFg = meanLumaDiff(frame, expected, fg);
        double plainFg = meanLumaDiff(frame, plain, fg);
        String figures =
            String.format(
                Locale.ROOT,
                "%s frame %d: luma |out - overlay| %.2f (foreground %.2f; the bare frame there %.2f)",
                name,
                i,
                err,
                errFg,
                plainFg);
        // both codecs keep the overlay's grey levels to ~2 (MJPEG at quality 0.92; H.264 from
        // seg4j's own BT.601 conversion, see Mp4Video.yuv); the bare frame is ~39 away there
        double limit = 3.0;
        assertThat(err).as("frame matches its overlay: %s", figures).isLessThan(limit);
        if (countTrue(fg) > 20) {
          fgFrames++;
          assertThat(errFg)
              .as("frame's foreground is overlaid: %s", figures)
              .isLessThan(plainFg / 8);
        }
      }
    }
    assertThat(fgFrames).as("the disc is found in most frames").isGreaterThan(8);
  }

  static int countTrue(boolean[] b) {
    int n = 0;
    for (boolean v : b) {
      n += v ? 1 : 0;
    }
    return n;
  }

  @Test
  void anUnsupportedCodecFailsInOneLineNamingTheCodecAndTheWayToConvert() {
    CliRun r =
        CliRun.of(
            "predict",
            "--run",
            run.toString(),
            "--input",
            VIDEOS.resolve("mpeg4.avi").toString(),
            "--output",
            dir.resolve("never").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("seg4j: error: ")
        .contains("mpeg4.avi: AVI video codec 'FMP4' is not supported")
        .contains("ffmpeg -i IN -c:v libx264")
        .doesNotContain("\tat ");
    assertThat(dir.resolve("never"))
        .satisfiesAnyOf(p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
  }
}
