package org.seg4j.model;

import ai.djl.ndarray.NDArray;
import org.seg4j.nn.Conv2d;
import org.seg4j.nn.ConvTranspose2d;

/**
 * FCN-16s: the scores ×2 ({@code upscore2}) plus {@code score_pool4}, then ×16 ({@code upscore16}).
 */
public final class Fcn16s extends FcnBase {
  private final ConvTranspose2d upscore2;
  private final Conv2d scorePool4;
  private final ConvTranspose2d upscore16;

  /** Builds FCN-16s from the config (options of {@link FcnBase}). */
  public Fcn16s(ModelConfig config) {
    super(config);
    upscore2 = child("upscore2", upscore(2));
    scorePool4 = child("score_pool4", scoreLayer(3));
    upscore16 = child("upscore16", upscore(16));
  }

  @Override
  protected NDArray decode(NDArray scoreFr, NDArray pool4, NDArray pool3, boolean training) {
    NDArray h = upscore2.forward(scoreFr, training).add(scorePool4.forward(pool4, training));
    return upscore16.forward(h, training);
  }
}
