package org.seg4j.model;

import static org.seg4j.nn.Blocks.conv1x1;
import static org.seg4j.nn.Blocks.doubleConv;
import static org.seg4j.nn.Blocks.pool2;
import static org.seg4j.nn.Blocks.upConv;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.seg4j.nn.Blocks.ConvSpec;
import org.seg4j.nn.Conv2d;
import org.seg4j.nn.Dropout2d;
import org.seg4j.nn.ForwardScope;
import org.seg4j.nn.MaxPool2d;
import org.seg4j.nn.ModuleList;
import org.seg4j.nn.Sequential;
import org.seg4j.nn.TorchBlock;
import org.seg4j.nn.Upsample;

/**
 * The padded U-Net ({@code unet}): output size equals input size. With default options it is
 * exactly {@code shared/reference/isbi_unet.py}'s {@code UNet}, with the same parameter names
 * ({@code down.{i}.{0,1,3,4}}, {@code upc.{i}}, {@code up.{i}}, {@code head}), so its state_dicts
 * load 1:1.
 *
 * <p>Options ({@link #OPTIONS}): {@code up=upsample} has no {@code upc} tensors, so the decoder
 * block {@code up.{i}} takes the skip's c plus the full 2c channels below: 4uiiurz1's plain {@code
 * UNet}, 7,852,545 parameters at base 32, 3 inputs and 1 class. {@code dropout_at=blocks} (seed
 * 002's cropland U-Net with {@code dropout=0.3, act=leaky, padding=reflect}) makes the double
 * conv's indices 0 conv, 1 BN, 2 drop, 3 act, 4 conv, 5 BN, 6 drop, 7 act. Without BN the double
 * conv's convs are {@code .0} and {@code .2} (with block dropout {@code .0} and {@code .3}). {@code
 * up=upsample} with {@code halve=true} is milesial/Pytorch-UNet's {@code UNet(bilinear=True)}: its
 * {@code factor=2} keeps the bottleneck at the width of the level above, and each decoder block is
 * {@code DoubleConv(in, out, mid=in/2)} with {@code out} half its skip's width (the top block's
 * {@code out} is base). Sides are multiples of {@code 2^depth}, so milesial's {@code F.pad} of odd
 * sizes never pads.
 */
final class UNet extends SegModel {
  private static final ModelOption DEPTH =
      ModelOption.integer(
          "depth", 4, 1, 6, "poolings; 4 is the paper's, sides multiples of 2^depth");
  private static final ModelOption BN = ModelOption.bool("bn", true, "BatchNorm after each conv");
  private static final ModelOption ACT =
      ModelOption.choice("act", "activation of each conv", "relu", "leaky");
  private static final ModelOption LEAKY_SLOPE =
      ModelOption.number("leaky_slope", "0.01", "a number", "negative slope of act=leaky");
  private static final ModelOption PADDING =
      ModelOption.choice("padding", "how the 3×3 convs pad", "zeros", "reflect");
  private static final ModelOption UP =
      ModelOption.choice(
          "up",
          "up-step: ConvTranspose2d(2c, c, 2, 2); ×2 bilinear (align_corners) + 1×1 conv to c;"
              + " or ×2 bilinear alone, full width",
          "transpose",
          "bilinear",
          "upsample");
  private static final ModelOption DROPOUT =
      ModelOption.number("dropout", "0.0", "[0, 1)", "Dropout2d rate; 0 is none");
  private static final ModelOption DROPOUT_AT =
      ModelOption.choice(
          "dropout_at",
          "on the bottleneck's output (the paper's), or after every BN of every double conv",
          "bottleneck",
          "blocks");

  private static final ModelOption HALVE =
      ModelOption.bool(
          "halve",
          false,
          "up=upsample only: milesial's bilinear UNet (factor 2): bottleneck as wide as the level"
              + " above, each up block's mid conv at half its input and output at half its skip");

  /** The options this architecture knows. */
  public static final List<ModelOption> OPTIONS =
      List.of(DEPTH, BN, ACT, LEAKY_SLOPE, PADDING, UP, DROPOUT, DROPOUT_AT, HALVE);

  private final int depth;
  private final boolean reflect;
  private final MaxPool2d pool;
  private final ModuleList<Sequential> down;
  private final ModuleList<TorchBlock> upc;
  private final Upsample upsample;
  private final ModuleList<Sequential> up;
  private final Conv2d head;
  private final Dropout2d drop;

