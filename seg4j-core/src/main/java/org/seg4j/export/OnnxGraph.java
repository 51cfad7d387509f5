package org.seg4j.export;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.StringStringEntryProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;

/**
 * An ONNX graph under construction: nodes in topological order, initializers (the model's tensors
 * under their state_dict names, and constants), the value name of each traced tensor, and the
 * lowest opset its ops need. {@link #model} builds it as {@code onnx.proto}'s {@code ModelProto}
 * (the classes protoc generates from ONNX's own {@code onnx.proto}).
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

  private final Map<NDArray, String> values = new IdentityHashMap<>();
  private final Map<Parameter, String> parameterNames = new IdentityHashMap<>();
  private final Map<String, Integer> used = new HashMap<>();
  private final List<NodeProto> nodes = new ArrayList<>();
  private final List<TensorProto> initializers = new ArrayList<>();
  private final Map<Parameter, String> stored = new IdentityHashMap<>();
  private final List<ValueInfoProto> inputs = new ArrayList<>();
  private final List<ValueInfoProto> outputs = new ArrayList<>();
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
    NodeProto.Builder n =
        NodeProto.newBuilder().addAllInput(in).addOutput(out).setName(out).setOpType(op);
    for (Attr a : attrs) {
      n.addAttribute(a.proto());
    }
    nodes.add(n.build());
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
    return initializer(hint, TensorProto.DataType.FLOAT, b.array(), dims);
  }

  /** An int64 constant initializer of rank 1. */
  String longs(String hint, long... v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(v);
    return initializer(hint, TensorProto.DataType.INT64, b.array(), v.length);
  }

  private String initializer(String hint, TensorProto.DataType type, byte[] raw, long... dims) {
    String name = fresh(hint);
    TensorProto.Builder t = TensorProto.newBuilder().setDataType(type.getNumber()).setName(name);
    for (long d : dims) {
      t.addDims(d);
    }
    initializers.add(t.setRawData(ByteString.copyFrom(raw)).build());
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

  private static ValueInfoProto valueInfo(String name, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
      shape.addDim(d instanceof String s ? dim.setDimParam(s) : dim.setDimValue((Long) d));
    }
    TypeProto.Tensor tensor =
        TypeProto.Tensor.newBuilder()
            .setElemType(TensorProto.DataType.FLOAT.getNumber())
            .setShape(shape)
            .build();
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(TypeProto.newBuilder().setTensorType(tensor))
        .build();
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
  ModelProto model(int opset, String producerVersion, Map<String, String> metadata) {
    GraphProto graph =
        GraphProto.newBuilder()
            .addAllNode(nodes)
            .setName("seg4j")
            .addAllInitializer(initializers)
            .addAllInput(inputs)
            .addAllOutput(outputs)
            .build();
    ModelProto.Builder model =
        ModelProto.newBuilder()
            .setIrVersion(irVersion(opset))
            .setProducerName("seg4j")
            .setProducerVersion(producerVersion)
            .setGraph(graph)
            .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset));
    metadata.forEach(
        (k, v) ->
            model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return model.build();
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
