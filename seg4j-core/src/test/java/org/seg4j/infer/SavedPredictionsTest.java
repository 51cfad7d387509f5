package org.seg4j.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.io.ImageIo;
import org.seg4j.io.Palettes;
import org.seg4j.io.RawImage;

/** Saved masks read back as class indices: names tried, value forms, and what is refused. */
class SavedPredictionsTest {
  @TempDir Path dir;

  @Test
  void namesAreTriedForTheIdThenTheImageStem() throws Exception {
    SavedPredictions s = new SavedPredictions(dir, 2);
    assertThat(s.candidates("7", "img_7"))
        .containsExactly(
            "7_mask.png",
            "7.png",
            "7_seg.png",
            "7_view.png",
            "img_7_mask.png",
            "img_7.png",
            "img_7_seg.png",
            "img_7_view.png");
    assertThat(s.find("7", "img_7")).isNull();
    ImageIo.writeGrey8(dir.resolve("img_7_view.png"), 2, 1, new int[] {0, 255});
    assertThat(s.find("7", "img_7")).isEqualTo(dir.resolve("img_7_view.png"));
    ImageIo.writeGrey8(dir.resolve("7_seg.png"), 2, 1, new int[] {0, 1});
    assertThat(s.find("7", "img_7")).isEqualTo(dir.resolve("7_seg.png"));
    assertThat(s.read(dir.resolve("img_7_view.png"), 2, 1)).containsExactly(0, 1);
    assertThat(s.read(dir.resolve("7_seg.png"), 2, 1)).containsExactly(0, 1);
  }

  @Test
  void paletteMasksGiveTheirIndicesAndOutOfRangeValuesAreRefused() throws Exception {
    Path f = dir.resolve("a_view.png");
    ImageIo.writePalette(f, 4, 1, new int[] {0, 1, 2, 2}, Palettes.voc(256));
    assertThat(new SavedPredictions(dir, 3).read(f, 4, 1)).containsExactly(0, 1, 2, 2);
    assertThatThrownBy(() -> new SavedPredictions(dir, 2).read(f, 4, 1))
        .hasMessageContaining(f.toString())
        .hasMessageContaining("holds value 2 at (2, 0)")
        .hasMessageContaining("2 classes");
    Path binary = dir.resolve("b.png");
    ImageIo.writeGrey8(binary, 2, 1, new int[] {0, 255});
    // 255 is a foreground only for two classes
    assertThatThrownBy(() -> new SavedPredictions(dir, 3).read(binary, 2, 1))
        .hasMessageContaining("holds value 255");
  }

  @Test
  void colourImagesAndWrongSizesAreRefused() throws Exception {
    Path rgb = dir.resolve("c.png");
    ImageIo.write(RawImage.rgb8(1, 1, new int[] {200, 10, 10}), rgb);
    assertThatThrownBy(() -> new SavedPredictions(dir, 2).read(rgb, 1, 1))
        .hasMessageContaining("colour image")
        .hasMessageContaining("_mask.png");
    Path grey = dir.resolve("d.png");
    ImageIo.writeGrey8(grey, 2, 2, new int[4]);
    assertThatThrownBy(() -> new SavedPredictions(dir, 2).read(grey, 3, 2))
        .hasMessageContaining("d.png is 2x2")
        .hasMessageContaining("3x2");
    assertThatThrownBy(() -> new SavedPredictions(dir.resolve("nope"), 2))
        .hasMessageContaining("predictions=")
        .hasMessageContaining("is not a folder");
  }
}
