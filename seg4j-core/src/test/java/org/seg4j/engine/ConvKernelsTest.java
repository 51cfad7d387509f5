package org.seg4j.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConvKernelsTest {
  @Test
  void convolutionGradientsAreExactAfterTheCheck() {
    String status = ConvKernels.ensureCorrect();
    assertThat(status).startsWith("oneDNN");
    // whatever the CPU, after the check the input gradient equals the transposed-kernel formula
    assertThat(ConvKernels.gradientError()).isLessThan(1e-4);
  }

  @Test
  void infoReportsTheOutcome() {
    assertThat(Engines.info("cpu")).containsKey("conv_kernels");
    assertThat(String.valueOf(Engines.info("cpu").get("conv_kernels"))).startsWith("oneDNN");
  }
}
