package org.seg4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitsTest {
  @TempDir Path root;

  private static List<String> ids(int n) {
    return IntStream.range(0, n).mapToObj(Integer::toString).toList();
  }

  @Test
  void sameSeedSameListsAndOtherSeedOtherLists() {
    Map<String, List<String>> a = Splits.assign(ids(50), new double[] {8, 1, 1}, 42);
    List<String> reversed = new ArrayList<>(ids(50));
    Collections.reverse(reversed);
    Map<String, List<String>> b = Splits.assign(reversed, new double[] {8, 1, 1}, 42);
    Map<String, List<String>> c = Splits.assign(ids(50), new double[] {8, 1, 1}, 7);
    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
    assertThat(a.keySet()).containsExactly("train", "val", "test");
    assertThat(a.get("train")).hasSize(40);
    assertThat(a.get("val")).hasSize(5);
    assertThat(a.get("test")).hasSize(5);
    List<String> all = new ArrayList<>();
    a.values().forEach(all::addAll);
    assertThat(all).containsExactlyInAnyOrderElementsOf(ids(50));
  }

  @Test
  void anyRatiosAreNormalisedAndSizesSumUp() {
    assertThat(Splits.parseRatios("8:1:1")).containsExactly(8, 1, 1);
    assertThat(Splits.parseRatios("0.7,0.3")).containsExactly(0.7, 0.3);
    assertThat(Splits.counts(30, new double[] {0.7, 0.3})).containsExactly(21, 9);
    assertThat(Splits.counts(7, new double[] {1, 1, 1})).containsExactly(3, 2, 2);
    assertThat(Splits.counts(5, new double[] {8, 1, 1})).containsExactly(4, 1, 0);
    assertThat(Splits.counts(10, new double[] {3})).containsExactly(10);
    assertThatThrownBy(() -> Splits.parseRatios("1:2:3:4")).hasMessageContaining("1 to 3");
    assertThatThrownBy(() -> Splits.parseRatios("a:b")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> Splits.parseRatios("0:0")).hasMessageContaining("> 0");
  }

  @Test
  void writesVocListsNeverTouchesUserFilesAndCopies() throws Exception {
    Fixtures.folder(root, 10);
    Fixtures.write(root.resolve("classes.txt"), "bg\nfg\n");
    Map<Path, String> before = digests(root);
    FileDataset ds = DatasetFactory.open(DatasetSpec.builder(DatasetFormat.FOLDER, root).build());
    Path out = root.resolve("split");
    Splits.SplitResult r = Splits.write(ds, out, new double[] {8, 1, 1}, 1, true, false);
    assertThat(digests(root)).containsAllEntriesOf(before);
    assertThat(Ids.readList(out.resolve("ImageSets/Segmentation/train.txt"))).hasSize(8);
    assertThat(Ids.readList(out.resolve("ImageSets/Segmentation/val.txt")))
        .isEqualTo(r.lists().get("val"));
    assertThat(r.filesCopied()).isEqualTo(20);
    assertThat(r.toText()).contains("train      8 ids").contains("copied 20 files");
    String testId = r.lists().get("test").get(0);
    assertThat(out.resolve("test/images/" + testId + ".png")).exists();
    assertThat(out.resolve("test/masks/" + testId + ".png")).exists();
    assertThat(out.resolve("test/classes.txt")).exists();
    FileDataset copied =
        DatasetFactory.open(
            DatasetSpec.builder(DatasetFormat.FOLDER, out.resolve("train")).build());
    assertThat(copied.size()).isEqualTo(8);
    assertThat(copied.classNames().names()).containsExactly("bg", "fg");
    FileDataset listed =
        DatasetFactory.open(
            DatasetSpec.builder(DatasetFormat.FOLDER, root)
                .listFile(out.resolve("ImageSets/Segmentation/val.txt"))
                .build());
    assertThat(listed.size()).isEqualTo(1);
    assertThatThrownBy(() -> Splits.write(ds, out, new double[] {8, 1, 1}, 1, false, false))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThatThrownBy(() -> Splits.write(ds, out, new double[] {8, 1, 1}, 1, true, true))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(digests(root)).containsAllEntriesOf(before);
  }

  private static Map<Path, String> digests(Path dir) throws IOException {
    Map<Path, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        try {
          byte[] d = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
          out.put(p, HexFormat.of().formatHex(d));
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return out;
  }
}
