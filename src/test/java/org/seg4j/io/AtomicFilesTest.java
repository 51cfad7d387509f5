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
}
