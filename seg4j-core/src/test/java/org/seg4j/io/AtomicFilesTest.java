package org.seg4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AtomicFiles: a failed write leaves the old file and no temp file behind. */
class AtomicFilesTest {
  @TempDir Path dir;

  private List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  @Test
  void writesIntoNewFoldersAndReplaces() throws IOException {
    Path f = dir.resolve("a/b/c.bin");
    AtomicFiles.write(f, out -> out.write("one".getBytes(StandardCharsets.UTF_8)));
    AtomicFiles.write(f, out -> out.write("two".getBytes(StandardCharsets.UTF_8)));
    assertThat(Files.readString(f)).isEqualTo("two");
    try (Stream<Path> s = Files.list(f.getParent())) {
      assertThat(s.toList()).containsExactly(f);
    }
  }

  @Test
  void ioFailureMidWriteKeepsThePreviousFileAndLeavesNoTemp() throws IOException {
    Path f = dir.resolve("model.safetensors");
    Files.writeString(f, "previous");
    assertThatThrownBy(
            () ->
                AtomicFiles.write(
                    f,
                    out -> {
                      out.write(new byte[100_000]);
                      throw new IOException("disk full");
                    }))
        .isInstanceOf(IOException.class)
        .hasMessage("could not write " + f + ": disk full");
    assertThat(Files.readString(f)).isEqualTo("previous");
    assertThat(files()).containsExactly(f);
  }

  @Test
  void runtimeFailureMidWriteKeepsThePreviousFileAndLeavesNoTemp() throws IOException {
    Path f = dir.resolve("model.safetensors");
    Files.writeString(f, "previous");
    assertThatThrownBy(
            () ->
                AtomicFiles.write(
                    f,
                    out -> {
                      out.write(1);
                      throw new IllegalStateException("bug");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(Files.readString(f)).isEqualTo("previous");
    assertThat(files()).containsExactly(f);
  }

  @Test
  void aWriterByPathFillsATempFileThatOnlySuccessRenames() throws IOException {
    Path f = dir.resolve("clip_overlay.mp4");
    Files.writeString(f, "previous");
    assertThatThrownBy(
            () ->
                AtomicFiles.writeVia(
                    f,
                    tmp -> {
                      assertThat(tmp.getParent()).isEqualTo(dir.toAbsolutePath());
                      Files.writeString(tmp, "half");
                      throw new IOException("codec failed");
                    }))
        .hasMessage("could not write " + f + ": codec failed");
    assertThat(Files.readString(f)).isEqualTo("previous");
    assertThat(files()).containsExactly(f);
    AtomicFiles.writeVia(f, tmp -> Files.writeString(tmp, "new"));
    assertThat(Files.readString(f)).isEqualTo("new");
    assertThat(files()).containsExactly(f);
  }

  @Test
  void imagesCanBeWrittenAtomically() throws IOException {
    Path f = dir.resolve("a_view.png");
    ImageIo.writeAtomically(RawImage.grey8(3, 2, new int[] {0, 255, 0, 255, 0, 7}), f);
    assertThat(ImageIo.read(f).data()).containsExactly(0, 255, 0, 255, 0, 7);
    assertThat(files()).containsExactly(f);
  }
}
