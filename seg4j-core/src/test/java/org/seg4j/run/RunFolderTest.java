package org.seg4j.run;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFolderTest {
  @TempDir Path dir;

  @Test
  void aFolderThatIsNotARunNamesTheRunFolderInsideIt() throws IOException {
    // the demo writes runs/demo/{data,report,predictions,run}: runs/demo is not the run
    Path demo = dir.resolve("demo");
    Files.createDirectories(demo.resolve("run"));
    Files.writeString(demo.resolve("run/config.yml"), "name: run\n");
    Files.createDirectories(demo.resolve("data"));
    assertThatThrownBy(() -> RunFolder.existing(demo))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a seg4j run folder")
        .hasMessageContaining("the run folder inside it is " + demo.resolve("run"));
  }

  @Test
  void aFolderWithNoRunInsideSaysWhatARunFolderIs() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> RunFolder.existing(empty))
        .hasMessageContaining("not a seg4j run folder (expected runs/NAME)");
  }
}
