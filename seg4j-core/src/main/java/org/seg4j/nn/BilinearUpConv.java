package org.seg4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

/**
 * U-Net's bilinear up-path: ×2 bilinear up-sampling ({@code align_corners=True}) then a 1×1 conv
 * that sets the channel count. Its PyTorch twin is an {@code nn.Conv2d(in, out, 1)} subclass that
 * interpolates first, so the tensors are {@code weight} and {@code bias} at this block's own level.
 *
 * <p>Both steps are linear and the bilinear weights sum to one, so they commute; the 1×1 conv runs
 * first, on the four times smaller map (same result up to float rounding, a quarter of the FLOPs).
 */
public final class BilinearUpConv extends TorchBlock {
  private final Parameter weight;
  private final Parameter bias;

  /** Up-samples ×2 and maps {@code in} to {@code out} channels. */
  public BilinearUpConv(int in, int out) {
    weight = weight("weight", new Shape(out, in, 1, 1), Init.fanInUniform(in));
    bias = weight("bias", new Shape(out), Init.fanInUniform(in));
  }

  /** The 1×1 conv's weight {@code (out, in, 1, 1)}. */
  public Parameter weightParameter() {
    return weight;
  }

  /** The 1×1 conv's bias. */
  public Parameter biasParameter() {
    return bias;
  }

  @Override
  public NDArray forward(NDArray x, boolean training) {
    NDArray y =
        ai.djl.nn.convolutional.Conv2d.conv2d(x, weight.getArray(), bias.getArray())
            .singletonOrThrow();
    return Ops.bilinear(y, y.getShape().get(2) * 2, y.getShape().get(3) * 2, true);
  }
}
