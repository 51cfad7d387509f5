package org.seg4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

/**
 * PyTorch's {@code nn.ConvTranspose2d} with any kernel, stride, padding and output_padding, which
 * DJL's PyTorch engine lacks. The weight keeps PyTorch's {@code (in, out, kH, kW)} layout.
 *
 * <p>It is computed exactly by polyphase decomposition: the kernel is zero-padded to {@code M·s}
 * taps, split into {@code s²} phase kernels of {@code M×M} taps each, flipped, and applied as one
 * ordinary convolution with {@code out·s²} output channels; depth-to-space interleaves the phases
 * and a crop (or zero pad) applies padding and output_padding. For U-Net's 2×2/s2 this is a single
 * 1×1 convolution. The cost equals a native transposed conv; no zero insertion.
 */
public final class ConvTranspose2d extends TorchBlock {
  private final Parameter weight;
  private final Parameter bias;
  private final int in;
  private final int out;
  private final int kernel;
  private final int stride;
  private final int padding;
  private final int outputPadding;

  /** {@code nn.ConvTranspose2d(in, out, kernel, stride, padding, output_padding, bias=bias)}. */
  public ConvTranspose2d(
      int in, int out, int kernel, int stride, int padding, int outputPadding, boolean bias) {
    if (outputPadding >= stride) {
      throw new IllegalArgumentException(
          "ConvTranspose2d: output_padding "
              + outputPadding
              + " must be smaller than stride "
              + stride
              + ": use output_padding <= "
              + (stride - 1));
    }
    // PyTorch computes fan_in from weight.size(1) * kH * kW, i.e. out * k * k.
    long fanIn = (long) out * kernel * kernel;
    this.weight = weight("weight", new Shape(in, out, kernel, kernel), Init.fanInUniform(fanIn));
    this.bias = bias ? weight("bias", new Shape(out), Init.fanInUniform(fanIn)) : null;
    this.in = in;
    this.out = out;
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
    this.outputPadding = outputPadding;
  }

  /** {@code nn.ConvTranspose2d(in, out, kernel, stride)} with bias. */
  public ConvTranspose2d(int in, int out, int kernel, int stride) {
    this(in, out, kernel, stride, 0, 0, true);
  }

  /** The output side for an input side, as PyTorch computes it. */
  public long outputSize(long inputSize) {
    return (inputSize - 1) * stride - 2L * padding + kernel + outputPadding;
  }

  /** The weight parameter, PyTorch's {@code (in, out, kH, kW)}. */
  public Parameter weightParameter() {
    return weight;
  }

  /** The bias parameter, or null without bias. */
  public Parameter biasParameter() {
    return bias;
  }

  /** The stride. */
  public int stride() {
    return stride;
  }

  /** The padding cropped from every side. */
  public int padding() {
    return padding;
  }

  /** The extra rows and columns at the end. */
  public int outputPadding() {
    return outputPadding;
  }

  @Override
  public NDArray forward(NDArray x, boolean training) {
    return apply(x, weight.getArray(), bias == null ? null : bias.getArray());
  }

  NDArray apply(NDArray x, NDArray w, NDArray b) {
    // Weight transforms are per-call temporaries: own them by the input's (per-batch) manager,
    // not the model's, or every step would leak them; each is closed once consumed (autograd
    // keeps what backward needs).
    NDManager batch = x.getManager();
    int s = stride;
    int taps = (kernel + s - 1) / s;
    int full = taps * s;
    NDArray k = w;
    if (full > kernel) {
      k = own(k.pad(new Shape(0, full - kernel, 0, full - kernel), 0), batch);
    }
    // (in, out, M, s, M, s) -> (out, s_r, s_c, in, M, M), flipped over the taps.
    k = next(k, w, own(k.reshape(in, out, taps, s, taps, s), batch));
    k = next(k, w, own(k.transpose(1, 3, 5, 0, 2, 4), batch));
    if (taps > 1) {
      k = next(k, w, own(Ops.flip(k, 4, 5), batch));
    }
    k = next(k, w, own(k.reshape(out * s * s, in, taps, taps), batch));
    NDArray y =
        ai.djl.nn.convolutional.Conv2d.conv2d(
                x, k, null, new Shape(1, 1), new Shape(taps - 1, taps - 1), new Shape(1, 1), 1)
            .singletonOrThrow();
    release(k, w, y);
    long n = y.getShape().get(0);
    long hq = y.getShape().get(2);
    long wq = y.getShape().get(3);
    // depth-to-space: (n, out, s, s, hq, wq) -> (n, out, hq, s, wq, s)
    y = next(y, x, y.reshape(n, out, s, s, hq, wq));
    y = next(y, x, y.transpose(0, 1, 4, 2, 5, 3));
    y = next(y, x, y.reshape(n, out, hq * s, wq * s));
    long hOut = outputSize(x.getShape().get(2));
    long wOut = outputSize(x.getShape().get(3));
    // crop `padding` at the start; zero-pad the end where output_padding reaches past the data
    long endH = Math.max(0, hOut + padding - hq * s);
    long endW = Math.max(0, wOut + padding - wq * s);
    if (endH > 0 || endW > 0) {
      y = next(y, x, y.pad(new Shape(0, endW, 0, endH), 0));
    }
    if (padding != 0 || y.getShape().get(2) != hOut || y.getShape().get(3) != wOut) {
      y =
          next(
              y,
              x,
              y.get(
                  new NDIndex(
                      ":, :, {}:{}, {}:{}", padding, padding + hOut, padding, padding + wOut)));
    }
    if (b != null) {
      NDArray bias = own(b.reshape(1, out, 1, 1), batch);
      y = next(y, x, y.add(bias));
      bias.close();
    }
    return y;
  }

  /** Closes {@code prev} (unless it is {@code keep}) and returns {@code result}. */
  private static NDArray next(NDArray prev, NDArray keep, NDArray result) {
    release(prev, keep, result);
    return result;
  }

  private static NDArray own(NDArray a, NDManager m) {
    a.attach(m);
    return a;
  }
}
