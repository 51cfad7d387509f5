package org.seg4j.infer;

import ai.djl.ndarray.NDArray;
import java.util.function.UnaryOperator;

/**
 * A {@link Network} for tiling tests: it accepts sides that are multiples of {@code multiple} and
 * larger than twice {@code margin}, loses {@code margin} pixels per side (as valid convolutions do)
 * and computes its logits with the given function.
 */
record FakeNetwork(
    int classes, int inChannels, int multiple, int margin, UnaryOperator<NDArray> function)
    implements Network {
  @Override
  public NDArray logits(NDArray batch) {
    return function.apply(batch);
  }

  @Override
  public boolean acceptsSide(int side) {
    return side % multiple == 0 && side > 2 * margin;
  }

  @Override
  public int outputSide(int inputSide) {
    return inputSide - 2 * margin;
  }
}
