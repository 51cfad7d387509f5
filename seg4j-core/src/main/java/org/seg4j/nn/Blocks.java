package org.seg4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * Short factories for the building blocks of the U-Net family, so a model file reads like the
 * paper's figure (as milesial's does). Every block keeps the PyTorch names of its twin in {@code
 * tools/torch_models.py}.
 */
public final class Blocks {
  private Blocks() {}

  /**
   * How the 3×3 convs of a U-Net stage are built: batch norm or not, activation slope (0 is ReLU,
   * else LeakyReLU), padding (1 padded, 0 valid), padding mode, and the rate of a Dropout2d after
   * each conv's BN (0: none).
   */
  public record ConvSpec(
      boolean batchNorm, float slope, int padding, Conv2d.PaddingMode mode, float dropout) {
    /** A spec without dropout in the block. */
    public ConvSpec(boolean batchNorm, float slope, int padding, Conv2d.PaddingMode mode) {
      this(batchNorm, slope, padding, mode, 0f);
    }

    /** conv3x3(padding 1, zeros) + BN + ReLU, as isbi_unet.py. */
    public static ConvSpec padded() {
      return new ConvSpec(true, 0f, 1, Conv2d.PaddingMode.ZEROS);
    }

    /** The 2015 paper's unpadded conv3x3 + ReLU, optionally with BN. */
    public static ConvSpec valid(boolean batchNorm) {
      return new ConvSpec(batchNorm, 0f, 0, Conv2d.PaddingMode.ZEROS);
    }
  }

  /** {@code nn.Conv2d(in, out, 3, padding=1)}. */
  public static Conv2d conv3x3(int in, int out) {
    return new Conv2d(in, out, 3, 1);
  }

  /** A 3×3 conv with the spec's padding and padding mode. */
  public static Conv2d conv3x3(int in, int out, ConvSpec spec) {
    return new Conv2d(in, out, 3, 1, spec.padding(), 1, 1, true, spec.mode());
  }

  /** {@code nn.Conv2d(in, out, 1)}: a head or a channel projection. */
  public static Conv2d conv1x1(int in, int out) {
    return new Conv2d(in, out, 1, 0);
  }

  /** {@code nn.BatchNorm2d(channels)}. */
  public static BatchNorm2d bn(int channels) {
    return new BatchNorm2d(channels);
  }

  /** {@code nn.ReLU()}. */
  public static Activation relu() {
    return Activation.relu();
  }

  /** {@code nn.MaxPool2d(2)}. */
  public static MaxPool2d pool2() {
    return new MaxPool2d();
  }

  /**
   * U-Net's double conv as {@code nn.Sequential}: conv3x3, [BN], [Dropout2d], act, twice. With BN
   * the conv indices are 0 and 3 and the BN ones 1 and 4 (isbi_unet.py's {@code block}); without BN
   * the convs are 0 and 2. With the spec's dropout &gt; 0 a Dropout2d follows each BN (or conv), so
   * with BN the indices are 0 conv, 1 BN, 2 drop, 3 act, 4 conv, 5 BN, 6 drop, 7 act (seed 002's
   * {@code double_conv}).
   */
  public static Sequential doubleConv(int in, int out, ConvSpec spec) {
    return doubleConv(in, out, out, spec);
  }

  /**
   * {@link #doubleConv(int, int, ConvSpec)} whose first conv outputs {@code mid} channels
   * (milesial's {@code DoubleConv(in, out, mid_channels)}).
   */
  public static Sequential doubleConv(int in, int mid, int out, ConvSpec spec) {
    Sequential s = new Sequential();
    int[][] convs = {{in, mid}, {mid, out}};
    for (int[] c : convs) {
      s.add(conv3x3(c[0], c[1], spec));
      if (spec.batchNorm()) {
        s.add(bn(c[1]));
      }
      if (spec.dropout() > 0f) {
        s.add(new Dropout2d(spec.dropout()));
      }
      s.add(Activation.of(spec.slope()));
    }
    return s;
  }

  /** 4uiiurz1's {@code VGGBlock}: conv1 (3×3), bn1, ReLU, conv2 (3×3), bn2, ReLU. */
  public static Chain vggBlock(int in, int middle, int out) {
    return new Chain()
        .add("conv1", conv3x3(in, middle))
        .add("bn1", bn(middle))
        .add("relu1", relu())
        .add("conv2", conv3x3(middle, out))
        .add("bn2", bn(out))
        .add("relu2", relu());
  }

  /** {@code nn.Sequential(conv3x3, BatchNorm2d, ReLU)}. */
  public static Sequential convBnRelu(int in, int out) {
    return new Sequential(conv3x3(in, out), bn(out), relu());
  }

  /** ZJUGiveLab's {@code unetConv2} with batch norm: {@code conv1} and {@code conv2}. */
  public static Chain unetConv2(int in, int out) {
    return new Chain().add("conv1", convBnRelu(in, out)).add("conv2", convBnRelu(out, out));
  }

  /**
   * U-Net's ×2 up-step from {@code in} to {@code out} channels: {@code ConvTranspose2d(in, out, 2,
   * 2)}, or bilinear ×2 plus a 1×1 conv ({@link BilinearUpConv}).
   */
  public static TorchBlock upConv(int in, int out, boolean bilinear) {
    return bilinear ? new BilinearUpConv(in, out) : new ConvTranspose2d(in, out, 2, 2);
  }

  /** {@code torch.cat(parts, 1)}: one channel concat. */
  public static NDArray cat(NDArray... parts) {
    return NDArrays.concat(new NDList(parts), 1);
  }
}
