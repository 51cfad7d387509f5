package org.seg4j.model;

import static org.seg4j.nn.Blocks.bn;
import static org.seg4j.nn.Blocks.conv3x3;
import static org.seg4j.nn.Blocks.relu;
import static org.seg4j.nn.Blocks.unetConv2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.List;
import org.seg4j.nn.Activation;
import org.seg4j.nn.BatchNorm2d;
import org.seg4j.nn.Chain;
import org.seg4j.nn.Conv2d;
import org.seg4j.nn.ForwardScope;
import org.seg4j.nn.MaxPool2d;
import org.seg4j.nn.TorchBlock;
import org.seg4j.nn.Upsample;

/**
 * U-Net 3+ ({@code unet3plus}) with full-scale skips, as ZJUGiveLab/UNet-Version's {@code
 * UNet_3Plus} and its parameter names: encoder {@code conv1…conv5} ({@code unetConv2}, widths
 * {@code [b, 2b, 4b, 8b, 16b]}, the paper's 64…1024 at base 64); each decoder stage {@code hd4…hd1}
 * takes all five scales through a branch of [max-pool (ceil) | bilinear up (align_corners=False)] +
 * conv3x3 to {@code b} channels + BN + ReLU, named like {@code h1_PT_hd4}, {@code h4_Cat_hd4},
 * {@code hd5_UT_hd4} (with {@code _conv}, {@code _bn}), fuses the {@code 5b} channels with {@code
 * conv4d_1}/{@code bn4d_1}, and the head is the 3×3 {@code outconv1}. Logits, no sigmoid.
 *
 * <p>Options: {@link #OPTIONS}. With deep supervision (as {@code UNet_3Plus_DeepSup}) {@code
 * outconv2…outconv5} on {@code hd2…hd4, hd5} are up-sampled bilinearly to full size, and {@link
 * #forwardAll} returns {@code d1…d5}; {@link #forward} returns {@code d1}.
 */
final class UNet3Plus extends SegModel {
  private static final ModelOption DEEP_SUPERVISION =
      ModelOption.bool("deep_supervision", false, "heads d2…d5 up-sampled to full size");

  /** The options this architecture knows. */
  public static final List<ModelOption> OPTIONS = List.of(DEEP_SUPERVISION);

  private static final int SCALES = 5;

  /** One skip branch: optional resampling, then conv3x3, BN, ReLU. */
  private record Branch(TorchBlock resample, Conv2d conv, BatchNorm2d bn, Activation relu) {
    NDArray apply(ForwardScope s, NDArray x) {
      NDArray r = resample == null ? x : s.run(resample, x);
      return s.run(relu, s.run(bn, s.run(conv, r)));
    }
  }

  private final boolean deepSupervision;
  private final Chain[] encoder = new Chain[SCALES + 1];
  private final MaxPool2d[] maxpool = new MaxPool2d[SCALES];
  private final Branch[][] branches = new Branch[SCALES][SCALES + 1];
  private final Branch[] fusion = new Branch[SCALES];
  private final Conv2d[] outconv = new Conv2d[SCALES + 1];
  private final Upsample[] upscore = new Upsample[SCALES + 1];

