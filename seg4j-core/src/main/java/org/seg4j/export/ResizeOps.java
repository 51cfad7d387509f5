package org.seg4j.export;

import java.util.List;
import org.seg4j.nn.Upsample;

/**
 * Up-sampling as {@code Resize} by a scale factor (so it follows the input's size): bilinear with
 * {@code align_corners} or PyTorch's half-pixel rule, nearest as PyTorch's {@code floor(dst ·
 * in/out)}.
 */
final class ResizeOps {
  private ResizeOps() {}

  /** {@link Upsample}. */
  static String upsample(OnnxGraph g, Upsample u, String x) {
    return u.mode() == Upsample.Mode.NEAREST
        ? resize(g, x, u.scale(), "nearest", "asymmetric")
        : bilinear(g, x, u.scale(), u.alignCorners());
  }

  /** Bilinear ×{@code scale}. */
  static String bilinear(OnnxGraph g, String x, int scale, boolean alignCorners) {
    return resize(g, x, scale, "linear", alignCorners ? "align_corners" : "pytorch_half_pixel");
  }

  private static String resize(OnnxGraph g, String x, int scale, String mode, String coordinates) {
    String scales = g.floats("scales", new float[] {1f, 1f, scale, scale}, 4);
    return g.node(
        "Resize",
        List.of(x, "", scales),
        Attr.of("mode", mode),
        Attr.of("coordinate_transformation_mode", coordinates),
        Attr.of("nearest_mode", "floor"));
  }
}
