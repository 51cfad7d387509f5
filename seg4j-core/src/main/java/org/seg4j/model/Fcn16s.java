package org.seg4j.model;

import ai.djl.ndarray.NDArray;
import org.seg4j.nn.Conv2d;
import org.seg4j.nn.ConvTranspose2d;
import org.seg4j.nn.ForwardScope;

/**
 * FCN-16s: the scores ×2 ({@code upscore2}) plus {@code score_pool4}, then ×16 ({@code upscore16}).
 */
final class Fcn16s extends FcnBase {
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
  protected NDArray decode(ForwardScope s, NDArray scoreFr, NDArray pool4, NDArray pool3) {
    return s.run(upscore16, s.add(s.run(upscore2, scoreFr), s.run(scorePool4, pool4)));
  }
}
