package org.seg4j.model.encoder;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.seg4j.nn.Activation;
import org.seg4j.nn.BatchNorm2d;
import org.seg4j.nn.Conv2d;
import org.seg4j.nn.ForwardScope;
import org.seg4j.nn.MaxPool2d;
import org.seg4j.nn.Sequential;
import org.seg4j.nn.TorchBlock;

/**
 * The VGG16 feature extractor in torchvision's layout: a child {@code features} whose indices match
 * {@code torchvision.models.vgg16().features} (conv at 0, 2, 5, 7, 10, …, pools at 4, 9, 16, 23,
 * 30) or, with batch norm, {@code vgg16_bn().features} (conv/BN/ReLU triples, pools at 6, 13, 23,
 * 33, 43), so ImageNet weights load by name. Block widths are {@code base·{1, 2, 4, 8, 8}} (base 64
 * is the real VGG16). The convs may be built without bias (MindSpore's default, as seed 003's FCN).
 */
public final class Vgg16 extends TorchBlock {
  /** Convolutions per block and each block's width in units of base. */
  private static final int[][] BLOCKS = {{2, 1}, {2, 2}, {3, 4}, {3, 8}, {3, 8}};

  /** The number of blocks (and of poolings). */
  public static final int DEPTH = BLOCKS.length;

  private final Sequential features;
  private final int[] poolIndex = new int[DEPTH];
  private final int[] channels = new int[DEPTH];
  private final boolean batchNorm;
  private final boolean bias;

  /** A VGG16 for {@code inChannels} inputs at width {@code base}, with or without batch norm. */
  public Vgg16(int inChannels, int base, boolean batchNorm) {
    this(inChannels, base, batchNorm, true);
  }

  /** A VGG16 whose 3×3 convs have a bias or not ({@code bias=False} in PyTorch). */
  public Vgg16(int inChannels, int base, boolean batchNorm, boolean bias) {
    this.batchNorm = batchNorm;
    this.bias = bias;
    Sequential f = new Sequential();
    int c = inChannels;
    for (int b = 0; b < DEPTH; b++) {
      int width = BLOCKS[b][1] * base;
      for (int i = 0; i < BLOCKS[b][0]; i++) {
        f.add(new Conv2d(c, width, 3, 1, 1, 1, 1, bias, Conv2d.PaddingMode.ZEROS));
        if (batchNorm) {
          f.add(new BatchNorm2d(width));
        }
        f.add(Activation.relu());
        c = width;
      }
      channels[b] = width;
      poolIndex[b] = f.size();
      f.add(new MaxPool2d());
    }
    this.features = child("features", f);
  }

  /** The {@code features} sequence, for models that register it under their own name. */
  public Sequential features() {
    return features;
  }

  /** Whether this is the vgg16_bn layout. */
  public boolean batchNorm() {
    return batchNorm;
  }

  /** Whether the 3×3 convs have a bias (torchvision's do). */
  public boolean bias() {
    return bias;
  }

  /** The output channels of block {@code block} (0 to 4). */
  public int channels(int block) {
    return channels[block];
  }

  /** The index in {@code features} of the pooling that ends block {@code block}. */
  public int poolIndex(int block) {
    return poolIndex[block];
  }

  /** All of {@code features}: the pooled stride-32 map. */
  @Override
  public NDArray forward(NDArray x, boolean training) {
    return features.forward(x, training);
  }

  /**
   * The five block outputs before their pooling, at strides 1, 2, 4, 8, 16 (bubbliiiing's
   * feat1..feat5), kept in {@code s}; the last pooling is not run.
   */
  public List<NDArray> taps(ForwardScope s, NDArray x) {
    return blockOutputs(s, x, 0);
  }

  /** The five pooling outputs (pool1..pool5), at strides 2, 4, 8, 16, 32, kept in {@code s}. */
  public List<NDArray> pooled(ForwardScope s, NDArray x) {
    return blockOutputs(s, x, 1);
  }

  /** Each block's output up to {@code poolIndex + past} (0: before its pooling, 1: after). */
  private List<NDArray> blockOutputs(ForwardScope s, NDArray x, int past) {
    List<NDArray> out = new ArrayList<>(DEPTH);
    int from = 0;
    for (int b = 0; b < DEPTH; b++) {
      for (int i = from; i < poolIndex[b] + past; i++) {
        x = s.run(features.get(i), x);
      }
      out.add(s.keep(x));
      from = poolIndex[b] + past;
    }
    return out;
  }
}
