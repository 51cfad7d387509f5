package org.seg4j.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Nearest-rank percentiles over known samples. */
class LatencyStatsTest {
  private static long ms(long v) {
    return v * 1_000_000L;
  }

  @Test
  void oneToAHundredMillisecondsGiveTheirRanks() {
    // shuffled 1..100 ms: the p-th percentile is p ms
    long[] samples = LongStream.rangeClosed(1, 100).map(i -> ms((i * 37) % 100 + 1)).toArray();
    LatencyStats s = LatencyStats.ofNanos(samples);
    assertThat(s.count()).isEqualTo(100);
    assertThat(s.percentileMs(50)).isEqualTo(50.0);
    assertThat(s.percentileMs(95)).isEqualTo(95.0);
    assertThat(s.percentileMs(99)).isEqualTo(99.0);
    assertThat(s.percentileMs(100)).isEqualTo(100.0);
    assertThat(s.percentileMs(0.1)).isEqualTo(1.0);
    assertThat(s.maxMs()).isEqualTo(100.0);
    assertThat(s.meanMs()).isCloseTo(50.5, within(1e-9));
  }

  @Test
  void twentySamplesRoundTheRankUp() {
    long[] samples = LongStream.rangeClosed(1, 20).map(LatencyStatsTest::ms).toArray();
    LatencyStats s = LatencyStats.ofNanos(samples);
    // ranks: ceil(0.5*20)=10, ceil(0.95*20)=19, ceil(0.99*20)=20
    assertThat(s.percentileMs(50)).isEqualTo(10.0);
    assertThat(s.percentileMs(95)).isEqualTo(19.0);
    assertThat(s.percentileMs(99)).isEqualTo(20.0);
    assertThat(s.percentileMs(51)).isEqualTo(11.0);
  }

  @Test
  void aRankThatIsAWholeNumberIsNotPushedUpByFloatingPointDrift() {
    long[] samples = LongStream.rangeClosed(1, 250).map(LatencyStatsTest::ms).toArray();
    // 64.4% of 250 is 161 exactly, but 64.4 * 250 / 100 in doubles is 161.00000000000003
    assertThat(LatencyStats.ofNanos(samples).percentileMs(64.4)).isEqualTo(161.0);
  }

  @Test
  void aSlowTailShowsInP99AndMaxOnly() {
    long[] samples = new long[1000];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = i < 985 ? ms(10) : ms(500 + i);
    }
    LatencyStats s = LatencyStats.ofNanos(samples);
    assertThat(s.percentileMs(50)).isEqualTo(10.0);
    assertThat(s.percentileMs(95)).isEqualTo(10.0);
    assertThat(s.percentileMs(99)).isEqualTo(1489.0); // the 990th smallest: sample 989
    assertThat(s.maxMs()).isEqualTo(1499.0);
  }

  @Test
  void theArgumentIsLeftUnsortedAndFractionsOfAMillisecondKept() {
    long[] samples = {3_500_000L, 1_250_000L, 2_000_000L};
    LatencyStats s = LatencyStats.ofNanos(samples);
    assertThat(samples).containsExactly(3_500_000L, 1_250_000L, 2_000_000L);
    assertThat(s.percentileMs(1)).isEqualTo(1.25);
    assertThat(s.percentileMs(50)).isEqualTo(2.0);
    assertThat(s.maxMs()).isEqualTo(3.5);
  }

  @Test
  void noSamplesGiveNaNAndABadPercentileIsRefused() {
    LatencyStats s = LatencyStats.ofNanos();
    assertThat(s.percentileMs(50)).isNaN();
    assertThat(s.maxMs()).isNaN();
    assertThat(s.meanMs()).isNaN();
    assertThatThrownBy(() -> s.percentileMs(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> s.percentileMs(101)).isInstanceOf(IllegalArgumentException.class);
  }
}
