package org.seg4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import java.util.Map;

/**
 * PyTorch's {@code nn.BatchNorm2d} (eps 1e-5, momentum 0.1): weight, bias, running_mean,
 * running_var and num_batches_tracked, with batch statistics in training and running ones in eval.
 */
public final class BatchNorm2d extends TorchBlock {
  /** PyTorch's default epsilon, added to the variance. */
  public static final float EPS = 1e-5f;

  private final Parameter gamma;
  private final Parameter beta;
  private final Parameter runningMean;
  private final Parameter runningVar;
  private long batchesTracked;

  /** A batch norm over {@code channels} feature maps. */
  public BatchNorm2d(int channels) {
    Shape s = new Shape(channels);
    gamma = weight("weight", s, Init.constant(1f));
    beta = weight("bias", s, Init.constant(0f));
    runningMean = buffer("running_mean", s, Init.constant(0f));
    runningVar = buffer("running_var", s, Init.constant(1f));
  }

  @Override
  public NDArray forward(NDArray x, boolean training) {
    if (training) {
      batchesTracked++;
    }
    // DJL passes (1 - momentum) to libtorch: 0.9 here is PyTorch's momentum 0.1.
    return BatchNorm.batchNorm(
            x,
            runningMean.getArray(),
            runningVar.getArray(),
            gamma.getArray(),
            beta.getArray(),
            1,
            0.9f,
            EPS,
            training)
        .singletonOrThrow();
  }

  /** The scale {@code weight}. */
  public Parameter weightParameter() {
    return gamma;
  }

  /** The shift {@code bias}. */
  public Parameter biasParameter() {
    return beta;
  }

  /** The buffer {@code running_mean}. */
  public Parameter runningMean() {
    return runningMean;
  }

  /** The buffer {@code running_var}. */
  public Parameter runningVar() {
    return runningVar;
  }

  @Override
  protected void ownExtraState(String prefix, Map<String, Long> out) {
    out.put(prefix + "num_batches_tracked", batchesTracked);
  }

  @Override
  protected void setOwnExtraState(String name, long value) {
    batchesTracked = value;
  }
}
