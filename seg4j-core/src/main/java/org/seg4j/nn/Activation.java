package org.seg4j.nn;

import ai.djl.ndarray.NDArray;

/** A parameter-free activation: ReLU or LeakyReLU(negative_slope), as in PyTorch. */
public final class Activation extends TorchBlock {
  private final float slope;

  private Activation(float slope) {
    this.slope = slope;
  }

  /** {@code nn.ReLU()}. */
  public static Activation relu() {
    return new Activation(0f);
  }

  /** {@code nn.LeakyReLU(slope)}. */
  public static Activation leakyRelu(float slope) {
    return new Activation(slope);
  }

  /** {@code nn.ReLU()} when slope is 0, else {@code nn.LeakyReLU(slope)}. */
  public static Activation of(float slope) {
    return new Activation(slope);
  }

  /** The negative slope: 0 for ReLU. */
  public float slope() {
    return slope;
  }

  @Override
  public NDArray forward(NDArray x, boolean training) {
    return slope == 0f ? ai.djl.nn.Activation.relu(x) : ai.djl.nn.Activation.leakyRelu(x, slope);
  }
}
