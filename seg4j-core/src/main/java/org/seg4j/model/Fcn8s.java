package org.seg4j.model;

import ai.djl.ndarray.NDArray;
import org.seg4j.nn.Conv2d;
import org.seg4j.nn.ConvTranspose2d;
import org.seg4j.nn.ForwardScope;

/**
 * FCN-8s: the scores ×2 ({@code upscore2}) plus {@code score_pool4}, ×2 ({@code upscore_pool4})
 * plus {@code score_pool3}, then ×8 ({@code upscore8}).
 */
final class Fcn8s extends FcnBase {
  private final ConvTranspose2d upscore2;
  private final Conv2d scorePool4;
  private final ConvTranspose2d upscorePool4;
  private final Conv2d scorePool3;
  private final ConvTranspose2d upscore8;

  /** Builds FCN-8s from the config (options of {@link FcnBase}). */
  public Fcn8s(ModelConfig config) {
    super(config);
    upscore2 = child("upscore2", upscore(2));
    scorePool4 = child("score_pool4", scoreLayer(3));
    upscorePool4 = child("upscore_pool4", upscore(2));
    scorePool3 = child("score_pool3", scoreLayer(2));
    upscore8 = child("upscore8", upscore(8));
  }

  @Override
  protected NDArray decode(ForwardScope s, NDArray scoreFr, NDArray pool4, NDArray pool3) {
    NDArray h = s.add(s.run(upscore2, scoreFr), s.run(scorePool4, pool4));
    h = s.add(s.run(upscorePool4, h), s.run(scorePool3, pool3));
    return s.run(upscore8, h);
  }
}
