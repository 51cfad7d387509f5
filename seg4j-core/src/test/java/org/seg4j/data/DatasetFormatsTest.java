package org.seg4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.seg4j.data.Fixtures.H;
import static org.seg4j.data.Fixtures.W;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.io.ImageIo;
import org.seg4j.io.RawImage;

class DatasetFormatsTest {
  @TempDir Path root;

  @Test
  void folderPairsByPatternAndDecodesLazily() throws IOException {
    for (int i : new int[] {10, 2, 1}) {
      Fixtures.grey(root.resolve("img/" + i + ".png"), i);
      Fixtures.mask(root.resolve("lbl/" + i + "_mask.png"), Fixtures.labels(2, 1));
    }
    FileDataset ds =
        DatasetFactory.open(
            DatasetSpec.builder(DatasetFormat.FOLDER, root)
                .imageDir(Path.of("img"))
                .maskDir(Path.of("lbl"))
                .imagePattern("{id}.png")
                .maskPattern("{id}_mask.png")
                .classes(3)
                .build());
    assertThat(ds.size()).isEqualTo(3);
    assertThat(List.of(ds.id(0), ds.id(1), ds.id(2))).containsExactly("1", "2", "10");
    assertThat(ds.maskPaths(2).get(0).getFileName().toString()).isEqualTo("10_mask.png");
    Sample s = ds.get(1);
    assertThat(s.id()).isEqualTo("2");
    assertThat(s.channels()).isEqualTo(1);
    assertThat(s.height()).isEqualTo(H);
    assertThat(s.width()).isEqualTo(W);
    assertThat(s.pixel(0, 0, 1)).isEqualTo(Fixtures.greyValues(2)[1] / 255f);
    assertThat(s.mask()).containsExactly(Fixtures.labels(2, 1));
  }

  @Test
  void folderAnyExtensionPairsJpegImagesWithPngMasks() throws IOException {
    Fixtures.rgb(root.resolve("images/a.jpg"), 1);
    Fixtures.mask(root.resolve("masks/a.png"), Fixtures.labels(1, 0));
    Fixtures.grey(root.resolve("images/b.tif"), 2);
    Fixtures.mask(root.resolve("masks/b.png"), Fixtures.labels(1, 0));
    FileDataset ds =
        DatasetFactory.open(
            DatasetSpec.builder(DatasetFormat.FOLDER, root).channels(3).convert(true).build());
    assertThat(ds.size()).isEqualTo(2);
    assertThat(ds.get(0).channels()).isEqualTo(3);
    Sample b = ds.get(1);
    assertThat(b.channels()).isEqualTo(3);
    assertThat(b.pixel(2, 0, 3)).isEqualTo(b.pixel(0, 0, 3)); // grey replicated
    assertThat(b.pixel(0, 0, 3)).isEqualTo(Fixtures.greyValues(2)[3] / 255f);
  }

  @Test
  void vocReadsPaletteIndicesAndSplitLists() throws IOException {
    int[] idx = Fixtures.labels(15, 255);
    for (String id : List.of("2007_000032", "2007_000039", "2007_000063")) {
      Fixtures.rgb(root.resolve("JPEGImages/" + id + ".jpg"), 3);
      Fixtures.paletteMask(root.resolve("SegmentationClass/" + id + ".png"), idx);
    }
    Fixtures.rgb(root.resolve("JPEGImages/2008_000001.jpg"), 4); // no mask: not a seg sample
    Fixtures.write(root.resolve("ImageSets/Segmentation/train.txt"), "2007_000032\n2007_000063\n");
    FileDataset all =
        DatasetFactory.open(DatasetSpec.builder(DatasetFormat.VOC, root).classes(21).build());
    assertThat(all.size()).isEqualTo(3);
    assertThat(all.ignoreIndex()).isEqualTo(255);
    Sample s = all.get(0);
    assertThat(s.channels()).isEqualTo(3);
    assertThat(s.mask()).containsExactly(idx);
    FileDataset train =
        DatasetFactory.open(
            DatasetSpec.builder(DatasetFormat.VOC, root).split("train").classes(21).build());
    assertThat(train.size()).isEqualTo(2);
    assertThat(train.id(1)).isEqualTo("2007_000063");
    assertThat(DatasetCheck.run(train).ok()).isTrue();
  }

