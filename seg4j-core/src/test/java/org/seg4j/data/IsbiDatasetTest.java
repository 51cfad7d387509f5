package org.seg4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Checks the real ISBI 2012 set from the shared folder: skipped when it is absent on a developer's
 * machine, failed when it is absent in CI ({@code CI=true}), where a copy of the shared folder
 * always stands beside the checkout.
 */
class IsbiDatasetTest {
  /** The ISBI train folder; skips the test (fails it in CI) when it is absent. */
  static Path isbiTrain() {
    String shared = System.getProperty("seg4j.shared", "../shared");
    Path train = Path.of(shared, "data", "isbi2012", "train");
    if (!Files.isDirectory(train.resolve("images"))) {
      String why =
          "ISBI 2012 not found under "
              + train.toAbsolutePath().normalize()
              + ": set -Dseg4j.shared to the shared folder";
      if (inCi(System.getenv("CI"))) {
        fail(why + " (CI=true: the shared folder must stand beside the checkout, so this fails)");
      }
      assumeTrue(false, why);
    }
    return train;
  }

  /** Whether the {@code CI} environment variable says this is a CI run (true or 1). */
  static boolean inCi(String ci) {
    return ci != null && (ci.equalsIgnoreCase("true") || ci.equals("1"));
  }

  @Test
  void onlyATrueCiVariableTurnsTheSkipIntoAFailure() {
    assertThat(inCi("true")).isTrue();
    assertThat(inCi("TRUE")).isTrue();
    assertThat(inCi("1")).isTrue();
    assertThat(inCi(null)).isFalse();
    assertThat(inCi("")).isFalse();
    assertThat(inCi("false")).isFalse();
  }

  @Test
  void rawMasksSuggestBinary255() {
    Path train = isbiTrain();
    // by default 255 is the ignore index, as in train: no pixel is left of class 1
    FileDataset ds =
        DatasetFactory.open(DatasetSpec.builder(DatasetFormat.FOLDER, train).classes(2).build());
    assertThat(ds.size()).isEqualTo(30);
    CheckReport r = DatasetCheck.run(ds);
    assertThat(r.ok()).isFalse();
    assertThat(r.samples()).isEqualTo(30);
    assertThat(r.labelled()).isEqualTo(30);
    assertThat(r.problems()).hasSize(1);
    assertThat(r.problems().get(0).message(train))
        .startsWith("masks/0.png and every other mask hold only class 0 and the ignore index 255")
        .contains("use data.mask=binary255");
    assertThat(r.maskValues().values()).containsOnly("{0, 255}");
    // with no ignore index, every mask is named with its values
    CheckReport none =
        DatasetCheck.run(
            DatasetFactory.open(
                DatasetSpec.builder(DatasetFormat.FOLDER, train)
                    .classes(2)
                    .ignoreIndex(-1)
                    .build()));
    assertThat(none.problems()).hasSize(30);
    assertThat(none.problems().get(0).message(train))
        .isEqualTo("masks/0.png holds values {0, 255} but classes=2: use data.mask=binary255");
  }

  @Test
  void withBinary255ItPassesAndReportsFrequencies() {
    Path train = isbiTrain();
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
  }
}
