package org.seg4j.model;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.seg4j.model.encoder.Vgg16;
import org.seg4j.model.encoder.VggBackbone;
import org.seg4j.nn.Activation;
import org.seg4j.nn.Conv2d;
import org.seg4j.nn.ForwardScope;
import org.seg4j.nn.TorchBlock;
import org.seg4j.nn.Upsample;

/**
 * bubbliiiing's U-Net on a VGG16 encoder ({@code vgg.features.N}, torchvision indices): five taps
 * feat1..feat5 at strides 1, 2, 4, 8, 16 (the last VGG pooling is unused), four decoder levels
 * {@code up_concat4..1} that each concatenate the skip with the ×2 bilinear (align_corners)
 * up-sampled map below and apply two 3×3 conv + ReLU, then a 1×1 {@code final}. Decoder widths are
 * {@code base·{1, 2, 4, 8}}.
 *
 * <p>Options: {@link #OPTIONS}. {@code up=nearest} is seed 004's Keras {@code UpSampling2D} (each
 * pixel repeated 2×2); {@code align_corners=false} is {@code nn.Upsample(scale_factor=2,
 * mode='bilinear')} and {@code F.interpolate}'s default.
 */
final class VggUNet extends SegModel implements VggBackbone {
  private static final ModelOption BN = ModelOption.bool("bn", false, "the vgg16_bn encoder");
  private static final ModelOption UP =
      ModelOption.choice(
          "up", "each decoder level's ×2 up-sampling (no parameters)", "bilinear", "nearest");
  private static final ModelOption ALIGN_CORNERS =
      ModelOption.bool(
          "align_corners", true, "for up=bilinear only; true is UpsamplingBilinear2d's");

  /** The options this architecture understands. */
  public static final List<ModelOption> OPTIONS = List.of(BN, UP, ALIGN_CORNERS);

  private final Vgg16 vgg;
  private final Up[] ups = new Up[Vgg16.DEPTH - 1];
  private final Conv2d head;

  /** Builds the model from the config's channels, classes, base width and options. */
  public VggUNet(ModelConfig config) {
    super(config);
    config.checkOptions(OPTIONS);
    vgg = child("vgg", new Vgg16(config.inChannels(), config.base(), BN.boolValue(config)));
    boolean nearest = UP.choiceValue(config).equals("nearest");
    boolean alignCorners = ALIGN_CORNERS.boolValue(config);
    if (nearest && ALIGN_CORNERS.isSet(config)) {
      throw new IllegalArgumentException(
          "model option align_corners applies to up=bilinear only: drop it for up=nearest");
    }
    int below = vgg.channels(Vgg16.DEPTH - 1);
    for (int level = ups.length - 1; level >= 0; level--) {
      int skip = vgg.channels(level);
      Upsample up =
          nearest
              ? new Upsample(2, Upsample.Mode.NEAREST, false)
              : Upsample.bilinear(2, alignCorners);
      ups[level] = child("up_concat" + (level + 1), new Up(skip + below, skip, up));
      below = skip;
    }
    head = child("final", new Conv2d(vgg.channels(0), config.classes(), 1, 0));
  }

  @Override
  public Vgg16 encoder() {
    return vgg;
  }

  /** Four poolings reach feat5: sides must be multiples of 16. */
  @Override
  public int sideMultiple() {
    return 16;
  }

  @Override
  public NDArray forward(NDArray x, boolean training) {
    try (ForwardScope s = new ForwardScope(training)) {
      List<NDArray> feats = vgg.taps(s, x);
      NDArray h = feats.get(feats.size() - 1);
      for (int level = ups.length - 1; level >= 0; level--) {
        h = ups[level].forward(s, feats.get(level), h);
      }
      return s.out(s.run(head, h));
    }
  }

  /** bubbliiiing's unetUp: {@code cat([skip, up(x)]) → conv1 → ReLU → conv2 → ReLU}. */
  private static final class Up extends TorchBlock {
    private final Conv2d conv1;
    private final Conv2d conv2;
    private final Upsample up;
    private final Activation relu;

    Up(int in, int out, Upsample up) {
      conv1 = child("conv1", new Conv2d(in, out, 3, 1));
      conv2 = child("conv2", new Conv2d(out, out, 3, 1));
      this.up = child("up", up);
      relu = child("relu", Activation.relu());
    }

    NDArray forward(ForwardScope s, NDArray skip, NDArray below) {
      NDArray h = s.cat(s.last(skip), s.run(up, below));
      return s.run(relu, s.run(conv2, s.run(relu, s.run(conv1, h))));
    }

    /** A decoder level needs its skip: use {@link #forward(ForwardScope, NDArray, NDArray)}. */
    @Override
    public NDArray forward(NDArray x, boolean training) {
      throw new UnsupportedOperationException("unetUp takes (skip, below)");
    }
  }
}
