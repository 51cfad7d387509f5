package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.run.TrainConfig;

/** Small things a user hits when starting a run: a missing config file, {id} in --set values. */
class TrainMendsTest {
  @TempDir Path tmp;

  @Test
  void aMissingConfigFileSaysItDoesNotExist() {
    CliRun r = CliRun.of("train", "--config", tmp.resolve("nope.yml").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("nope.yml does not exist").contains("configs/");
    assertThat(r.err()).doesNotContain("Exception");
  }

  @Test
  void aPatternWithBracesInSetIsText() {
    TrainConfig c = TrainConfig.defaults().set("data.mask_pattern", "{id}.jpg");
    assertThat(c.str("data.mask_pattern")).isEqualTo("{id}.jpg");
    assertThat(
            TrainConfig.defaults()
                .set("data.image_pattern", "img_{id}.png")
                .str("data.image_pattern"))
        .isEqualTo("img_{id}.png");
  }
}
