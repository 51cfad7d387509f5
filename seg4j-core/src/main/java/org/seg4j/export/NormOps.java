package org.seg4j.export;

import java.util.List;
import org.seg4j.nn.BatchNorm2d;

/** Normalisation: {@code BatchNormalization} with the running statistics (eval). */
final class NormOps {
  private NormOps() {}

  /** {@link BatchNorm2d} in eval mode. */
  static String batchNorm(OnnxGraph g, BatchNorm2d bn, String x) {
    return g.node(
        "BatchNormalization",
        List.of(
            x,
            g.weight(bn.weightParameter()),
            g.weight(bn.biasParameter()),
            g.weight(bn.runningMean()),
            g.weight(bn.runningVar())),
        Attr.of("epsilon", BatchNorm2d.EPS));
  }
}
