package org.seg4j.export;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.seg4j.nn.Activation;
import org.seg4j.nn.BatchNorm2d;
import org.seg4j.nn.BilinearUpConv;
import org.seg4j.nn.Conv2d;
import org.seg4j.nn.ConvTranspose2d;
import org.seg4j.nn.ForwardTracer;
import org.seg4j.nn.MaxPool2d;
import org.seg4j.nn.TorchBlock;
import org.seg4j.nn.Upsample;

/**
 * Composition: hears a forward pass and emits each leaf block's nodes as it runs. A composite block
 * ({@code Sequential}, {@code Chain}, a model's own sub-module) is heard after its steps, whose
 * last one already made its output, and a block that hands its input on (dropout in eval) made
 * nothing new: both add no node.
 */
final class GraphTracer implements ForwardTracer {
  private final OnnxGraph g;
  private final boolean dynamicSize;
  private final String arch;

  /** Emits into {@code g}; {@code dynamicSize} refuses the steps that bake in the traced size. */
  GraphTracer(OnnxGraph g, boolean dynamicSize, String arch) {
    this.g = g;
    this.dynamicSize = dynamicSize;
    this.arch = arch;
  }

  @Override
  public void block(TorchBlock block, NDArray in, NDArray out) {
    if (g.nameOf(out) != null) {
      return;
    }
    String y = leaf(block, name(in));
    if (y == null) {
      throw new IllegalStateException(
          "export: seg4j cannot write " + block.getClass().getSimpleName() + " to ONNX yet");
    }
    g.bind(out, y);
  }

  private String leaf(TorchBlock b, String x) {
    if (b instanceof Conv2d c) {
      return ConvOps.conv(g, c, x);
    } else if (b instanceof ConvTranspose2d t) {
      return ConvOps.convTranspose(g, t, x);
    } else if (b instanceof BilinearUpConv u) {
      return ResizeOps.bilinear(g, ConvOps.conv1x1(g, u, x), 2, true);
    } else if (b instanceof BatchNorm2d bn) {
      return NormOps.batchNorm(g, bn, x);
    } else if (b instanceof Activation a) {
      return ActivationOps.activation(g, a, x);
    } else if (b instanceof MaxPool2d p) {
      return PoolOps.maxPool(g, p, x);
    } else if (b instanceof Upsample u) {
      return ResizeOps.upsample(g, u, x);
    }
    return null;
  }

  @Override
  public void op(Op op, NDArray out, NDArray... in) {
    List<String> names = new ArrayList<>();
    for (NDArray a : in) {
      names.add(name(a));
    }
    String y =
        switch (op) {
          case CAT -> ShapeOps.cat(g, names);
          case ADD -> ShapeOps.add(g, names.get(0), names.get(1));
          case CROP_CAT -> cropCat(names, in);
        };
    g.bind(out, y);
  }

  private String cropCat(List<String> names, NDArray[] in) {
    if (dynamicSize) {
      throw new IllegalArgumentException(
          "dynamic_size=true: "
              + arch
              + "'s centre crops depend on the input size: export at a fixed size instead"
              + " (size=HxW)");
    }
    return ShapeOps.cropCat(g, names.get(0), names.get(1), in[0], in[1]);
  }

  private String name(NDArray t) {
    String n = g.nameOf(t);
    if (n == null) {
      throw new IllegalStateException("export: a step read a tensor the trace did not make");
    }
    return n;
  }
}