  /** Builds the network from a config; unknown options or bad values fail with the valid ones. */
  public UNet(ModelConfig config) {
    super(config);
    config.checkOptions(OPTIONS);
    depth = DEPTH.intValue(config);
    boolean leaky = ACT.choiceValue(config).equals("leaky");
    reflect = PADDING.choiceValue(config).equals("reflect");
    String upMode = UP.choiceValue(config);
    float dropout = DROPOUT.floatValue(config);
    boolean blockDropout = DROPOUT_AT.choiceValue(config).equals("blocks");
    if (blockDropout && dropout == 0f) {
      throw new IllegalArgumentException(
          "model option dropout_at=blocks puts Dropout2d(dropout) into every double conv, but"
              + " dropout is "
              + dropout
              + ": set it too, e.g. dropout=0.3 (seed 002's)");
    }
    ConvSpec spec =
        new ConvSpec(
            BN.boolValue(config),
            leaky ? LEAKY_SLOPE.floatValue(config) : 0f,
            1,
            reflect ? Conv2d.PaddingMode.REFLECT : Conv2d.PaddingMode.ZEROS,
            blockDropout ? dropout : 0f);

    boolean fullWidth = upMode.equals("upsample");
    boolean halve = HALVE.boolValue(config);
    if (halve && !fullWidth) {
      throw new IllegalArgumentException(
          "model option halve=true is milesial's bilinear UNet and needs up=upsample (up is "
              + upMode
              + "): add -O up=upsample, or drop halve");
    }
    int[] ch = new int[depth + 1];
    for (int i = 0; i <= depth; i++) {
      ch[i] = config.base() << i;
    }
    if (halve) {
      ch[depth] = ch[depth - 1]; // milesial's factor 2: down4 keeps the width
    }
    down = child("down", new ModuleList<>());
    for (int i = 0; i <= depth; i++) {
      down.add(doubleConv(i == 0 ? config.inChannels() : ch[i - 1], ch[i], spec));
    }
    upc = fullWidth ? null : child("upc", new ModuleList<>());
    upsample = fullWidth ? child("upsample", Upsample.bilinear(2, true)) : null;
    up = child("up", new ModuleList<>());
    for (int i = 0; i < depth && !fullWidth; i++) {
      upc.add(upConv(ch[depth - i], ch[depth - 1 - i], upMode.equals("bilinear")));
    }
    int below = ch[depth];
    for (int i = 0; i < depth; i++) {
      // the up-step halves the channels to ch[depth-1-i] unless it is a plain up-sampling
      int skip = ch[depth - 1 - i];
      int in = fullWidth ? below + skip : ch[depth - i];
      // halve: the output is as wide as the next skip (ch[0] at the top), the mid conv in / 2
      int out = halve && i < depth - 1 ? skip / 2 : skip;
      up.add(doubleConv(in, halve ? in / 2 : out, out, spec));
      below = out;
    }
    head = child("head", conv1x1(ch[0], config.classes()));
    pool = child("pool", pool2());
    drop = dropout > 0f && !blockDropout ? child("drop", new Dropout2d(dropout)) : null;
  }

  /** The number of poolings. */
  public int depth() {
    return depth;
  }

  @Override
  public int sideMultiple() {
    return 1 << depth;
  }

  /** Reflect padding needs at least 2 pixels at the bottom level. */
  @Override
  public int minSide() {
    return reflect ? 2 << depth : 1 << depth;
  }

  @Override
  public NDArray forward(NDArray x, boolean training) {
    try (ForwardScope s = new ForwardScope(training)) {
      NDArray[] skips = new NDArray[depth];
      x = s.run(down.get(0), x);
      for (int i = 1; i <= depth; i++) {
        skips[i - 1] = s.keep(x);
        x = s.run(down.get(i), s.run(pool, x));
      }
      if (drop != null) {
        x = s.run(drop, x);
      }
      for (int i = 0; i < depth; i++) {
        NDArray u = s.run(upc == null ? upsample : upc.get(i), x);
        x = s.run(up.get(i), s.cat(s.last(skips[depth - 1 - i]), u));
      }
      return s.out(s.run(head, x));
    }
  }
}
