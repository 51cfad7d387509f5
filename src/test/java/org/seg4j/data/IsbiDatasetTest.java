package org.seg4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Checks the real ISBI 2012 set from the shared folder (skipped when it is absent). */
class IsbiDatasetTest {
  private Path train;

  @BeforeEach
  void findIsbi() {
    String shared = System.getProperty("seg4j.shared", "../shared");
    train = Path.of(shared, "data", "isbi2012", "train");
    assumeTrue(
        Files.isDirectory(train.resolve("images")),
        "ISBI 2012 not found under " + train + ": set -Dseg4j.shared to the shared folder");
  }

  @Test
  void rawMasksSuggestBinary255() {
    FileDataset ds =
        DatasetFactory.open(DatasetSpec.builder(DatasetFormat.FOLDER, train).classes(2).build());
    assertThat(ds.size()).isEqualTo(30);
    CheckReport r = DatasetCheck.run(ds);
    assertThat(r.ok()).isFalse();
    assertThat(r.samples()).isEqualTo(30);
    assertThat(r.labelled()).isEqualTo(30);
    assertThat(r.problems()).hasSize(30);
    assertThat(r.problems().get(0).message(train))
        .isEqualTo("masks/0.png holds values {0, 255} but classes=2: use --mask binary255");
    assertThat(r.maskValues().values()).containsOnly("{0, 255}");
  }

  @Test
  void withBinary255ItPassesAndReportsFrequencies() {
    FileDataset ds =
        DatasetFactory.open(
            DatasetSpec.builder(DatasetFormat.FOLDER, train).classes(2).mask("binary255").build());
    CheckReport r = DatasetCheck.run(ds);
    assertThat(r.ok()).as(r.toText()).isTrue();
    assertThat(r.sizes()).containsEntry("512x512", 30);
    assertThat(r.channels()).containsEntry(1, 30);
    long[] px = r.stats().pixels();
    assertThat(px[0] + px[1]).isEqualTo(30L * 512 * 512);
    // ISBI: membranes (0) are the minority, about a fifth of the pixels.
    double membrane = (double) px[0] / (px[0] + px[1]);
    assertThat(membrane).isBetween(0.15, 0.30);
    assertThat(r.posWeight())
        .isCloseTo((double) px[0] / px[1], org.assertj.core.data.Offset.offset(1e-12));
    assertThat(r.classWeights()[0]).isGreaterThan(1.0);
    System.out.println(r.toText());
  }
}
