package org.seg4j.model;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.seg4j.model.encoder.Vgg16;
import org.seg4j.model.encoder.VggBackbone;
import org.seg4j.nn.Activation;
import org.seg4j.nn.BatchNorm2d;
import org.seg4j.nn.Conv2d;
import org.seg4j.nn.ConvTranspose2d;
import org.seg4j.nn.Dropout2d;
import org.seg4j.nn.ForwardScope;
import org.seg4j.nn.Init;

/**
 * The part FCN-32s, -16s and -8s share: a VGG16 backbone registered as {@code features}
 * (torchvision indices, so ImageNet weights load directly), the convolutionised classifier {@code
 * fc6} (7×7, padding 3) and {@code fc7} (1×1) with ReLU and Dropout2d(0.5), and {@code score_fr}.
 *
 * <p>This is the clean "same size" FCN, not caffe's pad-100-and-crop form: every conv pads so the
 * maps keep their side, and each up-sampling is a transposed conv of kernel 2f, stride f, padding
 * f/2 (no bias, started at the bilinear kernel as FCN does), which scales a side by exactly f. The
 * logits therefore have the input's size for any side that is a multiple of 32.
 *
 * <p>Options: {@link #OPTIONS} (their defaults give the layout above). {@code bias=false} is as
 * MindSpore's nn.Conv2d and Conv2dTranspose default {@code has_bias=False}; the up-sampling layers
 * never have a bias.
 *
 * <p>Seed 003's MindSpore FCN-32s/16s/8s ({@code block1..7}, {@code upscore}) is the options {@code
 * bn=true}, {@code bn_fc=true}, {@code bias=false} and {@code fc_dropout=0} (plus {@code
 * up32=two-step} for FCN-32s; on the command line {@code -O bn=true -O bn_fc=true …}), with the
 * default fc_width (4096 at base 64). MindSpore's {@code pad_mode='same'} is padding k/2 for its
 * convs and (k−s)/2 for its transposed convs, which is exactly this layout. Its 1×1 score layers
 * {@code score_pool4/3} are {@code Conv2dTranspose(c, n, 1)}: the same map as the 1×1 conv here,
 * whose weight is theirs with the first two axes swapped.
 */
abstract class FcnBase extends SegModel implements VggBackbone {
  private static final ModelOption BN =
      ModelOption.bool("bn", false, "the vgg16_bn backbone (features.N with BN triples)");
  private static final ModelOption FC_WIDTH =
      ModelOption.number("fc_width", "64·base", "≥ 1", "channels of fc6 and fc7 (4096 at base 64)");
  private static final ModelOption BN_FC =
      ModelOption.bool("bn_fc", false, "fc6 and fc7 as conv-BN-ReLU, the BNs named bn6 and bn7");
  private static final ModelOption FC_DROPOUT =
      ModelOption.number(
          "fc_dropout", "0.5", "[0, 1)", "Dropout2d rate after fc6 and fc7; 0 removes it");
  private static final ModelOption BIAS =
      ModelOption.bool(
          "bias", true, "false: no conv has a bias (backbone, fc6, fc7, score layers)");

  /** The options every FCN understands. */
  public static final List<ModelOption> OPTIONS = List.of(BN, FC_WIDTH, BN_FC, FC_DROPOUT, BIAS);

  private final Vgg16 vgg;
  private final boolean bias;
  private final Conv2d fc6;
  private final BatchNorm2d bn6;
  private final Activation relu6;
  private final Dropout2d drop6;
  private final Conv2d fc7;
  private final BatchNorm2d bn7;
  private final Activation relu7;
  private final Dropout2d drop7;
  private final Conv2d scoreFr;

  /** Builds the backbone and the stride-32 scores from the config's width and options. */
  protected FcnBase(ModelConfig config) {
    this(config, OPTIONS);
  }

