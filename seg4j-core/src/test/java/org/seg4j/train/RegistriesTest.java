package org.seg4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.seg4j.run.TrainConfig;
import org.seg4j.train.optim.Adam;
import org.seg4j.train.optim.Optimizers;
import org.seg4j.train.optim.Sgd;
import org.seg4j.train.schedule.CosineLr;
import org.seg4j.train.schedule.PlateauLr;
import org.seg4j.train.schedule.Schedules;
import org.seg4j.train.schedule.Warmup;

/** {@link Recipe} finds optimisers and schedules by name in their registries. */
class RegistriesTest {
  @Test
  void everyRegisteredNameBuildsAndAnUnknownOneListsThemAll() {
    assertThat(Optimizers.names()).containsExactly("adam", "adamw", "sgd");
    assertThat(Schedules.names())
        .containsExactly("constant", "step", "multistep", "cosine", "poly", "plateau");
    for (String name : Optimizers.names()) {
      TrainConfig c = TrainConfig.defaults().set("optimizer.name", name.toUpperCase());
      assertThat(Recipe.optimizer(c, Map.of()))
          .isInstanceOf(name.equals("sgd") ? Sgd.class : Adam.class);
    }
    assertThatThrownBy(
            () -> Recipe.optimizer(TrainConfig.defaults().set("optimizer.name", "lion"), Map.of()))
        .hasMessage("config key 'optimizer.name' = 'lion' is not known: use adam, adamw or sgd");
    assertThatThrownBy(
            () -> Recipe.schedule(TrainConfig.defaults().set("schedule.name", "onecycle")))
        .hasMessage(
            "config key 'schedule.name' = 'onecycle' is not known: use constant, step,"
                + " multistep, cosine, poly or plateau");
  }

  @Test
  void warmUpWrapsAnySchedule() {
    for (String name : Schedules.names()) {
      TrainConfig c =
          TrainConfig.defaults()
              .set("schedule.name", name)
              .set("schedule.warmup_epochs", "2")
              .set("schedule.warmup_start", "0.1");
      Warmup w = Recipe.schedule(c);
      assertThat(w.epochs()).isEqualTo(2);
      assertThat(w.lr(0)).as(name).isCloseTo(0.1 * w.inner().lr(0), offset(1e-12));
    }
    Warmup plateau = Recipe.schedule(TrainConfig.defaults().set("schedule.name", "plateau"));
    assertThat(plateau.inner()).isInstanceOf(PlateauLr.class);
    Warmup cosine = Recipe.schedule(TrainConfig.defaults().set("schedule.name", "cosine"));
    assertThat(cosine.inner()).isInstanceOf(CosineLr.class);
    assertThat(Schedules.spansEpochs("cosine")).isTrue();
    assertThat(Schedules.spansEpochs("poly")).isTrue();
    assertThat(Schedules.spansEpochs("step")).isFalse();
  }
}
