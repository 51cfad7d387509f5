package org.seg4j.model;

import ai.djl.ndarray.NDArray;
import org.seg4j.nn.ConvTranspose2d;

/** FCN-32s: the stride-32 scores up-sampled ×32 in one step ({@code upscore32}). */
public final class Fcn32s extends FcnBase {
  private final ConvTranspose2d upscore32;

  /** Builds FCN-32s from the config (options {@code bn}, {@code fc_width}). */
  public Fcn32s(ModelConfig config) {
    super(config);
    upscore32 = child("upscore32", upscore(32));
  }

  @Override
  protected NDArray decode(NDArray scoreFr, NDArray pool4, NDArray pool3, boolean training) {
    return upscore32.forward(scoreFr, training);
  }
}
