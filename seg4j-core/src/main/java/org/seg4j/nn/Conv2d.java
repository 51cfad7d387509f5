package org.seg4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

/**
 * PyTorch's {@code nn.Conv2d}: weight {@code (out, in/groups, kH, kW)}, optional bias, stride,
 * padding, dilation, groups and {@code padding_mode} zeros or reflect (reflect is composed from
 * slices, flips and concat, since DJL's PyTorch engine has no reflect pad).
 */
public final class Conv2d extends TorchBlock {
  /** How the border is padded before a convolution. */
  public enum PaddingMode {
    ZEROS,
    REFLECT
  }

  private final Parameter weight;
  private final Parameter bias;
  private final int stride;
  private final int padding;
  private final int dilation;
  private final int groups;
  private final PaddingMode mode;

  /** A full-option square conv. */
  public Conv2d(
      int in,
      int out,
      int kernel,
      int stride,
      int padding,
      int dilation,
      int groups,
      boolean bias,
      PaddingMode mode) {
    if (in % groups != 0 || out % groups != 0) {
      throw new IllegalArgumentException(
          "Conv2d: in (" + in + ") and out (" + out + ") channels must divide groups " + groups);
    }
    long fanIn = (long) (in / groups) * kernel * kernel;
    this.weight =
        weight("weight", new Shape(out, in / groups, kernel, kernel), Init.fanInUniform(fanIn));
    this.bias = bias ? weight("bias", new Shape(out), Init.fanInUniform(fanIn)) : null;
    this.stride = stride;
    this.padding = padding;
    this.dilation = dilation;
    this.groups = groups;
    this.mode = mode;
  }

  /** {@code nn.Conv2d(in, out, kernel, padding=padding)} with bias and zero padding. */
  public Conv2d(int in, int out, int kernel, int padding) {
    this(in, out, kernel, 1, padding, 1, 1, true, PaddingMode.ZEROS);
  }

  @Override
  public NDArray forward(NDArray x, boolean training) {
    int pad = padding;
    if (mode == PaddingMode.REFLECT && padding > 0) {
      x = ReflectPad2d.pad(x, padding);
      pad = 0;
    }
    return ai.djl.nn.convolutional.Conv2d.conv2d(
            x,
            weight.getArray(),
            bias == null ? null : bias.getArray(),
            new Shape(stride, stride),
            new Shape(pad, pad),
            new Shape(dilation, dilation),
            groups)
        .singletonOrThrow();
  }

  /** The weight parameter, {@code (out, in/groups, kH, kW)}. */
  public Parameter weightParameter() {
    return weight;
  }

  /** The bias parameter, or null without bias. */
  public Parameter biasParameter() {
    return bias;
  }

  /** The stride, the same on both axes. */
  public int stride() {
    return stride;
  }

  /** The padding on every side. */
  public int padding() {
    return padding;
  }

  /** The dilation, the same on both axes. */
  public int dilation() {
    return dilation;
  }

  /** The number of groups. */
  public int groups() {
    return groups;
  }

  /** How the border is padded. */
  public PaddingMode paddingMode() {
    return mode;
  }
}
