package org.seg4j.model.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.seg4j.model.ModelConfig;

/** The name maps both ways, and the nearest-name search of the error lists. */
class KeyMapTest {
  @Test
  void milesialNamesMapToSeg4jsAndBack() {
    KeyMap m = new MilesialFormat().names(ModelConfig.of("unet", 3, 2, 64));
    String[][] pairs = {
      {"inc.double_conv.0.weight", "down.0.0.weight"},
      {"down3.maxpool_conv.1.double_conv.4.running_var", "down.3.4.running_var"},
      {"up1.up.weight", "upc.0.weight"},
      {"up4.conv.double_conv.1.num_batches_tracked", "up.3.1.num_batches_tracked"},
      {"outc.conv.bias", "head.bias"},
    };
    for (String[] p : pairs) {
      assertThat(m.ours(p[0])).as(p[0]).isEqualTo(p[1]);
      assertThat(m.theirs(p[1])).as(p[1]).isEqualTo(p[0]);
    }
    assertThat(m.ours("mask_values")).isEqualTo("mask_values");
  }

  @Test
  void theNestedUnetFormatMapsThePlainUnetOnlyForUnet() {
    NestedUnetFormat f = new NestedUnetFormat();
    KeyMap plain = f.names(ModelConfig.of("unet", 3, 1, 32).with("up", "upsample"));
    assertThat(plain.ours("conv4_0.bn2.running_mean")).isEqualTo("down.4.4.running_mean");
    assertThat(plain.ours("conv3_1.conv1.weight")).isEqualTo("up.0.0.weight");
    assertThat(plain.ours("conv0_4.conv2.bias")).isEqualTo("up.3.3.bias");
    assertThat(plain.ours("final.weight")).isEqualTo("head.weight");
    KeyMap nested = f.names(ModelConfig.of("nested-unet", 3, 1, 32));
    assertThat(nested.ours("conv0_4.conv2.bias")).isEqualTo("conv0_4.conv2.bias");
  }

  @Test
  void theNearestNameIsTheOneFewestEditsAway() {
    assertThat(KeyCheck.distance("final4.weight", "final.weight")).isEqualTo(1);
    assertThat(KeyCheck.distance("", "abc")).isEqualTo(3);
    assertThat(KeyCheck.nearest("up1.up.weigth", List.of("up1.conv.weight", "up1.up.weight")))
        .isEqualTo("up1.up.weight");
    assertThat(KeyCheck.nearest("x", List.of())).isNull();
  }
}
