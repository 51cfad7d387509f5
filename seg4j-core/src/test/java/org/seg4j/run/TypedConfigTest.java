package org.seg4j.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.seg4j.data.DatasetFormat;
import org.seg4j.data.DatasetSpec;
import org.seg4j.loss.LossOptions;

/**
 * {@code defaults.yml} is the one place where keys and defaults live: each section binds to its
 * record component for component (no key without a component, no component without a key), the
 * defaults come through, and a value of the wrong type names its key. The few defaults the library
 * also needs without a run configuration (dataset format, focal γ, Dice smoothing) are checked
 * equal to the file's, so the commands and the API agree.
 */
class TypedConfigTest {
  static Stream<Arguments> sections() {
    return Stream.of(
        Arguments.of("data", DataConfig.class),
        Arguments.of("model", ModelSpec.class),
        Arguments.of("loss", LossConfig.class),
        Arguments.of("optimizer", OptimizerConfig.class),
        Arguments.of("schedule", ScheduleConfig.class),
        Arguments.of("train", TrainingConfig.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sections")
  void eachSectionBindsToItsRecordKeyForKey(String section, Class<? extends Record> type) {
    List<String> keys = new ArrayList<>();
    TrainConfig.defaults().at(section).fieldNames().forEachRemaining(keys::add);
    List<String> components =
        Arrays.stream(type.getRecordComponents())
            .map(RecordComponent::getName)
            .map(ConfigBinder::key)
            .toList();
    assertThat(components).containsExactlyElementsOf(keys);
    assertThat(ConfigBinder.bind(TrainConfig.defaults(), section, type)).isNotNull();
  }

  @Test
  void theSectionsCoverEveryKeyButTheTopLevelOnesAndThePipeline() {
    List<String> top = new ArrayList<>();
    TrainConfig.defaults().tree().fieldNames().forEachRemaining(top::add);
    List<String> typed = sections().map(a -> (String) a.get()[0]).toList();
    assertThat(top)
        .containsAll(typed)
        .containsExactlyInAnyOrder(
            "name",
            "seed",
            "device",
            "threads",
            "data",
            "augment",
            "normalize",
            "model",
            "loss",
            "optimizer",
            "schedule",
            "train",
            "history");
  }

  @Test
  void theDefaultsComeThroughTyped() {
    TrainConfig c = TrainConfig.defaults();
    assertThat(c.data().ignoreIndex()).isEqualTo(DatasetSpec.DEFAULT_IGNORE_INDEX).isEqualTo(255);
    assertThat(c.data().imagePattern()).isEqualTo("{id}.png");
    assertThat(c.model().options()).isEmpty();
    assertThat(c.data().format()).isEqualTo(DatasetFormat.DEFAULT_NAME);
    assertThat(c.loss().gamma()).isEqualTo(LossOptions.DEFAULT_GAMMA).isEqualTo(2.0);
    assertThat(c.loss().smooth()).isEqualTo(LossOptions.DEFAULT_SMOOTH);
    assertThat(c.loss().alpha()).isNull();
    assertThat(c.loss().classWeights().isNull()).isTrue();
    assertThat(c.optimizer().betas()).containsExactly(0.9, 0.999);
    assertThat(c.schedule().milestones()).isEmpty();
    assertThat(c.training().freezeBatch()).isNull();
    assertThat(c.training().epochs()).isEqualTo(30);
    assertThat(c.threads()).isZero();
  }

  @Test
  void setValuesAreReadTyped() {
    TrainConfig c =
        TrainConfig.defaults()
            .set("schedule.milestones", "[10, 20]")
            .set("model.options", "{depth: 3, bn: false}")
            .set("loss.class_weights", "auto")
            .set("loss.pos_weight", "auto")
            .set("loss.alpha", "[0.25, 0.75]")
            .set("train.freeze_batch", "8");
    assertThat(c.schedule().milestones()).containsExactly(10, 20);
    assertThat(c.model().options()).isEqualTo(Map.of("depth", "3", "bn", "false"));
    JsonNode w = c.loss().classWeights();
    assertThat(w.asText()).isEqualTo("auto");
    assertThat(c.loss().posWeight().asText()).isEqualTo("auto");
    assertThat(c.loss().alpha()).containsExactly(0.25, 0.75);
    assertThat(c.training().freezeBatch()).isEqualTo(8);
  }

  @Test
  void aValueOfTheWrongTypeNamesItsKey() {
    TrainConfig c = TrainConfig.defaults().set("schedule.milestones", "[1.5]");
    assertThatThrownBy(c::schedule).hasMessageContaining("schedule.milestones");
  }
}
