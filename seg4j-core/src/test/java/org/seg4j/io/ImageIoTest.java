package org.seg4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageIoTest {
  @TempDir Path dir;

  private static int[] ramp(int n, int step, int mod) {
    int[] v = new int[n];
    for (int i = 0; i < n; i++) {
      v[i] = (i * step) % mod;
    }
    return v;
  }

  private RawImage roundTrip(RawImage image, String name) throws IOException {
    Path file = dir.resolve(name);
    ImageIo.write(image, file);
    return ImageIo.read(file);
  }

  @Test
  void grey8PngKeepsValues() throws IOException {
    RawImage in = RawImage.grey8(5, 3, ramp(15, 17, 256));
    RawImage out = roundTrip(in, "g.png");
    assertThat(out.format()).isEqualTo("png");
    assertThat(out.channels()).isEqualTo(1);
    assertThat(out.bitDepth()).isEqualTo(8);
    assertThat(out.isPalette()).isFalse();
    assertThat(out.data()).containsExactly(in.data());
  }

  @Test
  void grey16PngAndTiffKeepBitDepth() throws IOException {
    RawImage in = new RawImage("raw", 4, 4, 1, 16, false, null, ramp(16, 4099, 65536));
    for (String name : new String[] {"g16.png", "g16.tif"}) {
      RawImage out = roundTrip(in, name);
      assertThat(out.bitDepth()).as(name).isEqualTo(16);
      assertThat(out.maxValue()).isEqualTo(65535);
      assertThat(out.data()).as(name).containsExactly(in.data());
    }
  }

  @Test
  void rgbAndRgbaKeepChannelOrder() throws IOException {
    int[] rgb = {255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30};
    RawImage out = roundTrip(RawImage.rgb8(2, 2, rgb), "c.png");
    assertThat(out.channels()).isEqualTo(3);
    assertThat(out.data()).containsExactly(rgb);
    int[] rgba = {255, 0, 0, 7, 0, 255, 0, 8, 0, 0, 255, 9, 1, 2, 3, 255};
    RawImage outA = roundTrip(new RawImage("raw", 2, 2, 4, 8, true, null, rgba), "ca.png");
    assertThat(outA.alpha()).isTrue();
    assertThat(outA.colorChannels()).isEqualTo(3);
    assertThat(outA.data()).containsExactly(rgba);
    RawImage tif = roundTrip(RawImage.rgb8(2, 2, rgb), "c.tiff");
    assertThat(tif.format()).isEqualTo("tiff");
    assertThat(tif.data()).containsExactly(rgb);
  }

  @Test
  void paletteKeepsIndicesNotColours() throws IOException {
    int[] idx = {0, 1, 2, 255, 15, 0};
    Path file = dir.resolve("p.png");
    ImageIo.writePalette(file, 3, 2, idx, Palettes.voc(256));
    RawImage out = ImageIo.read(file);
    assertThat(out.isPalette()).isTrue();
    assertThat(out.channels()).isEqualTo(1);
    assertThat(out.data()).containsExactly(idx);
    assertThat(out.palette()[1]).isEqualTo(0x800000);
    assertThat(out.palette()[255]).isEqualTo(0xE0E0C0);
  }

  @Test
  void jpegIsLossyButClose() throws IOException {
    int[] v = new int[64];
    Arrays.fill(v, 200);
    RawImage out = roundTrip(RawImage.grey8(8, 8, v), "j.jpg");
    assertThat(out.format()).isEqualTo("jpeg");
    assertThat(out.channels()).isEqualTo(1);
    for (int s : out.data()) {
      assertThat(s).isBetween(195, 205);
    }
    assertThatThrownBy(
            () ->
                ImageIo.write(
                    new RawImage("raw", 1, 1, 2, 8, true, null, new int[2]), dir.resolve("a.jpg")))
        .hasMessageContaining("JPEG");
  }

  @Test
  void vocPaletteMatchesKnownColours() {
    int[] p = Palettes.voc(256);
    assertThat(p[0]).isEqualTo(0);
    assertThat(p[2]).isEqualTo(0x008000);
    assertThat(p[3]).isEqualTo(0x808000);
    assertThat(p[15]).isEqualTo(0xC08080);
    assertThat(p[20]).isEqualTo(0x004080);
  }

  @Test
  void corruptAndMissingFilesNameTheFile() throws IOException {
    Path bad = dir.resolve("bad.png");
    Files.writeString(bad, "not an image");
    assertThatThrownBy(() -> ImageIo.read(bad)).hasMessageContaining("bad.png");
    Path truncated = dir.resolve("t.png");
    ImageIo.writeGrey8(truncated, 64, 64, ramp(4096, 7, 256));
    byte[] bytes = Files.readAllBytes(truncated);
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> ImageIo.read(truncated)).hasMessageContaining("t.png");
    assertThatThrownBy(() -> ImageIo.read(dir.resolve("none.png")))
        .hasMessageContaining("none.png");
  }
}
