package org.seg4j.export;

import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import org.seg4j.nn.BilinearUpConv;
import org.seg4j.nn.Conv2d;
import org.seg4j.nn.ConvTranspose2d;

/**
 * Convolutions: {@code Conv} (reflect padding as a {@code Pad} before it) and {@code
 * ConvTranspose}.
 */
final class ConvOps {
  private ConvOps() {}

  /** {@link Conv2d}: zeros padding in the conv, reflect padding as a reflect {@code Pad}. */
  static String conv(OnnxGraph g, Conv2d c, String x) {
    long pad = c.padding();
    if (c.paddingMode() == Conv2d.PaddingMode.REFLECT && pad > 0) {
      String pads = g.longs("pads", 0, 0, pad, pad, 0, 0, pad, pad);
      x = g.node("Pad", List.of(x, pads), Attr.of("mode", "reflect"));
      pad = 0;
    }
    return conv(
        g, x, c.weightParameter(), c.biasParameter(), c.stride(), pad, c.dilation(), c.groups());
  }

  /** {@link BilinearUpConv}'s 1×1 conv (the up-sampling follows in {@link ResizeOps}). */
  static String conv1x1(OnnxGraph g, BilinearUpConv b, String x) {
    return conv(g, x, b.weightParameter(), b.biasParameter(), 1, 0, 1, 1);
  }

  private static String conv(
      OnnxGraph g,
      String x,
      Parameter w,
      Parameter b,
      long stride,
      long pad,
      long dil,
      long groups) {
    long k = w.getArray().getShape().get(2);
    return g.node(
        "Conv",
        inputs(g, x, w, b),
        Attr.of("kernel_shape", k, k),
        Attr.of("strides", stride, stride),
        Attr.of("pads", pad, pad, pad, pad),
        Attr.of("dilations", dil, dil),
        Attr.of("group", groups));
  }

  /** {@link ConvTranspose2d}: the same weight layout as PyTorch's, padding and output_padding. */
  static String convTranspose(OnnxGraph g, ConvTranspose2d t, String x) {
    Parameter w = t.weightParameter();
    long k = w.getArray().getShape().get(2);
    long s = t.stride();
    long p = t.padding();
    long op = t.outputPadding();
    return g.node(
        "ConvTranspose",
        inputs(g, x, w, t.biasParameter()),
        Attr.of("kernel_shape", k, k),
        Attr.of("strides", s, s),
        Attr.of("pads", p, p, p, p),
        Attr.of("output_padding", op, op));
  }

  private static List<String> inputs(OnnxGraph g, String x, Parameter w, Parameter b) {
    List<String> in = new ArrayList<>(List.of(x, g.weight(w)));
    if (b != null) {
      in.add(g.weight(b));
    }
    return in;
  }
}