  /**
   * As {@link #FcnBase(ModelConfig)} for a variant that understands the options {@code known},
   * {@link #OPTIONS} and its own (it reads those itself).
   */
  protected FcnBase(ModelConfig config, List<ModelOption> known) {
    super(config);
    config.checkOptions(known);
    int base = config.base();
    int fcWidth = FC_WIDTH.intValue(config, 64 * base);
    if (fcWidth < 1) {
      throw new IllegalArgumentException(
          "model option fc_width=" + fcWidth + " must be at least 1: e.g. fc_width=4096");
    }
    boolean bnFc = BN_FC.boolValue(config);
    float fcDropout = FC_DROPOUT.floatValue(config);
    if (!(fcDropout >= 0f && fcDropout < 1f)) {
      throw new IllegalArgumentException(
          "model option fc_dropout="
              + fcDropout
              + " must be in [0, 1): 0.5 is FCN's, 0 removes the dropout (seed 003)");
    }
    bias = BIAS.boolValue(config);
    vgg = new Vgg16(config.inChannels(), base, BN.boolValue(config), bias);
    child("features", vgg.features());
    fc6 = child("fc6", conv(vgg.channels(4), fcWidth, 7));
    bn6 = bnFc ? child("bn6", new BatchNorm2d(fcWidth)) : null;
    relu6 = child("relu6", Activation.relu());
    drop6 = child("drop6", new Dropout2d(fcDropout));
    fc7 = child("fc7", conv(fcWidth, fcWidth, 1));
    bn7 = bnFc ? child("bn7", new BatchNorm2d(fcWidth)) : null;
    relu7 = child("relu7", Activation.relu());
    drop7 = child("drop7", new Dropout2d(fcDropout));
    scoreFr = child("score_fr", conv(fcWidth, config.classes(), 1));
  }

  /** A stride-1 conv padded to keep the side, with a bias unless {@code bias=false}. */
  private Conv2d conv(int in, int out, int kernel) {
    return new Conv2d(in, out, kernel, 1, kernel / 2, 1, 1, bias, Conv2d.PaddingMode.ZEROS);
  }

  @Override
  public Vgg16 encoder() {
    return vgg;
  }

  /** Five poolings: sides must be multiples of 32. */
  @Override
  public int sideMultiple() {
    return 32;
  }

  @Override
  public final NDArray forward(NDArray x, boolean training) {
    try (ForwardScope s = new ForwardScope(training)) {
      List<NDArray> pools = vgg.pooled(s, x);
      NDArray h = s.run(fc6, pools.get(4));
      if (bn6 != null) {
        h = s.run(bn6, h);
      }
      h = s.run(drop6, s.run(relu6, h));
      h = s.run(fc7, h);
      if (bn7 != null) {
        h = s.run(bn7, h);
      }
      h = s.run(drop7, s.run(relu7, h));
      return s.out(decode(s, s.run(scoreFr, h), pools.get(3), pools.get(2)));
    }
  }

  /**
   * Up-samples the stride-32 scores to the input's size, fusing the pool4 (stride 16) and pool3
   * (stride 8) maps as the variant does.
   */
  protected abstract NDArray decode(ForwardScope s, NDArray scoreFr, NDArray pool4, NDArray pool3);

  /** A 1×1 score layer on a backbone block's output ({@code score_pool4}, {@code score_pool3}). */
  protected Conv2d scoreLayer(int block) {
    return conv(vgg.channels(block), config().classes(), 1);
  }

  /**
   * {@code ConvTranspose2d(classes, classes, 2f, stride=f, padding=f/2, bias=False)} started at the
   * bilinear kernel: scales a side by exactly {@code factor}.
   */
  protected ConvTranspose2d upscore(int factor) {
    int c = config().classes();
    ConvTranspose2d d = new ConvTranspose2d(c, c, 2 * factor, factor, factor / 2, 0, false);
    d.setInitializer(Init.bilinear(), "weight");
    return d;
  }
}