  /** Builds the network from a config. */
  public UNet3Plus(ModelConfig config) {
    super(config);
    config.checkOptions(OPTIONS);
    deepSupervision = DEEP_SUPERVISION.boolValue(config);
    int b = config.base();
    int[] f = {0, b, 2 * b, 4 * b, 8 * b, 16 * b}; // f[s]: width of encoder scale s (1-based)
    int catChannels = b;
    int upChannels = catChannels * SCALES;
    for (int s = 1; s <= SCALES; s++) {
      encoder[s] = child("conv" + s, unetConv2(s == 1 ? config.inChannels() : f[s - 1], f[s]));
      if (s < SCALES) {
        maxpool[s] = child("maxpool" + s, new MaxPool2d(2, 2, false));
      }
    }
    for (int d = SCALES - 1; d >= 1; d--) {
      for (int s = 1; s <= SCALES; s++) {
        TorchBlock resample = null;
        String name;
        int in;
        if (s < d) {
          name = "h" + s + "_PT_hd" + d;
          int k = 1 << (d - s);
          resample = new MaxPool2d(k, k, true);
          in = f[s];
        } else if (s == d) {
          name = "h" + s + "_Cat_hd" + d;
          in = f[s];
        } else {
          name = "hd" + s + "_UT_hd" + d;
          resample = new Upsample(1 << (s - d), Upsample.Mode.BILINEAR, false);
          in = s == SCALES ? f[SCALES] : upChannels;
        }
        branches[d][s] = branch(name, resample, in, catChannels);
      }
      fusion[d] =
          new Branch(
              null,
              child("conv" + d + "d_1", conv3x3(upChannels, upChannels)),
              child("bn" + d + "d_1", bn(upChannels)),
              child("relu" + d + "d_1", relu()));
    }
    outconv[1] = child("outconv1", conv3x3(upChannels, config.classes()));
    if (deepSupervision) {
      for (int k = 2; k <= SCALES; k++) {
        int in = k == SCALES ? f[SCALES] : upChannels;
        outconv[k] = child("outconv" + k, conv3x3(in, config.classes()));
      }
      for (int k = SCALES; k >= 2; k--) {
        upscore[k] =
            child("upscore" + k, new Upsample(1 << (k - 1), Upsample.Mode.BILINEAR, false));
      }
    }
  }

  private Branch branch(String name, TorchBlock resample, int in, int out) {
    if (resample != null) {
      child(name, resample);
    }
    return new Branch(
        resample,
        child(name + "_conv", conv3x3(in, out)),
        child(name + "_bn", bn(out)),
        child(name + "_relu", relu()));
  }

  /** Whether the model has the deep-supervision heads d2…d5. */
  public boolean deepSupervision() {
    return deepSupervision;
  }

  @Override
  public int sideMultiple() {
    return 1 << (SCALES - 1);
  }

  /** The full-resolution logits {@code d1}. */
  @Override
  public NDArray forward(NDArray x, boolean training) {
    try (ForwardScope s = new ForwardScope(training)) {
      return s.out(s.run(outconv[1], decode(s, x)[1]));
    }
  }

  /** With deep supervision {@code d1…d5} (all full size), else {@code d1} alone. */
  @Override
  public NDList forwardAll(NDList inputs, boolean training) {
    NDArray x = inputs.singletonOrThrow();
    if (!deepSupervision) {
      return new NDList(forward(x, training));
    }
    try (ForwardScope s = new ForwardScope(training)) {
      NDArray[] hd = decode(s, x);
      NDList out = new NDList(SCALES);
      out.add(s.out(s.run(outconv[1], hd[1])));
      for (int k = 2; k <= SCALES; k++) {
        out.add(s.out(s.run(upscore[k], s.run(outconv[k], hd[k]))));
      }
      return out;
    }
  }

  /**
   * Encoder maps h1…h5 and decoder maps hd4…hd1 (hd5 is the bottleneck h5), all kept; returns hd by
   * scale. Decoder stage d fuses one branch per scale: h1…h(d−1) pooled down, h_d as is,
   * hd(d+1)…hd5 up-sampled.
   */
  private NDArray[] decode(ForwardScope s, NDArray x) {
    NDArray[] h = new NDArray[SCALES + 1];
    NDArray[] hd = new NDArray[SCALES + 1];
    h[1] = s.keep(s.run(encoder[1], x));
    for (int i = 2; i <= SCALES; i++) {
      h[i] = s.keep(s.run(encoder[i], s.run(maxpool[i - 1], h[i - 1])));
    }
    hd[SCALES] = h[SCALES];
    for (int d = SCALES - 1; d >= 1; d--) {
      NDArray[] parts = new NDArray[SCALES];
      for (int i = 1; i <= SCALES; i++) {
        parts[i - 1] = branches[d][i].apply(s, i <= d ? h[i] : hd[i]);
      }
      hd[d] = s.keep(fusion[d].apply(s, s.cat(parts)));
    }
    return hd;
  }
}
