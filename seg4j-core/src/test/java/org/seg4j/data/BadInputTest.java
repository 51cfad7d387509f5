package org.seg4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.io.ImageIo;
import org.seg4j.io.RawImage;

class BadInputTest {
  @TempDir Path root;

  private DatasetSpec.Builder folder(boolean skipBad) {
    return DatasetSpec.builder(DatasetFormat.FOLDER, root).classes(2).skipBad(skipBad);
  }

  /** Fails without --skip-bad naming the file; with it, skips just that sample and lists it. */
  private void failsThenSkips(String file, ProblemKind kind, String value) {
    Throwable t =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> {
              CheckReport r = DatasetCheck.run(DatasetFactory.open(folder(false).build()));
              if (!r.ok()) {
                throw new DatasetException(r.toText(), r.problems());
              }
            });
    assertThat(t).isInstanceOf(DatasetException.class).hasMessageContaining(file);
    assertThat(((DatasetException) t).problems().get(0).kind()).isEqualTo(kind);
    assertThat(t).hasMessageContaining(value);
    CheckReport skip = DatasetCheck.run(DatasetFactory.open(folder(true).build()));
    assertThat(skip.ok()).as(skip.toText()).isTrue();
    assertThat(skip.skipped()).hasSize(1);
    assertThat(skip.skipped().get(0).file().toString()).endsWith(file);
    assertThat(skip.usable().size()).isEqualTo(2);
    assertThat(skip.toText()).contains("Skipped (data.skip_bad=true) (1)").contains(file);
    for (int i = 0; i < skip.usable().size(); i++) {
      assertThat(skip.usable().get(i).mask()).isNotNull();
    }
  }

  @Test
  void corruptImage() throws IOException {
    Fixtures.folder(root, 3);
    Files.writeString(root.resolve("images/1.png"), "garbage");
    failsThenSkips("images/1.png", ProblemKind.UNREADABLE, "cannot be read");
  }

  @Test
  void truncatedMask() throws IOException {
    Fixtures.folder(root, 3);
    Path m = root.resolve("masks/2.png");
    byte[] b = Files.readAllBytes(m);
    Files.write(m, Arrays.copyOf(b, 20));
    failsThenSkips("masks/2.png", ProblemKind.UNREADABLE, "cannot be read");
  }

  @Test
  void imageAndMaskSizesDiffer() throws IOException {
    Fixtures.folder(root, 3);
    ImageIo.write(RawImage.grey8(2, 2, new int[4]), root.resolve("masks/0.png"));
    failsThenSkips("masks/0.png", ProblemKind.SIZE_MISMATCH, "is 2x2 but its image 0.png is 4x3");
  }

  @Test
  void mixedChannelCounts() throws IOException {
    Fixtures.folder(root, 3);
    Fixtures.rgb(root.resolve("images/2.png"), 2);
    failsThenSkips(
        "images/2.png", ProblemKind.MIXED_CHANNELS, "has 3 channels but 2 of 3 images have 1");
    CheckReport converted =
        DatasetCheck.run(DatasetFactory.open(folder(false).channels(1).convert(true).build()));
    assertThat(converted.ok()).as(converted.toText()).isTrue();
  }

  @Test
  void declaredChannelsWithoutConvert() throws IOException {
    Fixtures.folder(root, 3);
    FileDataset ds = DatasetFactory.open(folder(false).channels(3).build());
    assertThatThrownBy(() -> ds.get(0))
        .hasMessageContaining("images/0.png has 1 channel")
        .hasMessageContaining("data.convert=true");
  }

  @Test
  void missingMask() throws IOException {
    Fixtures.folder(root, 3);
    Files.delete(root.resolve("masks/1.png"));
    assertThatThrownBy(() -> DatasetFactory.open(folder(false).build()))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("masks/1.png is missing");
    FileDataset ds = DatasetFactory.open(folder(true).build());
    assertThat(ds.size()).isEqualTo(2);
    assertThat(ds.badInputs().skipped()).hasSize(1);
    CheckReport r = DatasetCheck.run(ds);
    assertThat(r.ok()).isTrue();
    assertThat(r.toText()).contains("masks/1.png is missing");
  }

  @Test
  void emptyDatasetNamesTheFolderAndPattern() throws IOException {
    Files.createDirectories(root.resolve("images"));
    Files.writeString(root.resolve("images/readme.txt"), "x");
    assertThatThrownBy(() -> DatasetFactory.open(folder(true).build()))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("images holds no images named {id}.*")
        .hasMessageContaining("readme.txt");
    assertThatThrownBy(
            () ->
                DatasetFactory.open(
                    DatasetSpec.builder(DatasetFormat.FOLDER, root.resolve("nope")).build()))
        .hasMessageContaining("nope is not a folder");
  }

  @Test
  void allSkippedIsAnEmptyDataset() throws IOException {
    Fixtures.folder(root, 2);
    Files.writeString(root.resolve("images/0.png"), "bad");
    Files.writeString(root.resolve("images/1.png"), "bad");
    CheckReport r = DatasetCheck.run(DatasetFactory.open(folder(true).build()));
    assertThat(r.ok()).isFalse();
    assertThat(r.problems().get(0).kind()).isEqualTo(ProblemKind.EMPTY_DATASET);
  }

  @Test
  void listFileNamingAbsentIds() throws IOException {
    Fixtures.folder(root, 3);
    Fixtures.write(root.resolve("lists/train.txt"), "0\n7\n2\n");
    assertThatThrownBy(
            () -> DatasetFactory.open(folder(false).listFile(Path.of("lists/train.txt")).build()))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("images/7.png is named by id '7' in the list file");
    FileDataset ds = DatasetFactory.open(folder(true).listFile(Path.of("lists/train.txt")).build());
    assertThat(ds.size()).isEqualTo(2);
    assertThat(ds.id(1)).isEqualTo("2");
    assertThat(ds.badInputs().skipped().get(0).kind()).isEqualTo(ProblemKind.ABSENT_ID);
    assertThatThrownBy(
            () -> DatasetFactory.open(folder(false).listFile(Path.of("lists/none.txt")).build()))
        .hasMessageContaining("none.txt cannot be read");
  }

  @Test
  void perClassMissingClassMaskAndOrphans() throws IOException {
    for (String id : new String[] {"a", "b"}) {
      Fixtures.grey(root.resolve("images/" + id + ".png"), 1);
      Fixtures.mask(root.resolve("masks/0/" + id + ".png"), Fixtures.labels(255, 0));
    }
    Fixtures.mask(root.resolve("masks/1/a.png"), Fixtures.labels(255, 0));
    assertThatThrownBy(
            () -> DatasetFactory.open(DatasetSpec.builder(DatasetFormat.PER_CLASS, root).build()))
        .hasMessageContaining("masks/1/b.png is missing");
  }

  @Test
  void orphanMasksAreNoted() throws IOException {
    Fixtures.folder(root, 2);
    Fixtures.mask(root.resolve("masks/9.png"), Fixtures.labels(1, 0));
    CheckReport r = DatasetCheck.run(DatasetFactory.open(folder(false).build()));
    assertThat(r.ok()).isTrue();
    assertThat(r.orphanMasks()).isEqualTo(1);
    assertThat(r.toText()).contains("1 masks without an image").contains("masks/9.png");
  }
}
