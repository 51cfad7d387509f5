package org.seg4j.train.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Learning rates per epoch against torch.optim.lr_scheduler (tools/gen_schedule_fixtures.py). */
class ScheduleParityTest {
  private final JsonNode golden;

  ScheduleParityTest() throws Exception {
    golden =
        new ObjectMapper()
            .readTree(getClass().getResourceAsStream("/golden/schedule/schedules.json"));
  }

  private void check(String name, LrSchedule s) {
    JsonNode want = golden.get(name);
    JsonNode metrics = golden.get("plateau_metrics");
    for (int e = 0; e < want.size(); e++) {
      assertThat(s.lr(e))
          .as("%s epoch %d", name, e)
          .isCloseTo(want.get(e).asDouble(), within(1e-9));
      s.observe(e, metrics.get(e).asDouble());
    }
  }

  @Test
  void stepMatchesStepLR() {
    check("step", new StepLr(0.1, 7, 0.5));
  }

  @Test
  void multistepMatchesMultiStepLR() {
    check("multistep", new MultiStepLr(0.1, List.of(5, 12, 20), 0.3));
  }

  @Test
  void cosineMatchesCosineAnnealingLR() {
    check("cosine", new CosineLr(0.1, 30, 1e-4));
  }

  @Test
  void polyMatchesPolynomialLR() {
    check("poly", new PolyLr(0.1, 30, 0.9, 0));
  }

  @Test
  void plateauMatchesReduceLROnPlateau() {
    check("plateau", new PlateauLr(0.1, 0.5, 2, 1e-4, 1, 1e-3));
  }

  @Test
  void plateauStateRoundTrips() {
    PlateauLr a = new PlateauLr(0.1, 0.5, 2, 1e-4, 1, 1e-3);
    JsonNode metrics = golden.get("plateau_metrics");
    for (int e = 0; e < 10; e++) {
      a.observe(e, metrics.get(e).asDouble());
    }
    PlateauLr b = new PlateauLr(0.1, 0.5, 2, 1e-4, 1, 1e-3);
    b.restore(a.state());
    for (int e = 10; e < 30; e++) {
      assertThat(b.lr(e)).isEqualTo(a.lr(e));
      a.observe(e, metrics.get(e).asDouble());
      b.observe(e, metrics.get(e).asDouble());
    }
  }

  @Test
  void warmupRisesLinearlyThenFollowsInner() {
    Warmup w = new Warmup(new ConstantLr(0.1), 2, 0.1);
    assertThat(w.lr(0, 0)).isCloseTo(0.01, within(1e-12));
    assertThat(w.lr(1, 0)).isCloseTo(0.055, within(1e-12));
    assertThat(w.lr(2, 0)).isCloseTo(0.1, within(1e-12));
    assertThat(w.lr(5)).isCloseTo(0.1, within(1e-12));
  }
}
