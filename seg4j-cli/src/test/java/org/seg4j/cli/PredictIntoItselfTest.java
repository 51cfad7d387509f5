package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.io.ImageIo;
import org.seg4j.io.Provenance;
import org.seg4j.io.RawImage;

/**
 * Issue 9 item 9: predicting a folder into itself predicts only the original images, however often
 * it runs. seg4j's own outputs are known by the PNG marker they carry and, for outputs written
 * before the marker existed, by their names ({@code <id>_mask.png} beside {@code <id>.png}).
 */
class PredictIntoItselfTest {
  @TempDir static Path dir;
  static Path data;
  static Path run;

  @BeforeAll
  static void train() throws Exception {
    data = TinyData.synthetic(dir.resolve("data"), 16);
    run = TinyData.train(data, dir.resolve("runs"), "r");
  }

  @Test
  void aSecondRunIntoTheInputFolderPredictsOnlyTheOriginals(@TempDir Path t) throws Exception {
    Path f = Files.createDirectories(t.resolve("photos"));
    for (int i = 0; i < 3; i++) {
      String n = String.format("synth_%04d.png", i);
      Files.copy(data.resolve("images").resolve(n), f.resolve(n));
    }
    String[] args = TinyData.predictArgs(run, f, f);
    CliRun first = CliRun.ok(args);
    assertThat(first.out()).contains("predicted 3 image(s)").doesNotContain("skipped");
    List<String> afterFirst = RunFiles.names(f);
    assertThat(afterFirst).hasSize(12);

    CliRun second = CliRun.ok(args);
    assertThat(second.out())
        .contains("skipped 9 file(s) in " + f + " that seg4j wrote itself")
        .contains("predicting 3 image(s)")
        .contains("predicted 3 image(s)");
    assertThat(second.out().lines().filter(l -> l.startsWith("skipped"))).hasSize(1);
    assertThat(RunFiles.names(f)).isEqualTo(afterFirst);
    assertThat(Provenance.of(f.resolve("synth_0000_mask.png"))).isEqualTo(Provenance.PREDICTION);
    assertThat(Provenance.of(f.resolve("synth_0000.png"))).isEqualTo(Provenance.DATA);
  }

  @Test
  void outputsWithoutTheMarkerAreKnownByNameBesideTheirImage(@TempDir Path t) throws Exception {
    Path f = Files.createDirectories(t.resolve("mixed"));
    Files.copy(data.resolve("images/synth_0001.png"), f.resolve("a.png"));
    // an overlay of an older seg4j (no marker), and an image that merely ends in _view
    var img = ImageIO.read(data.resolve("images/synth_0002.png").toFile());
    ImageIO.write(img, "png", f.resolve("a_overlay.png").toFile());
    ImageIO.write(img, "png", f.resolve("cell_view.png").toFile());
    assertThat(Provenance.of(f.resolve("a_overlay.png"))).isNull();

    CliRun r = CliRun.ok(TinyData.predictArgs(run, f, t.resolve("out"), "--save", "mask"));
    assertThat(r.out()).contains("skipped 1 file(s)").contains("e.g. a_overlay.png");
    assertThat(RunFiles.names(t.resolve("out")))
        .containsExactly("a_mask.png", "cell_view_mask.png");
  }

  @Test
  void onlyOwnOutputsRemainIsAClearError(@TempDir Path t) throws Exception {
    Path f = Files.createDirectories(t.resolve("outputs"));
    ImageIo.write(
        RawImage.grey8(2, 2, new int[] {0, 1, 1, 0}), f.resolve("x.png"), Provenance.PREDICTION);
    CliRun r = CliRun.of(TinyData.predictArgs(run, f, t.resolve("o")));
    Hostile.oneLineError(r, f.toString(), "only files seg4j wrote itself", "original images");
  }

  @Test
  void outputNamesFollowTheSuffixesInUse() {
    Set<String> stems = Set.of("a", "b_1");
    List<String> suffixes = List.of("_mask", "_seg", "_prob_");
    assertThat(OwnOutputs.namedLikeOutput("a_mask", stems, suffixes)).isTrue();
    assertThat(OwnOutputs.namedLikeOutput("a_seg", stems, suffixes)).isTrue();
    assertThat(OwnOutputs.namedLikeOutput("b_1_prob_cell", stems, suffixes)).isTrue();
    assertThat(OwnOutputs.namedLikeOutput("a_prob_", stems, suffixes)).isFalse();
    assertThat(OwnOutputs.namedLikeOutput("c_mask", stems, suffixes)).isFalse();
    assertThat(OwnOutputs.namedLikeOutput("a_mask_x", stems, suffixes)).isFalse();
    assertThat(OwnOutputs.namedLikeOutput("a", stems, suffixes)).isFalse();
  }
}
