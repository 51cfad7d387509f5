package org.seg4j.export;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An ONNX graph under construction: nodes in topological order, initializers (the model's tensors
 * under their state_dict names, and constants), the value name of each traced tensor, and the
 * lowest opset its ops need. {@link #model} serialises it as {@code onnx.proto}'s {@code
 * ModelProto}.
 */
final class OnnxGraph {
  /** The lowest {@code ai.onnx} opset with each op as it is emitted here. */
  private static final Map<String, Integer> SINCE =
      Map.ofEntries(
          Map.entry("Conv", 1),
          Map.entry("ConvTranspose", 1),
          Map.entry("Identity", 1),
          Map.entry("Concat", 4),
          Map.entry("LeakyRelu", 6),
          Map.entry("Relu", 6),
          Map.entry("Add", 7),
          Map.entry("Sub", 7),
          Map.entry("Div", 7),
          Map.entry("BatchNormalization", 9),
          Map.entry("MaxPool", 10), // ceil_mode
          Map.entry("Slice", 10), // starts and ends as inputs
          Map.entry("Pad", 11), // pads as an input, mode reflect
          Map.entry("Resize", 13)); // roi may be left out

  /** The float element type of {@code TensorProto.DataType}. */
  static final int FLOAT = 1;

  /** The int64 element type of {@code TensorProto.DataType}. */
  static final int INT64 = 7;

  private final Map<NDArray, String> values = new IdentityHashMap<>();
  private final Map<Parameter, String> parameterNames = new IdentityHashMap<>();
  private final Map<String, Integer> used = new HashMap<>();
  private final List<Proto> nodes = new ArrayList<>();
  private final List<Proto> initializers = new ArrayList<>();
  private final Map<Parameter, String> stored = new IdentityHashMap<>();
  private final List<Proto> inputs = new ArrayList<>();
  private final List<Proto> outputs = new ArrayList<>();
  private final Map<String, String> opsUsed = new LinkedHashMap<>();

  /** A graph whose model tensors are named by {@code stateDict} (dotted PyTorch names). */
  OnnxGraph(Map<String, Parameter> stateDict) {
    stateDict.forEach((name, p) -> parameterNames.put(p, name));
  }

  /** The value name of a traced tensor, or null when the graph has not made it. */
  String nameOf(NDArray t) {
    return values.get(t);
  }

  /** Binds a traced tensor to a value name. */
  void bind(NDArray t, String name) {
    values.put(t, name);
  }

  /** A value name not used yet, from {@code hint}. */
  String fresh(String hint) {
    int n = used.merge(hint, 1, Integer::sum);
    return n == 1 ? hint : hint + "_" + (n - 1);
  }

  /** Appends a node with one output; returns the output's name. */
  String node(String op, List<String> in, Attr... attrs) {
    return nodeTo(fresh(op.toLowerCase(Locale.ROOT)), op, in, attrs);
  }

  /** Appends a node whose one output is named {@code out}; returns {@code out}. */
  String nodeTo(String out, String op, List<String> in, Attr... attrs) {
    Proto p = new Proto();
    in.forEach(i -> p.string(1, i));
    p.string(2, out).string(3, out).string(4, op);
    for (Attr a : attrs) {
      p.message(5, a.proto());
    }
    nodes.add(p);
    opsUsed.putIfAbsent(op, op);
    return out;
  }

  /** The initializer of a model tensor, stored once under its state_dict name. */
  String weight(Parameter p) {
    return stored.computeIfAbsent(
        p,
        k -> {
          NDArray a = k.getArray();
          return floats(
              parameterNames.getOrDefault(k, "param"), a.toFloatArray(), a.getShape().getShape());
        });
  }

  /** A float constant initializer. */
  String floats(String hint, float[] v, long... dims) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return initializer(hint, FLOAT, b.array(), dims);
  }

  /** An int64 constant initializer of rank 1. */
  String longs(String hint, long... v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(v);
    return initializer(hint, INT64, b.array(), v.length);
  }

  private String initializer(String hint, int type, byte[] raw, long... dims) {
    String name = fresh(hint);
    // TensorProto: dims 1, data_type 2, name 8, raw_data 9
    initializers.add(new Proto().packed(1, dims).varint(2, type).string(8, name).bytes(9, raw));
    return name;
  }

  /** Declares a float graph input; each dim is a Long size or a String symbol. */
  void input(String name, Object... dims) {
    inputs.add(valueInfo(name, dims));
  }

  /** Declares a float graph output; each dim is a Long size or a String symbol. */
  void output(String name, Object... dims) {
    outputs.add(valueInfo(name, dims));
  }

  private static Proto valueInfo(String name, Object... dims) {
    Proto shape = new Proto();
    for (Object d : dims) {
      // TensorShapeProto.dim 1; Dimension: dim_value 1, dim_param 2
      shape.message(
          1, d instanceof String s ? new Proto().string(2, s) : new Proto().varint(1, (Long) d));
    }
    // TypeProto.tensor_type 1; Tensor: elem_type 1, shape 2; ValueInfoProto: name 1, type 2
    Proto tensor = new Proto().varint(1, FLOAT).message(2, shape);
    return new Proto().string(1, name).message(2, new Proto().message(1, tensor));
  }

  /** The lowest opset that has every op of the graph. */
  int requiredOpset() {
    return opsUsed.keySet().stream().mapToInt(SINCE::get).max().orElse(1);
  }

  /** An op of the graph that {@code opset} lacks, or null when it has them all. */
  String opMissingFrom(int opset) {
    return opsUsed.keySet().stream().filter(op -> SINCE.get(op) > opset).findFirst().orElse(null);
  }

  /** The opset {@code op} needs. */
  static int since(String op) {
    return SINCE.get(op);
  }

  /** The ModelProto of this graph for {@code opset}, with string metadata. */
  Proto model(int opset, String producerVersion, Map<String, String> metadata) {
    Proto graph = new Proto();
    nodes.forEach(n -> graph.message(1, n));
    graph.string(2, "seg4j");
    initializers.forEach(t -> graph.message(5, t));
    inputs.forEach(i -> graph.message(11, i));
    outputs.forEach(o -> graph.message(12, o));
    Proto model =
        new Proto()
            .varint(1, irVersion(opset))
            .string(2, "seg4j")
            .string(3, producerVersion)
            .message(7, graph)
            .message(8, new Proto().string(1, "").varint(2, opset));
    metadata.forEach((k, v) -> model.message(14, new Proto().string(1, k).string(2, v)));
    return model;
  }

  /** The IR version that came with an opset (ONNX's versioning table). */
  private static int irVersion(int opset) {
    if (opset <= 9) {
      return 4;
    } else if (opset == 10) {
      return 5;
    } else if (opset == 11) {
      return 6;
    } else if (opset <= 14) {
      return 7;
    } else if (opset <= 18) {
      return 8;
    } else if (opset <= 20) {
      return 9;
    }
    return 10;
  }
}
