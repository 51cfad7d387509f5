package org.seg4j.model;

import static org.seg4j.nn.Blocks.conv1x1;
import static org.seg4j.nn.Blocks.doubleConv;
import static org.seg4j.nn.Blocks.pool2;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.seg4j.nn.Blocks.ConvSpec;
import org.seg4j.nn.Conv2d;
import org.seg4j.nn.ConvTranspose2d;
import org.seg4j.nn.ForwardScope;
import org.seg4j.nn.MaxPool2d;
import org.seg4j.nn.ModuleList;
import org.seg4j.nn.Sequential;

/**
 * The 2015 paper's U-Net ({@code unet-valid}): unpadded 3×3 convs + ReLU, 2×2 max-pool, 2×2
 * up-conv, crop-and-concat skips and a 1×1 head, so the logits are smaller than the input (572 →
 * 388 at depth 4). Names as {@link UNet}: {@code down.{i}}, {@code upc.{i}}, {@code up.{i}}, {@code
 * head}; without BN the convs are {@code .0} and {@code .2}.
 *
 * <p>Options: {@link #OPTIONS}. An input side is valid when every encoder level's {@code side − 4}
 * is even (so every pooling is exact) and every map stays positive; for depth d these are the sides
 * {@code 2^d·b + 4·(2^(d+1) − 1)} with a large enough bottom side b, and the output side is {@code
 * input − 4·(3·2^d − 2)}.
 */
final class UNetValid extends SegModel {
  private static final ModelOption DEPTH =
      ModelOption.integer("depth", 4, 1, 6, "poolings; 4 is the paper's (572 → 388)");
  private static final ModelOption BN = ModelOption.bool("bn", false, "BatchNorm after each conv");

  /** The options this architecture knows. */
  public static final List<ModelOption> OPTIONS = List.of(DEPTH, BN);

  private final int depth;
  private final MaxPool2d pool;
  private final ModuleList<Sequential> down;
  private final ModuleList<ConvTranspose2d> upc;
  private final ModuleList<Sequential> up;
  private final Conv2d head;

  /** Builds the network from a config. */
  public UNetValid(ModelConfig config) {
    super(config);
    config.checkOptions(OPTIONS);
    depth = DEPTH.intValue(config);
    ConvSpec spec = ConvSpec.valid(BN.boolValue(config));
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
      upc.add(new ConvTranspose2d(ch[depth - i], ch[depth - 1 - i], 2, 2));
    }
    for (int i = 0; i < depth; i++) {
      up.add(doubleConv(ch[depth - i], ch[depth - 1 - i], spec));
    }
    head = child("head", conv1x1(ch[0], config.classes()));
    pool = child("pool", pool2());
  }

  /** The output side for a valid input side, or −1 when the side is not valid. */
  static int validOutput(int side, int depth) {
    int s = side;
    for (int i = 0; i < depth; i++) {
      s -= 4;
      if (s <= 0 || s % 2 != 0) {
        return -1;
      }
      s /= 2;
    }
    s -= 4;
    for (int i = 0; i < depth; i++) {
      if (s <= 0) {
        return -1;
      }
      s = 2 * s - 4;
    }
    return s > 0 ? s : -1;
  }

  /** The number of poolings. */
  public int depth() {
    return depth;
  }

  @Override
  public int sideMultiple() {
    return 1 << depth;
  }

  @Override
  public int minSide() {
    int s = 1;
    while (validOutput(s, depth) < 0) {
      s++;
    }
    return s;
  }

  @Override
  public boolean acceptsSide(int side) {
    return validOutput(side, depth) > 0;
  }

  @Override
  public int outputSide(int inputSide) {
    int out = validOutput(inputSide, depth);
    if (out < 0) {
      throw new IllegalArgumentException(
          "unet-valid: input side "
              + inputSide
              + " is not valid at depth "
              + depth
              + ": the nearest valid side is "
              + nearestSide(inputSide));
    }
    return out;
  }

  @Override
  protected String sideRule() {
    int m = sideMultiple();
    int offset = 4 * ((2 << depth) - 1);
    return "image sides of the form "
        + m
        + "·k + "
        + offset
        + " (every unpadded conv and pooling must fit exactly) and at least "
        + minSide();
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
      for (int i = 0; i < depth; i++) {
        NDArray u = s.run(upc.get(i), x);
        NDArray skip = s.last(skips[depth - 1 - i]);
        x = s.run(up.get(i), s.cropCat(skip, u));
      }
      return s.out(s.run(head, x));
    }
  }
}