  @Test
  void perClassFoldersBecomeOneClassMap() throws IOException {
    for (String id : List.of("x", "y")) {
      Fixtures.grey(root.resolve("images/" + id + ".png"), 1);
      int[] a = new int[W * H];
      int[] b = new int[W * H];
      a[0] = 255;
      b[1] = 255;
      b[5] = 255;
      Fixtures.mask(root.resolve("masks/0/" + id + ".png"), a);
      Fixtures.mask(root.resolve("masks/1/" + id + ".png"), b);
    }
    FileDataset ds =
        DatasetFactory.open(DatasetSpec.builder(DatasetFormat.PER_CLASS, root).build());
    assertThat(ds.numClasses()).isEqualTo(3);
    assertThat(ds.classNames().names()).containsExactly("background", "0", "1");
    assertThat(ds.maskPaths(0)).hasSize(2);
    int[] m = ds.get(0).mask();
    assertThat(m[0]).isEqualTo(1);
    assertThat(m[1]).isEqualTo(2);
    assertThat(m[5]).isEqualTo(2);
    assertThat(m[2]).isZero();
  }

  @Test
  void perClassOrderIsTheSortedFolderOrderWhateverIsAskedFirst() throws IOException {
    // created out of order: the classes are background, then 2, 10 (numbers by value), A, b
    List<String> created = List.of("b", "10", "A", "2");
    for (int k = 0; k < created.size(); k++) {
      Fixtures.grey(root.resolve("images/x.png"), 1);
      int[] m = new int[W * H];
      m[k] = 255;
      Fixtures.mask(root.resolve("masks/" + created.get(k) + "/x.png"), m);
    }
    DatasetSpec spec = DatasetSpec.builder(DatasetFormat.PER_CLASS, root).build();
    List<String> sorted = List.of("background", "2", "10", "A", "b");
    FileDataset ds = DatasetFactory.open(spec);
    assertThat(ds.classNames().names()).containsExactlyElementsOf(sorted);
    assertThat(ds.maskPaths(0))
        .extracting(f -> f.getParent().getFileName().toString())
        .containsExactly("2", "10", "A", "b");
    // pixel k was set in the mask of created[k]: its class is that folder's place in sorted
    int[] mask = ds.get(0).mask();
    for (int k = 0; k < created.size(); k++) {
      assertThat(mask[k]).isEqualTo(sorted.indexOf(created.get(k)));
    }
    // the reader answers the same whether the names or the entries are asked first
    PerClassReader namesFirst = new PerClassReader(spec);
    assertThat(namesFirst.classNames(null, null).names()).containsExactlyElementsOf(sorted);
    namesFirst.entries();
    assertThat(namesFirst.classNames(null, null).names()).containsExactlyElementsOf(sorted);
    PerClassReader entriesFirst = new PerClassReader(spec);
    entriesFirst.entries();
    assertThat(entriesFirst.classNames(null, null).names()).containsExactlyElementsOf(sorted);
    assertThat(entriesFirst.formatClasses()).isEqualTo(5);
  }

  @Test
  void aClassesFileNamingTheFoldersSetsTheClassOrderByName() throws IOException {
    // folders sort as cell, nucleus; the file says nucleus is class 1 and cell class 2
    Fixtures.grey(root.resolve("images/x.png"), 1);
    int[] cell = new int[W * H];
    int[] nucleus = new int[W * H];
    cell[0] = 255;
    nucleus[1] = 255;
    Fixtures.mask(root.resolve("masks/cell/x.png"), cell);
    Fixtures.mask(root.resolve("masks/nucleus/x.png"), nucleus);
    Files.writeString(root.resolve("classes.txt"), "background\nnucleus\ncell\n");
    FileDataset ds =
        DatasetFactory.open(DatasetSpec.builder(DatasetFormat.PER_CLASS, root).build());
    assertThat(ds.classNames().names()).containsExactly("background", "nucleus", "cell");
    int[] m = ds.get(0).mask();
    assertThat(m[1]).as("the nucleus pixel").isEqualTo(1);
    assertThat(m[0]).as("the cell pixel").isEqualTo(2);
    // without background the file still names the folders, in its own order
    Files.writeString(root.resolve("classes.txt"), "nucleus\ncell\n");
    FileDataset noBg =
        DatasetFactory.open(DatasetSpec.builder(DatasetFormat.PER_CLASS, root).build());
    assertThat(noBg.classNames().names()).containsExactly("background", "nucleus", "cell");
    assertThat(noBg.get(0).mask()[1]).isEqualTo(1);
    // names that are not the folders' are refused, naming both: a silent misnaming otherwise
    Files.writeString(root.resolve("classes.txt"), "background\nnuclei\ncell\n");
    assertThatThrownBy(
            () -> DatasetFactory.open(DatasetSpec.builder(DatasetFormat.PER_CLASS, root).build()))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("classes.txt")
        .hasMessageContaining("[nuclei, cell]")
        .hasMessageContaining("[cell, nucleus]")
        .hasMessageContaining("name each class folder as its class");
  }

