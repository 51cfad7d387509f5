package org.seg4j.model;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.stream.Stream;
import org.seg4j.nn.ConvTranspose2d;
import org.seg4j.nn.ForwardScope;

/**
 * FCN-32s: the stride-32 scores up-sampled ×32 in one step ({@code upscore32}), or with {@code
 * up32=two-step} as seed 003 (MindSpore) does: ×2 by {@code upscore2} ({@code ConvTranspose2d(n, n,
 * 4, 2, padding=1)}) then ×16 by {@code upscore16} ({@code ConvTranspose2d(n, n, 32, 16,
 * padding=8)}), both bias-free and started at the bilinear kernel, so the output has the input's
 * size exactly. The other options are {@link FcnBase}'s.
 */
final class Fcn32s extends FcnBase {
  private static final ModelOption UP32 =
      ModelOption.choice(
          "up32", "×32 in one transposed conv, or ×2 then ×16 (seed 003)", "one-step", "two-step");

  /** The options FCN-32s understands: {@link FcnBase#OPTIONS} and {@code up32}. */
  public static final List<ModelOption> OPTIONS =
      Stream.concat(FcnBase.OPTIONS.stream(), Stream.of(UP32)).toList();

  private final ConvTranspose2d upscore32;
  private final ConvTranspose2d upscore2;
  private final ConvTranspose2d upscore16;

  /** Builds FCN-32s from the config (options of {@link FcnBase} and {@code up32}). */
  public Fcn32s(ModelConfig config) {
    super(config, OPTIONS);
    boolean twoStep = UP32.choiceValue(config).equals("two-step");
    upscore32 = twoStep ? null : child("upscore32", upscore(32));
    upscore2 = twoStep ? child("upscore2", upscore(2)) : null;
    upscore16 = twoStep ? child("upscore16", upscore(16)) : null;
  }

  @Override
  protected NDArray decode(ForwardScope s, NDArray scoreFr, NDArray pool4, NDArray pool3) {
    if (upscore32 != null) {
      return s.run(upscore32, scoreFr);
    }
    return s.run(upscore16, s.run(upscore2, scoreFr));
  }
}
