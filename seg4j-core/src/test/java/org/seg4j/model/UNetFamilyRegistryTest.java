package org.seg4j.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UNetFamilyRegistryTest {
  @Test
  void namesBuildTheirArchitectures() {
    assertThat(ModelRegistry.create(ModelConfig.of("unet", 1, 2, 2))).isInstanceOf(UNet.class);
    assertThat(ModelRegistry.create(ModelConfig.of("unet-valid", 1, 2, 2)))
        .isInstanceOf(UNetValid.class);
    assertThat(ModelRegistry.create(ModelConfig.of("nested-unet", 1, 2, 2)))
        .isInstanceOf(NestedUNet.class);
    assertThat(ModelRegistry.create(ModelConfig.of("unet3plus", 1, 2, 2)))
        .isInstanceOf(UNet3Plus.class);
  }

  @Test
  void fullSizeParameterCountsMatchThePapersModels() {
    // isbi-unet32 (the benchmark model) and the references at their published widths, from the
    // PyTorch twins: UNet(1,2,32), NestedUNet(1 class, 3 in, 32), UNet_3Plus(3 in, 1 class, 64)
    assertThat(ModelRegistry.create(ModelConfig.of("unet", 1, 2, 32)).parameterCount())
        .isEqualTo(7_765_442L);
    assertThat(ModelRegistry.create(ModelConfig.of("nested-unet", 3, 1, 32)).parameterCount())
        .isEqualTo(9_163_329L);
    assertThat(ModelRegistry.create(ModelConfig.of("unet3plus", 3, 1, 64)).parameterCount())
        .isEqualTo(26_971_777L);
  }
}
