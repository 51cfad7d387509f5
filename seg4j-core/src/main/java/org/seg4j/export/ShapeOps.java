package org.seg4j.export;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.seg4j.augment.Normalize;

/**
 * Ops on whole tensors: channel {@code Concat}, {@code Add}, the valid U-Net's centre crop ({@code
 * Slice}, fixed size only) and the input normalisation folded in ({@code Sub}, {@code Div}).
 */
final class ShapeOps {
  private ShapeOps() {}

  /** {@code torch.cat(parts, 1)}. */
  static String cat(OnnxGraph g, List<String> parts) {
    return g.node("Concat", parts, Attr.of("axis", 1L));
  }

  /** {@code a + b}. */
  static String add(OnnxGraph g, String a, String b) {
    return g.node("Add", List.of(a, b));
  }

  /**
   * {@code cat([centreCrop(skip, up), up], 1)} for the traced sizes: the crop's offsets are
   * constants of the graph.
   */
  static String cropCat(OnnxGraph g, String skip, String up, NDArray skipT, NDArray upT) {
    long top = (skipT.getShape().get(2) - upT.getShape().get(2)) / 2;
    long left = (skipT.getShape().get(3) - upT.getShape().get(3)) / 2;
    String starts = g.longs("crop_starts", top, left);
    String ends = g.longs("crop_ends", top + upT.getShape().get(2), left + upT.getShape().get(3));
    String crop = g.node("Slice", List.of(skip, starts, ends, g.longs("crop_axes", 2, 3)));
    return cat(g, List.of(crop, up));
  }

  /** {@code (x − mean) / std} per channel, as the run's {@link Normalize}. */
  static String normalize(OnnxGraph g, Normalize n, String x) {
    long c = n.mean().length;
    String mean = g.floats("norm_mean", n.mean(), 1, c, 1, 1);
    String std = g.floats("norm_std", n.std(), 1, c, 1, 1);
    return g.node("Div", List.of(g.node("Sub", List.of(x, mean)), std));
  }
}