  @Test
  void perInstanceMasksAreUnitedAndAlphaDropped() throws IOException {
    String id = "0a7d30b2";
    int[] rgba = new int[W * H * 4];
    for (int p = 0; p < W * H; p++) {
      rgba[4 * p] = 10;
      rgba[4 * p + 1] = 20;
      rgba[4 * p + 2] = 30;
      rgba[4 * p + 3] = 255;
    }
    ImageIo.write(
        new RawImage("raw", W, H, 4, 8, true, null, rgba),
        root.resolve(id + "/images/" + id + ".png"));
    int[] a = new int[W * H];
    int[] b = new int[W * H];
    a[0] = 255;
    b[7] = 255;
    Fixtures.mask(root.resolve(id + "/masks/m1.png"), a);
    Fixtures.mask(root.resolve(id + "/masks/m2.png"), b);
    FileDataset ds =
        DatasetFactory.open(DatasetSpec.builder(DatasetFormat.PER_INSTANCE, root).build());
    assertThat(ds.size()).isEqualTo(1);
    assertThat(ds.numClasses()).isEqualTo(2);
    Sample s = ds.get(0);
    assertThat(s.channels()).isEqualTo(3);
    assertThat(s.pixel(2, 0, 0)).isEqualTo(30 / 255f);
    assertThat(s.mask()[0]).isEqualTo(1);
    assertThat(s.mask()[7]).isEqualTo(1);
    assertThat(s.mask()[3]).isZero();
    CheckReport r = DatasetCheck.run(ds);
    assertThat(r.ok()).as(r.toText()).isTrue();
    assertThat(r.notes()).anyMatch(n -> n.contains("alpha"));
  }

  @Test
  void sixteenBitImagesScaleBy65535AndRgbConvertsToGrey() throws IOException {
    int[] v = new int[W * H];
    v[0] = 65535;
    v[1] = 32768;
    ImageIo.write(new RawImage("raw", W, H, 1, 16, false, null, v), root.resolve("images/a.png"));
    Fixtures.rgb(root.resolve("images/b.png"), 5);
    FileDataset ds =
        DatasetFactory.open(
            DatasetSpec.builder(DatasetFormat.FOLDER, root).channels(1).convert(true).build());
    assertThat(ds.labelled()).isFalse();
    Sample a = ds.get(0);
    assertThat(a.pixel(0, 0, 0)).isEqualTo(1f);
    assertThat(a.pixel(0, 0, 1)).isEqualTo(32768 / 65535f);
    Sample b = ds.get(1);
    assertThat(b.channels()).isEqualTo(1);
    int g = Fixtures.greyValues(5)[0];
    float luma = (0.299f * g + 0.587f * (255 - g) + 0.114f * 100) / 255f;
    assertThat(b.pixel(0, 0, 0)).isCloseTo(luma, org.assertj.core.data.Offset.offset(1e-5f));
    assertThat(b.mask()).isNull();
  }

  @Test
  void getIsThreadSafe() throws Exception {
    Fixtures.folder(root, 8);
    FileDataset ds =
        DatasetFactory.open(DatasetSpec.builder(DatasetFormat.FOLDER, root).classes(2).build());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Sample>> futures =
          IntStream.range(0, 16).mapToObj(k -> pool.submit(() -> ds.get(k % 8))).toList();
      for (int k = 0; k < 16; k++) {
        Sample s = futures.get(k).get();
        assertThat(s.image()).containsExactly(ds.get(k % 8).image());
        assertThat(s.mask()).containsExactly(ds.get(k % 8).mask());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
