package org.seg4j.export;

import java.util.List;
import org.seg4j.nn.Activation;

/** Activations: {@code Relu} and {@code LeakyRelu}. */
final class ActivationOps {
  private ActivationOps() {}

  /** {@link Activation}: ReLU at slope 0, else LeakyReLU(slope). */
  static String activation(OnnxGraph g, Activation a, String x) {
    return a.slope() == 0f
        ? g.node("Relu", List.of(x))
        : g.node("LeakyRelu", List.of(x), Attr.of("alpha", a.slope()));
  }
}
