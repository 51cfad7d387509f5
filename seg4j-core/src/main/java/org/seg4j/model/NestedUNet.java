package org.seg4j.model;

import static org.seg4j.nn.Blocks.conv1x1;
import static org.seg4j.nn.Blocks.pool2;
import static org.seg4j.nn.Blocks.vggBlock;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.Arrays;
import java.util.List;
import org.seg4j.nn.Chain;
import org.seg4j.nn.Conv2d;
import org.seg4j.nn.ForwardScope;
import org.seg4j.nn.MaxPool2d;
import org.seg4j.nn.Upsample;

/**
 * U-Net++ ({@code nested-unet}) exactly as 4uiiurz1/pytorch-nested-unet's {@code NestedUNet}: nodes
 * {@code conv{i}_{j}} are VGG blocks ({@code conv1, bn1, conv2, bn2}) with widths {@code nb_filter
 * = [b, 2b, 4b, 8b, 16b]} (base 32 gives 32…512), MaxPool2d(2) down, bilinear ×2
 * (align_corners=True) up, dense skips {@code x_i_j = conv(cat(x_i_0 … x_i_{j−1},
 * up(x_{i+1}_{j−1})))} and a 1×1 head {@code final}.
 *
 * <p>Options: {@link #OPTIONS}. With deep supervision the heads are {@code final1…final4} on {@code
 * x0_1…x0_4}, {@link #forwardAll} returns all four and {@link #forward} the deepest; pruned to
 * level L it computes only the nodes {@code x_i_j} with {@code i + j ≤ L} and returns head L (L1
 * uses conv0_0, conv1_0, conv0_1 and final1). See {@link #setPruneLevel} and {@link #forwardLevel}.
 */
public final class NestedUNet extends SegModel {
  private static final int LEVELS = 4;

  private static final ModelOption DEEP_SUPERVISION =
      ModelOption.bool("deep_supervision", false, "four heads final1…final4 on x0_1…x0_4");
  private static final ModelOption PRUNE_LEVEL =
      ModelOption.number(
          "prune_level",
          String.valueOf(LEVELS),
          "1, 2, 3 or 4",
          "the level inference stops at; below 4 needs deep_supervision");

  /** The options this architecture knows. */
  public static final List<ModelOption> OPTIONS = List.of(DEEP_SUPERVISION, PRUNE_LEVEL);

  private final boolean deepSupervision;
  private final MaxPool2d pool;
  private final Upsample up;
  private final Chain[][] nodes = new Chain[LEVELS + 1][LEVELS + 1];
  private final Conv2d[] heads;
  private int pruneLevel = LEVELS;

  /** Builds the network from a config. */
  public NestedUNet(ModelConfig config) {
    super(config);
    config.checkOptions(OPTIONS);
    deepSupervision = DEEP_SUPERVISION.boolValue(config);
    int b = config.base();
    int[] f = {b, 2 * b, 4 * b, 8 * b, 16 * b};
    pool = child("pool", pool2());
    up = child("up", Upsample.bilinear(2, true));
    // same creation order as the PyTorch twin: column by column
    for (int j = 0; j <= LEVELS; j++) {
      for (int i = 0; i + j <= LEVELS; i++) {
        int in = j == 0 ? (i == 0 ? config.inChannels() : f[i - 1]) : f[i] * j + f[i + 1];
        nodes[i][j] = child("conv" + i + "_" + j, vggBlock(in, f[i], f[i]));
      }
    }
    if (deepSupervision) {
      heads = new Conv2d[LEVELS];
      for (int k = 1; k <= LEVELS; k++) {
        heads[k - 1] = child("final" + k, conv1x1(f[0], config.classes()));
      }
    } else {
      heads = new Conv2d[] {child("final", conv1x1(f[0], config.classes()))};
    }
    setPruneLevel(PRUNE_LEVEL.intValue(config));
  }

  /** Whether the model has the four deep-supervision heads. */
  public boolean deepSupervision() {
    return deepSupervision;
  }

  /** The level {@link #forward} stops at (4 is the full network). */
  public int pruneLevel() {
    return pruneLevel;
  }

  /**
   * Makes {@link #forward} stop at level L (1..4): faster, coarser inference from head L. Levels
   * below 4 need {@code deep_supervision=true}.
   */
  public void setPruneLevel(int level) {
    checkLevel(level);
    pruneLevel = level;
  }

  private void checkLevel(int level) {
    if (level < 1 || level > LEVELS) {
      throw new IllegalArgumentException(
          "nested-unet: prune level " + level + " is out of range: use 1, 2, 3 or 4 (full)");
    }
    if (level < LEVELS && !deepSupervision) {
      throw new IllegalArgumentException(
          "nested-unet: pruning to level "
              + level
              + " needs the heads final1..final3, which exist only with deep_supervision=true;"
              + " this model has one head (final): rebuild with deep_supervision=true or use"
              + " level 4");
    }
  }

  @Override
  public int sideMultiple() {
    return 1 << LEVELS;
  }

  /** The output of head {@code pruneLevel()} (or {@code final}). */
  @Override
  public NDArray forward(NDArray x, boolean training) {
    return forwardLevel(x, training, pruneLevel);
  }

  /** Runs the nodes up to {@code level} and returns that level's head. */
  public NDArray forwardLevel(NDArray x, boolean training, int level) {
    checkLevel(level);
    try (ForwardScope s = new ForwardScope(training)) {
      NDArray[][] xs = features(s, x, level);
      Conv2d head = deepSupervision ? heads[level - 1] : heads[0];
      return s.out(s.run(head, xs[0][level]));
    }
  }

  /**
   * With deep supervision, heads 1..{@code pruneLevel()} (four for the full network), shallowest
   * first; otherwise the single head.
   */
  @Override
  public NDList forwardAll(NDList inputs, boolean training) {
    NDArray x = inputs.singletonOrThrow();
    if (!deepSupervision) {
      return new NDList(forward(x, training));
    }
    try (ForwardScope s = new ForwardScope(training)) {
      NDArray[][] xs = features(s, x, pruneLevel);
      NDList out = new NDList(pruneLevel);
      for (int k = 1; k <= pruneLevel; k++) {
        out.add(s.out(s.run(heads[k - 1], xs[0][k])));
      }
      return out;
    }
  }

  /**
   * Computes the nodes {@code x_i_j} with {@code i + j ≤ level}, in the reference's order: {@code
   * x_i_j = conv(cat(x_i_0 … x_i_{j−1}, up(x_{i+1}_{j−1})))}. Every node is kept for the nodes and
   * heads after it.
   */
  private NDArray[][] features(ForwardScope s, NDArray input, int level) {
    NDArray[][] xs = new NDArray[LEVELS + 1][LEVELS + 1];
    xs[0][0] = s.keep(s.run(nodes[0][0], input));
    for (int k = 1; k <= level; k++) {
      xs[k][0] = s.keep(s.run(nodes[k][0], s.run(pool, xs[k - 1][0])));
      for (int i = k - 1; i >= 0; i--) {
        int j = k - i;
        NDArray[] parts = Arrays.copyOf(xs[i], j + 1);
        parts[j] = s.run(up, xs[i + 1][j - 1]);
        xs[i][j] = s.keep(s.run(nodes[i][j], s.cat(parts)));
      }
    }
    return xs;
  }
}
