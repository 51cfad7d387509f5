package org.seg4j.model;

import static org.seg4j.nn.Blocks.cat;
import static org.seg4j.nn.Blocks.conv1x1;
import static org.seg4j.nn.Blocks.doubleConv;
import static org.seg4j.nn.Blocks.pool2;
import static org.seg4j.nn.Blocks.upConv;

import ai.djl.ndarray.NDArray;
import java.util.Set;
import org.seg4j.nn.Blocks.ConvSpec;
import org.seg4j.nn.Conv2d;
import org.seg4j.nn.Dropout2d;
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
 * <p>Options: {@code depth=4} (1..6 poolings; widths {@code base·2^i}, sides must be multiples of
 * {@code 2^depth}); {@code bn=true}; {@code act=relu|leaky} with {@code leaky_slope=0.01}; {@code
 * padding=zeros|reflect}; {@code up=transpose|bilinear|upsample}: transpose is {@code
 * ConvTranspose2d(2c, c, 2, 2)}; bilinear is ×2 with align_corners=True and a 1×1 conv halving the
 * channels, still named {@code upc.{i}}; upsample is ×2 bilinear with align_corners=True and no
 * conv at all (no {@code upc} tensors), so the decoder block {@code up.{i}} takes the skip's c plus
 * the full 2c channels below: 4uiiurz1/pytorch-nested-unet's plain {@code UNet}, which at base 32,
 * 3 inputs and 1 class has 7,852,545 parameters. {@code dropout=0.0} is a Dropout2d rate, placed by
 * {@code dropout_at=bottleneck|blocks}: bottleneck (default) drops on the bottleneck's output, i.e.
 * at the end of the contracting path as in the 2015 paper; blocks puts a Dropout2d after every BN
 * of every double conv, before the activation, as seed 002's cropland U-Net ({@code dropout=0.3,
 * act=leaky, padding=reflect}): the double conv's indices become 0 conv, 1 BN, 2 drop, 3 act, 4
 * conv, 5 BN, 6 drop, 7 act, and blocks needs a dropout above 0. Without BN the double conv's convs
 * are {@code .0} and {@code .2} (with block dropout {@code .0} and {@code .3}).
 */
public final class UNet extends SegModel {
  /** The option keys this architecture knows. */
  public static final Set<String> OPTIONS =
      Set.of("depth", "bn", "act", "leaky_slope", "padding", "up", "dropout", "dropout_at");

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
    depth = config.intOption("depth", 4, 1, 6, "4 is the paper's");
    boolean leaky = config.choiceOption("act", "relu", "leaky").equals("leaky");
    reflect = config.choiceOption("padding", "zeros", "reflect").equals("reflect");
    String upMode = config.choiceOption("up", "transpose", "bilinear", "upsample");
    float dropout = config.floatOption("dropout", 0f);
    boolean blockDropout =
        config.choiceOption("dropout_at", "bottleneck", "blocks").equals("blocks");
    if (blockDropout && dropout == 0f) {
      throw new IllegalArgumentException(
          "model option dropout_at=blocks puts Dropout2d(dropout) into every double conv, but"
              + " dropout is "
              + dropout
              + ": set it too, e.g. dropout=0.3 (seed 002's)");
    }
    ConvSpec spec =
        new ConvSpec(
            config.boolOption("bn", true),
            leaky ? config.floatOption("leaky_slope", 0.01f) : 0f,
            1,
            reflect ? Conv2d.PaddingMode.REFLECT : Conv2d.PaddingMode.ZEROS,
            blockDropout ? dropout : 0f);

    int[] ch = new int[depth + 1];
    for (int i = 0; i <= depth; i++) {
      ch[i] = config.base() << i;
    }
    down = child("down", new ModuleList<>());
    for (int i = 0; i <= depth; i++) {
      down.add(doubleConv(i == 0 ? config.inChannels() : ch[i - 1], ch[i], spec));
    }
    boolean fullWidth = upMode.equals("upsample");
    upc = fullWidth ? null : child("upc", new ModuleList<>());
    upsample = fullWidth ? child("upsample", Upsample.bilinear(2, true)) : null;
    up = child("up", new ModuleList<>());
    for (int i = 0; i < depth && !fullWidth; i++) {
      upc.add(upConv(ch[depth - i], ch[depth - 1 - i], upMode.equals("bilinear")));
    }
    for (int i = 0; i < depth; i++) {
      // the up-step halves the channels to ch[depth-1-i] unless it is a plain up-sampling
      int in = fullWidth ? ch[depth - i] + ch[depth - 1 - i] : ch[depth - i];
      up.add(doubleConv(in, ch[depth - 1 - i], spec));
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
    // Intermediates are closed as soon as they are consumed (see TorchBlock.chain); skips live
    // until their concatenation.
    NDArray[] skips = new NDArray[depth];
    NDArray input = x;
    for (int i = 0; i <= depth; i++) {
      if (i > 0) {
        NDArray pooled = pool.forward(x, training);
        x = down.get(i).forward(pooled, training);
        release(pooled, input, x);
      } else {
        x = down.get(i).forward(x, training);
      }
      if (i < depth) {
        skips[i] = x;
      }
    }
    if (drop != null) {
      NDArray d = drop.forward(x, training);
      release(x, input, d);
      x = d;
    }
    for (int i = 0; i < depth; i++) {
      NDArray u = upc == null ? upsample.forward(x, training) : upc.get(i).forward(x, training);
      release(x, input, u);
      NDArray skip = skips[depth - 1 - i];
      NDArray c = cat(skip, u);
      release(u, input, c);
      release(skip, input, c);
      x = up.get(i).forward(c, training);
      release(c, input, x);
    }
    NDArray out = head.forward(x, training);
    release(x, input, out);
    return out;
  }
}
