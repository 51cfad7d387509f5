package org.seg4j.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seg4j.augment.Normalize;
import org.seg4j.io.AtomicFiles;
import org.seg4j.io.Provenance;
import org.seg4j.model.SegModel;
import org.seg4j.nn.ForwardScope;
import org.seg4j.run.InferenceSpec;

/**
 * Writes a seg4j model as a standard ONNX file: one forward pass on a real input is traced through
 * {@link ForwardScope} and each step becomes ONNX nodes. The graph's input is {@value #IMAGE}
 * {@code (N, C, H, W)} float32 and its output {@value #LOGITS} {@code (N, K, H', W')}; N is always
 * symbolic, H and W too with {@link Options#dynamicSize}. The model's {@code metadata_props} hold
 * the class names and the inference settings ({@link InferenceSpec#toMetadata}: normalisation,
 * input resize, threshold), the architecture and seg4j's version.
 */
public final class OnnxExport {
  /** The graph input's name. */
  public static final String IMAGE = "image";

  /** The graph output's name. */
  public static final String LOGITS = "logits";

  /** The highest opset seg4j writes. */
  public static final int MAX_OPSET = 21;

  /** The metadata key of seg4j's version. */
  public static final String VERSION_KEY = "seg4j_version";

  /** The metadata key of the architecture name. */
  public static final String ARCH_KEY = "arch";

  /** The metadata key of the side rule's multiple (input sides must be multiples of it). */
  public static final String SIDE_MULTIPLE_KEY = "side_multiple";

  /** The metadata key of the smallest input side. */
  public static final String MIN_SIDE_KEY = "min_side";

  /** The metadata key saying whether the normalisation is inside the graph. */
  public static final String FOLDED_KEY = "normalize_in_graph";

  private OnnxExport() {}

  /**
   * How to export.
   *
   * @param height the traced input height (the graph's, unless {@code dynamicSize})
   * @param width the traced input width
   * @param dynamicSize symbolic H and W
   * @param opset the opset to write, or 0 for the lowest that has every op of the graph
   * @param foldNormalize subtract the run's mean and divide by its std inside the graph
   */
  public record Options(
      int height, int width, boolean dynamicSize, int opset, boolean foldNormalize) {}

  /** What was written: the opset and the traced output shape {@code (1, K, H', W')}. */
  public record Result(int opset, long[] outputShape) {}

  /**
   * Exports {@code model} (in eval mode, with its prune level) to {@code file} atomically: a failed
   * export leaves nothing.
   */
  public static Result write(SegModel model, InferenceSpec spec, Options o, Path file)
      throws IOException {
    Built b = build(model, spec, o);
    AtomicFiles.write(file, out -> out.write(b.bytes()));
    return b.result();
  }

  private record Built(byte[] bytes, Result result) {}

  private static Built build(SegModel model, InferenceSpec spec, Options o) {
    int c = model.config().inChannels();
    Shape shape = new Shape(1, c, o.height(), o.width());
    model.checkInput(shape);
    OnnxGraph g = new OnnxGraph(model.stateDict());
    Normalize fold = o.foldNormalize() ? spec.normalize() : null;
    NDManager base = model.stateDict().values().iterator().next().getArray().getManager();
    long[] outShape;
    try (NDManager m = base.newSubManager()) {
      NDArray x = m.randomUniform(0f, 1f, shape);
      g.bind(x, fold == null ? IMAGE : ShapeOps.normalize(g, fold, IMAGE));
      GraphTracer tracer = new GraphTracer(g, o.dynamicSize(), model.config().arch());
      NDArray y = ForwardScope.trace(tracer, () -> model.forward(x, false));
      String logits = g.nameOf(y);
      if (logits == null) {
        throw new IllegalStateException(
            "export: " + model.config().arch() + "'s output was not made by a traced step");
      }
      g.nodeTo(LOGITS, "Identity", List.of(logits));
      outShape = y.getShape().getShape();
    }
    boolean dyn = o.dynamicSize();
    g.input(IMAGE, "N", (long) c, dim(dyn, "H", o.height()), dim(dyn, "W", o.width()));
    g.output(
        LOGITS,
        "N",
        outShape[1],
        dim(dyn, outShape[2] == o.height() ? "H" : "H_out", outShape[2]),
        dim(dyn, outShape[3] == o.width() ? "W" : "W_out", outShape[3]));
    int opset = opset(g, o.opset());
    byte[] bytes = g.model(opset, Provenance.VERSION, metadata(model, spec, fold)).toByteArray();
    return new Built(bytes, new Result(opset, outShape));
  }

  private static Object dim(boolean symbolic, String name, long size) {
    return symbolic ? name : (Object) size;
  }

  private static int opset(OnnxGraph g, int asked) {
    int need = g.requiredOpset();
    if (asked == 0) {
      return need;
    }
    if (asked > MAX_OPSET) {
      throw new IllegalArgumentException(
          "opset="
              + asked
              + " is above "
              + MAX_OPSET
              + ", the highest seg4j writes: use "
              + need
              + " to "
              + MAX_OPSET);
    }
    String missing = g.opMissingFrom(asked);
    if (missing != null) {
      throw new IllegalArgumentException(
          "opset="
              + asked
              + " is too low: the graph uses "
              + missing
              + ", which needs opset "
              + OnnxGraph.since(missing)
              + ": use opset="
              + need
              + " or higher (or leave it out)");
    }
    return asked;
  }

  private static Map<String, String> metadata(SegModel model, InferenceSpec spec, Normalize fold) {
    Map<String, String> md = new LinkedHashMap<>();
    InferenceSpec outside =
        fold == null
            ? spec
            : new InferenceSpec(spec.classNames(), null, spec.resize(), spec.threshold());
    md.putAll(outside.toMetadata());
    Normalize n = spec.normalize();
    md.put(
        "normalize",
        n == null
            ? "none"
            : "mean=" + Arrays.toString(n.mean()) + " std=" + Arrays.toString(n.std()));
    md.put(FOLDED_KEY, String.valueOf(fold != null));
    md.put(ARCH_KEY, model.config().arch());
    md.put(SIDE_MULTIPLE_KEY, String.valueOf(model.sideMultiple()));
    md.put(MIN_SIDE_KEY, String.valueOf(model.minSide()));
    md.put(VERSION_KEY, Provenance.VERSION);
    return md;
  }
}
