package org.seg4j.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.seg4j.engine.ProcessMemory;

/** The least-squares slope of RSS over requests, and reading another process's VmRSS. */
class RssTraceTest {
  @Test
  void aSteadyGrowthIsItsSlopePerThousandRequests() {
    RssTrace t = new RssTrace();
    // 2 MB per 1000 requests, added out of order as concurrent clients may
    for (long r : new long[] {0, 1000, 500, 2000, 1500}) {
      t.add(r, 800 + 0.002 * r);
    }
    assertThat(t.slopeMbPer1000()).isCloseTo(2.0, within(1e-9));
    assertThat(t.startMb()).isEqualTo(800.0);
    assertThat(t.endMb()).isCloseTo(804.0, within(1e-9));
    assertThat(t.maxMb()).isCloseTo(804.0, within(1e-9));
  }

  @Test
  void noiseAroundAFlatLineHasASlopeNearZero() {
    RssTrace t = new RssTrace();
    double[] noise = {0.4, -0.3, 0.1, -0.2, 0.3, -0.4, 0.2, -0.1, 0.0, 0.0};
    for (int i = 0; i < noise.length; i++) {
      t.add(i * 500L, 900 + noise[i]);
    }
    // hand-computed: sum((x-mx)(y-my)) / sum((x-mx)^2) with x in units of 500 requests
    double expected = -1.0 / 82.5 / 500 * 1000;
    assertThat(t.slopeMbPer1000()).isCloseTo(expected, within(1e-9));
    assertThat(t.maxMb()).isCloseTo(900.4, within(1e-9));
  }

  @Test
  void aRiseAtTheStartThenFlatHasALateSlopeOfZero() {
    RssTrace t = new RssTrace();
    double[] mb = {500, 560, 600, 610, 610, 610, 610, 610, 610};
    for (int i = 0; i < mb.length; i++) {
      t.add(i * 1000L, mb[i]);
    }
    assertThat(t.slopeMbPer1000()).isGreaterThan(10);
    // samples from 4000 requests on (half of 8000): flat
    assertThat(t.lateSlopeMbPer1000()).isCloseTo(0.0, within(1e-9));
    t.add(9000, 650);
    t.add(10000, 690);
    assertThat(t.lateSlopeMbPer1000()).as("a late rise shows").isGreaterThan(10);
  }

  @Test
  void oneSampleHasNoSlopeAndNoneHasNoFigures() {
    RssTrace t = new RssTrace();
    assertThat(t.startMb()).isNaN();
    assertThat(t.maxMb()).isNaN();
    assertThat(t.lateSlopeMbPer1000()).isNaN();
    t.add(0, 100);
    assertThat(t.slopeMbPer1000()).isNaN();
    assertThat(t.lateSlopeMbPer1000()).isNaN();
    assertThat(t.startMb()).isEqualTo(100.0);
  }

  @Test
  void readsThisProcessAndRefusesOneThatDoesNotExist() throws IOException {
    double mb = ProcessMemory.rssMb(ProcessHandle.current().pid());
    Runtime rt = Runtime.getRuntime();
    // a JVM holds at least its used heap
    assertThat(mb).isGreaterThan((rt.totalMemory() - rt.freeMemory()) / 1048576.0 / 2);
    assertThatThrownBy(() -> ProcessMemory.rssMb(Long.MAX_VALUE)).isInstanceOf(IOException.class);
  }
}
