package org.seg4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.io.Palettes;
import org.seg4j.io.RawImage;

class MaskCodecsTest {
  @TempDir Path dir;

  private static MaskCodec codec(String spec) {
    return MaskCodecs.parse(spec, null, -1);
  }

  @Test
  void indexTakesGreyPaletteAndEqualChannelRgb() throws MaskCodecException {
    assertThat(codec("index").decode(RawImage.grey8(3, 1, new int[] {0, 2, 5})))
        .containsExactly(0, 2, 5);
    RawImage pal = RawImage.indexed(2, 1, new int[] {15, 255}, Palettes.voc(256));
    assertThat(codec("index").decode(pal)).containsExactly(15, 255);
    RawImage greyRgb = RawImage.rgb8(2, 1, new int[] {3, 3, 3, 1, 1, 1});
    assertThat(codec("index").decode(greyRgb)).containsExactly(3, 1);
    RawImage colour = RawImage.rgb8(2, 1, new int[] {128, 0, 0, 0, 0, 0});
    assertThatThrownBy(() -> codec("index").decode(colour))
        .isInstanceOf(MaskCodecException.class)
        .hasMessageContaining("(128,0,0)");
  }

  @Test
  void binary255MapsWhiteToOneAndRejectsOthers() throws MaskCodecException {
    assertThat(codec("binary255").decode(RawImage.grey8(3, 1, new int[] {0, 255, 0})))
        .containsExactly(0, 1, 0);
    RawImage sixteen = new RawImage("raw", 2, 1, 1, 16, false, null, new int[] {65535, 0});
    assertThat(codec("binary255").decode(sixteen)).containsExactly(1, 0);
    assertThatThrownBy(() -> codec("binary255").decode(RawImage.grey8(2, 1, new int[] {0, 1})))
        .hasMessageContaining("{0, 1}");
  }

  @Test
  void thresholdCutsGreyAndColour() {
    MaskCodec t = codec("threshold:128");
    assertThat(t.name()).isEqualTo("threshold:128");
    assertThat(t instanceof ThresholdCodec).isTrue();
    int[] out = ((ThresholdCodec) t).decode(RawImage.grey8(4, 1, new int[] {0, 127, 128, 250}));
    assertThat(out).containsExactly(0, 0, 1, 1);
    int[] rgb =
        ((ThresholdCodec) t).decode(RawImage.rgb8(2, 1, new int[] {250, 250, 240, 10, 5, 0}));
    assertThat(rgb).containsExactly(1, 0);
  }

  @Test
  void paletteNeedsAPalettePng() throws MaskCodecException {
    RawImage pal = RawImage.indexed(2, 1, new int[] {1, 0}, Palettes.voc(256));
    assertThat(codec("palette").decode(pal)).containsExactly(1, 0);
    assertThatThrownBy(() -> codec("palette").decode(RawImage.grey8(1, 1, new int[] {0})))
        .hasMessageContaining("not a palette PNG");
  }

  @Test
  void rgbLooksColoursUpInTheClassesFile() throws IOException, MaskCodecException {
    Path classes = dir.resolve("classes.txt");
    Fixtures.write(classes, "# name r g b\nbackground 0 0 0\nroad 128 64 128\nvoid 255 255 255\n");
    ClassNames names = ClassNames.read(classes);
    assertThat(names.names()).containsExactly("background", "road");
    MaskCodec rgb = MaskCodecs.parse("rgb", names, 255);
    RawImage m = RawImage.rgb8(3, 1, new int[] {0, 0, 0, 128, 64, 128, 255, 255, 255});
    assertThat(rgb.decode(m)).containsExactly(0, 1, 255);
    RawImage odd = RawImage.rgb8(1, 1, new int[] {1, 2, 3});
    assertThatThrownBy(() -> rgb.decode(odd)).hasMessageContaining("(1,2,3)");
    RawImage pal = RawImage.indexed(1, 1, new int[] {0}, new int[] {0x804080});
    assertThat(rgb.decode(pal)).containsExactly(1);
  }

  @Test
  void parseNamesTheValidForms() {
    assertThatThrownBy(() -> codec("binary"))
        .hasMessageContaining("index, binary255, threshold:N, palette, rgb");
    assertThatThrownBy(() -> codec("threshold:x")).hasMessageContaining("threshold:128");
    assertThatThrownBy(() -> codec("rgb")).hasMessageContaining("name r g b");
  }

  @Test
  void classNamesFileNeedsColoursOnAllOrNoLines() throws IOException {
    Path f = dir.resolve("c.txt");
    Fixtures.write(f, "background\n\ncat\n# comment\npotted plant\n");
    assertThat(ClassNames.read(f).names()).containsExactly("background", "cat", "potted plant");
    Fixtures.write(f, "background 0 0 0\ncat\n");
    assertThatThrownBy(() -> ClassNames.read(f))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("c.txt");
    assertThat(List.of(ClassNames.numbered(2).name(1), ClassNames.numbered(2).name(5)))
        .containsExactly("class1", "class5");
  }
}
