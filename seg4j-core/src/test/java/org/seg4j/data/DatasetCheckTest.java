package org.seg4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.io.ImageIo;
import org.seg4j.io.RawImage;

class DatasetCheckTest {
  @TempDir Path root;

  private CheckReport check(DatasetSpec.Builder b) {
    return DatasetCheck.run(DatasetFactory.open(b.build()));
  }

  private DatasetSpec.Builder folder() {
    return DatasetSpec.builder(DatasetFormat.FOLDER, root);
  }

  private void pairs(int n, int[] maskValues) throws IOException {
    for (int i = 0; i < n; i++) {
      Fixtures.grey(root.resolve("images/" + i + ".png"), i);
      Fixtures.mask(root.resolve("masks/" + i + ".png"), maskValues);
    }
  }

  @Test
  void zeroTo255WithTwoClassesSuggestsBinary255() throws IOException {
    pairs(2, Fixtures.labels(255, 0));
    // with no ignore index, each mask is named
    CheckReport r = check(folder().classes(2).ignoreIndex(-1));
    assertThat(r.ok()).isFalse();
    assertThat(r.problems()).hasSize(2);
    assertThat(r.problems().get(0).message(root))
        .isEqualTo("masks/0.png holds values {0, 255} but classes=2: use data.mask=binary255");
    assertThat(r.toText()).contains("FAILED").contains("and 1 more: masks/1.png");
    // with the default ignore index 255 (as train has it), the set has no foreground at all
    CheckReport byDefault = check(folder().classes(2));
    assertThat(byDefault.problems()).hasSize(1);
    assertThat(byDefault.problems().get(0).message(root))
        .contains("hold only class 0 and the ignore index 255")
        .contains("use data.mask=binary255");
    assertThatThrownBy(
            () -> DatasetCheck.verified(DatasetFactory.open(folder().classes(2).build())))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("use data.mask=binary255");
    CheckReport fixed = check(folder().classes(2).mask("binary255"));
    assertThat(fixed.ok()).as(fixed.toText()).isTrue();
  }

  @Test
  void undeclaredClassesWith0And255AlsoSuggestBinary255() throws IOException {
    pairs(1, Fixtures.labels(255, 0));
    CheckReport r = check(folder());
    assertThat(r.ok()).isFalse();
    assertThat(r.problems().get(0).fix()).contains("data.mask=binary255");
  }

  @Test
  void undeclaredClassesAreInferredFromSmallValues() throws IOException {
    pairs(2, Fixtures.labels(2, 1));
    CheckReport r = check(folder());
    assertThat(r.ok()).as(r.toText()).isTrue();
    assertThat(r.classes()).isEqualTo(3);
    assertThat(r.classesInferred()).isTrue();
    assertThat(r.usable().numClasses()).isEqualTo(3);
  }

  @Test
  void jpegMaskSuggestsThreshold() throws IOException {
    Fixtures.grey(root.resolve("images/a.png"), 1);
    int[] big = new int[64 * 64];
    int[] img = new int[64 * 64];
    for (int p = 0; p < big.length; p++) {
      big[p] = (p % 64) > 20 && (p / 64) % 9 > 3 ? 255 : 0;
    }
    ImageIo.write(RawImage.grey8(64, 64, img), root.resolve("images/a.png"));
    ImageIo.write(RawImage.grey8(64, 64, big), root.resolve("masks/a.jpg"));
    CheckReport r = check(folder().classes(2));
    assertThat(r.ok()).isFalse();
    assertThat(r.problems().get(0).message(root))
        .startsWith("masks/a.jpg holds values {0, ")
        .contains("use data.mask=threshold:128");
    CheckReport fixed = check(folder().classes(2).mask("threshold:128"));
    assertThat(fixed.ok()).as(fixed.toText()).isTrue();
  }

  @Test
  void rgbMaskReadWithIndexSuggestsRgbOrPalette() throws IOException {
    Fixtures.grey(root.resolve("images/a.png"), 1);
    int[] rgb = new int[Fixtures.W * Fixtures.H * 3];
    rgb[0] = 128; // one red pixel, rest black
    ImageIo.write(RawImage.rgb8(Fixtures.W, Fixtures.H, rgb), root.resolve("masks/a.png"));
    CheckReport r = check(folder().classes(2));
    assertThat(r.problems()).hasSize(1);
    Problem p = r.problems().get(0);
    assertThat(p.kind()).isEqualTo(ProblemKind.MASK_FORMAT);
    assertThat(p.message(root))
        .contains("masks/a.png is an RGB colour image with colours {(0,0,0), (128,0,0)}")
        .contains("data.mask=rgb")
        .contains("data.mask=palette");
  }

