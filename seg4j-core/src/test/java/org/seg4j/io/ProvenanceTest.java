package org.seg4j.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.IIOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every PNG seg4j writes carries its marker without changing a pixel, and a failed write says why
 * in the operating system's words (issue 9 items 4 and 9).
 */
class ProvenanceTest {
  @TempDir Path dir;

  @Test
  void theMarkerRidesAlongEveryKindOfPngAndLeavesThePixels() throws IOException {
    List<RawImage> images =
        List.of(
            RawImage.grey8(3, 2, new int[] {0, 255, 0, 255, 0, 7}),
            RawImage.indexed(2, 1, new int[] {0, 2}, Palettes.voc(256)),
            RawImage.rgb8(1, 2, new int[] {1, 2, 3, 250, 251, 252}),
            new RawImage("png", 2, 1, 1, 16, false, null, new int[] {0, 65535}));
    int i = 0;
    for (RawImage img : images) {
      Path f = dir.resolve("i" + i++ + ".png");
      ImageIo.write(img, f, Provenance.PREDICTION);
      assertThat(Provenance.of(f)).as(f.toString()).isEqualTo(Provenance.PREDICTION);
      RawImage back = ImageIo.read(f);
      assertThat(back.data()).as(f.toString()).containsExactly(img.data());
      assertThat(back.bitDepth()).isEqualTo(img.bitDepth());
      assertThat(back.isPalette()).isEqualTo(img.isPalette());
    }
    Path plain = dir.resolve("plain.png");
    ImageIo.write(RawImage.grey8(1, 1, new int[] {9}), plain);
    assertThat(Provenance.of(plain)).isEqualTo(Provenance.DATA);
    assertThat(Provenance.isOutput(Provenance.of(plain))).isFalse();
    assertThat(Provenance.isOutput(Provenance.PREDICTION)).isTrue();
    assertThat(Provenance.isOutput(Provenance.REPORT)).isTrue();
    assertThat(Provenance.isOutput(Provenance.AUGMENT)).isFalse();
  }

  @Test
  void filesWithoutAMarkerHaveNone() throws IOException {
    Path jpg = dir.resolve("a.jpg");
    ImageIo.write(RawImage.rgb8(1, 1, new int[] {1, 2, 3}), jpg);
    assertThat(Provenance.of(jpg)).isNull();
    assertThat(Provenance.of(Files.writeString(dir.resolve("b.png"), "not a png"))).isNull();
    assertThat(Provenance.of(dir.resolve("missing.png"))).isNull();
  }

  @Test
  void aFullDiskOrAFileSizeLimitIsSaidInWords() {
    Path f = dir.resolve("x_overlay.png");
    // what javax.imageio's PNG writer throws when the disk is full
    Exception full =
        new IIOException("I/O error writing PNG file!", new IOException("No space left on device"));
    assertThat(AtomicFiles.failure(f, full))
        .isEqualTo(
            "could not write "
                + f
                + ": no space left on device: free some space or write to"
                + " another disk");
    Exception big = new IOException("File too large");
    assertThat(AtomicFiles.failure(f, big))
        .startsWith("could not write " + f + ": the file size limit was hit (File too large)");
    Exception other = new IIOException("I/O error writing PNG file!", new IOException("odd"));
    assertThat(IoErrors.reason(other)).isEqualTo("I/O error writing PNG file! (odd)");
    assertThat(IoErrors.fix(other)).isNull();
    assertThat(IoErrors.reason(new AccessDeniedException("/x/.a.tmp")))
        .isEqualTo("permission denied");
    assertThat(IoErrors.reason(new DirectoryNotEmptyException("/x/a.png")))
        .isEqualTo("/x/a.png: a folder of that name is in the way");
  }

  @Test
  void aWriteThatFailsMidWayLeavesTheOldFileAndSaysWhy() throws IOException {
    Path f = dir.resolve("counts.csv");
    Files.writeString(f, "old");
    try {
      AtomicFiles.write(
          f,
          out -> {
            out.write(new byte[70_000]);
            throw new IOException("No space left on device");
          });
      throw new AssertionError("the write should fail");
    } catch (IOException e) {
      assertThat(e).hasMessageContaining("could not write " + f + ": no space left on device");
    }
    assertThat(Files.readString(f)).isEqualTo("old");
    try (var s = Files.list(dir)) {
      assertThat(s.toList()).containsExactly(f);
    }
  }
}
