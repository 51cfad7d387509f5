package org.seg4j.model;

import static org.seg4j.nn.Blocks.cat;
import static org.seg4j.nn.Blocks.conv1x1;
import static org.seg4j.nn.Blocks.doubleConv;
import static org.seg4j.nn.Blocks.pool2;
import static org.seg4j.nn.Blocks.upConv;

import ai.djl.ndarray.NDArray;
import java.util.Locale;
import java.util.Set;
import org.seg4j.nn.Blocks.ConvSpec;
import org.seg4j.nn.Conv2d;
import org.seg4j.nn.Dropout2d;
import org.seg4j.nn.MaxPool2d;
import org.seg4j.nn.ModuleList;
import org.seg4j.nn.Sequential;
import org.seg4j.nn.TorchBlock;

/**
 * The padded U-Net ({@code unet}): output size equals input size. With default options it is
 * exactly {@code shared/reference/isbi_unet.py}'s {@code UNet}, with the same parameter names
 * ({@code down.{i}.{0,1,3,4}}, {@code upc.{i}}, {@code up.{i}}, {@code head}), so its state_dicts
 * load 1:1.
 *
 * <p>Options: {@code depth=4} (1..6 poolings; widths {@code base·2^i}, sides must be multiples of
 * {@code 2^depth}); {@code bn=true}; {@code act=relu|leaky} with {@code leaky_slope=0.01}; {@code
 * padding=zeros|reflect}; {@code up=transpose|bilinear} (bilinear: ×2 with align_corners=True and a
 * 1×1 conv halving the channels, still named {@code upc.{i}}); {@code dropout=0.0}: Dropout2d(p) on
 * the bottleneck's output, i.e. at the end of the contracting path as in the 2015 paper. Without BN
 * the double conv's convs are {@code .0} and {@code .2}.
 */
public final class UNet extends SegModel {
  /** The option keys this architecture knows. */
  public static final Set<String> OPTIONS =
      Set.of("depth", "bn", "act", "leaky_slope", "padding", "up", "dropout");

  private final int depth;
  private final boolean reflect;
  private final MaxPool2d pool;
  private final ModuleList<Sequential> down;
  private final ModuleList<TorchBlock> upc;
  private final ModuleList<Sequential> up;
  private final Conv2d head;
  private final Dropout2d drop;

  /** Builds the network from a config; unknown options or bad values fail with the valid ones. */
  public UNet(ModelConfig config) {
    super(config);
    config.checkOptions(OPTIONS);
    depth = config.intOption("depth", 4, 1, 6, "4 is the paper's");
    boolean leaky = choice(config, "act", "relu", "leaky").equals("leaky");
    reflect = choice(config, "padding", "zeros", "reflect").equals("reflect");
    boolean bilinear = choice(config, "up", "transpose", "bilinear").equals("bilinear");
    float dropout = config.floatOption("dropout", 0f);
    ConvSpec spec =
        new ConvSpec(
            config.boolOption("bn", true),
            leaky ? config.floatOption("leaky_slope", 0.01f) : 0f,
            1,
            reflect ? Conv2d.PaddingMode.REFLECT : Conv2d.PaddingMode.ZEROS);

    int[] ch = new int[depth + 1];
    for (int i = 0; i <= depth; i++) {
      ch[i] = config.base() << i;
    }
    down = child("down", new ModuleList<>());
    for (int i = 0; i <= depth; i++) {
      down.add(doubleConv(i == 0 ? config.inChannels() : ch[i - 1], ch[i], spec));
    }
    upc = child("upc", new ModuleList<>());
    up = child("up", new ModuleList<>());
    for (int i = 0; i < depth; i++) {
      upc.add(upConv(ch[depth - i], ch[depth - 1 - i], bilinear));
    }
    for (int i = 0; i < depth; i++) {
      up.add(doubleConv(ch[depth - i], ch[depth - 1 - i], spec));
    }
    head = child("head", conv1x1(ch[0], config.classes()));
    pool = child("pool", pool2());
    drop = dropout > 0f ? child("drop", new Dropout2d(dropout)) : null;
  }

  /** Reads a string option that must be one of {@code def} and {@code alternative}. */
  static String choice(ModelConfig config, String key, String def, String alternative) {
    String v = config.option(key, def).trim().toLowerCase(Locale.ROOT);
    if (!v.equals(def) && !v.equals(alternative)) {
      throw new IllegalArgumentException(
          "model option " + key + "=" + v + " is not known: use " + def + " or " + alternative);
    }
    return v;
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
      NDArray u = upc.get(i).forward(x, training);
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