  @Test
  void paletteCodecOnGreyMaskSuggestsIndex() throws IOException {
    pairs(1, Fixtures.labels(1, 0));
    CheckReport r = check(folder().classes(2).mask("palette"));
    assertThat(r.problems().get(0).message(root))
        .isEqualTo(
            "masks/0.png is an 8-bit grey png image, not a palette PNG: use data.mask=index");
  }

  @Test
  void binary255OnIndexMaskSuggestsIndex() throws IOException {
    pairs(1, Fixtures.labels(1, 0));
    CheckReport r = check(folder().classes(2).mask("binary255"));
    assertThat(r.problems().get(0).fix()).startsWith("use data.mask=index");
  }

  @Test
  void valuesBeyondTheClassesAreNamed() throws IOException {
    pairs(1, Fixtures.labels(1, 7));
    CheckReport r = check(folder().classes(3).ignoreIndex(-1));
    assertThat(r.problems().get(0).message(root))
        .isEqualTo(
            "masks/0.png holds values {0, 1, 7} but classes=3: use model.classes=8 if these are"
                + " real classes, or fix the mask");
    pairs(1, Fixtures.labels(1, 255));
    CheckReport v = check(folder().classes(3).ignoreIndex(-1));
    assertThat(v.problems().get(0).fix()).startsWith("set data.ignore_index=255");
    CheckReport byDefault = check(folder().classes(3));
    assertThat(byDefault.ok()).as(byDefault.toText()).isTrue();
    assertThat(byDefault.stats().ignored()).isEqualTo(1);
    CheckReport ok = check(folder().classes(3).ignoreIndex(255));
    assertThat(ok.ok()).as(ok.toText()).isTrue();
    assertThat(ok.stats().ignored()).isEqualTo(1);
  }

  @Test
  void getFailsWithTheSameMessageAsTheCheck() throws IOException {
    pairs(1, Fixtures.labels(255, 0));
    FileDataset ds = DatasetFactory.open(folder().classes(2).ignoreIndex(-1).build());
    assertThatThrownBy(() -> ds.get(0))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("0.png holds values {0, 255} but classes=2: use data.mask=binary255");
  }

  @Test
  void reportsCountsFrequenciesAndWeights() throws IOException {
    // image a: 9 px class 0, 3 px class 1; image b: 12 px class 0.
    int[] a = new int[12];
    a[0] = 1;
    a[1] = 1;
    a[2] = 1;
    Fixtures.grey(root.resolve("images/a.png"), 1);
    Fixtures.mask(root.resolve("masks/a.png"), a);
    Fixtures.grey(root.resolve("images/b.png"), 2);
    Fixtures.mask(root.resolve("masks/b.png"), new int[12]);
    Fixtures.write(root.resolve("classes.txt"), "background\ncell\n");
    CheckReport r = check(folder());
    assertThat(r.ok()).as(r.toText()).isTrue();
    assertThat(r.classes()).isEqualTo(2);
    assertThat(r.samples()).isEqualTo(2);
    assertThat(r.sizes()).containsEntry("4x3", 2);
    assertThat(r.channels()).containsEntry(1, 2);
    assertThat(r.maskValues()).hasSize(2);
    assertThat(r.stats().pixels()).containsExactly(21, 3);
    // freq0 = 21/24, freq1 = 3/12; median = (0.875 + 0.25) / 2
    double median = (21.0 / 24 + 3.0 / 12) / 2;
    assertThat(r.classWeights()[0]).isCloseTo(median / (21.0 / 24), offset(1e-12));
    assertThat(r.classWeights()[1]).isCloseTo(median / 0.25, offset(1e-12));
    assertThat(r.posWeight()).isEqualTo(7.0);
    assertThat(r.toText())
        .contains("cell")
        .contains("Suggested pos_weight (binary): 7.0000")
        .contains("{0, 1}: 1 file")
        .endsWith("OK\n");
  }
}
