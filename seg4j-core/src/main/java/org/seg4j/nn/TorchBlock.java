package org.seg4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A DJL block that behaves like a PyTorch {@code nn.Module}: parameter shapes are known when it is
 * built (no deferred shape inference), children and tensors carry PyTorch names, and {@link
 * #stateDict()} yields the same keys as {@code module.state_dict()}, so weights move both ways.
 */
public abstract class TorchBlock extends AbstractBlock {
  private final Map<String, Block> torchChildren = new LinkedHashMap<>();
  private final Map<String, Parameter> torchTensors = new LinkedHashMap<>();

  /** Runs the block on one tensor; {@code training} switches batch norm and dropout. */
  public abstract NDArray forward(NDArray x, boolean training);

  /**
   * Runs the block on a list of inputs and returns all outputs. The default feeds the single input
   * to {@link #forward(NDArray, boolean)}; multi-head models override it.
   */
  public NDList forwardAll(NDList inputs, boolean training) {
    return new NDList(forward(inputs.singletonOrThrow(), training));
  }

  @Override
  protected final NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    return forwardAll(inputs, training);
  }

  /**
   * Runs {@code layers} in order in a {@link ForwardScope}: each intermediate result is closed as
   * soon as the next layer has consumed it (never the input).
   */
  protected static NDArray chain(
      Iterable<? extends TorchBlock> layers, NDArray x, boolean training) {
    try (ForwardScope s = new ForwardScope(training)) {
      for (TorchBlock b : layers) {
        x = s.run(b, x);
      }
      return s.out(x);
    }
  }

  /** Closes {@code used} unless it is {@code keep} or the same array as {@code result}. */
  protected static void release(NDArray used, NDArray keep, NDArray result) {
    if (used != keep && used != result) {
      used.close();
    }
  }

  /** Registers a child under its PyTorch attribute name (e.g. {@code "0"}, {@code "conv1"}). */
  protected final <B extends Block> B child(String torchName, B block) {
    if (torchChildren.containsKey(torchName)) {
      throw new IllegalStateException("duplicate child name " + torchName);
    }
    torchChildren.put(torchName, block);
    return addChildBlock(torchName, block);
  }

  /** Registers a trainable tensor with a PyTorch name and an initialiser. */
  protected final Parameter weight(String torchName, Shape shape, Initializer init) {
    Parameter.Type type = torchName.equals("bias") ? Parameter.Type.BIAS : Parameter.Type.WEIGHT;
    return tensor(torchName, type, shape, init, true);
  }

  /** Registers a non-trainable buffer (running statistics) with a PyTorch name. */
  protected final Parameter buffer(String torchName, Shape shape, Initializer init) {
    Parameter.Type type =
        torchName.contains("var") ? Parameter.Type.RUNNING_VAR : Parameter.Type.RUNNING_MEAN;
    return tensor(torchName, type, shape, init, false);
  }

  private Parameter tensor(
      String torchName, Parameter.Type type, Shape shape, Initializer init, boolean trainable) {
    Parameter p =
        Parameter.builder()
            .setName(torchName)
            .setType(type)
            .optShape(shape)
            .optInitializer(init)
            .optRequiresGrad(trainable)
            .build();
    torchTensors.put(torchName, p);
    return addParameter(p);
  }

  /** The children by PyTorch name, in registration order. */
  public Map<String, Block> torchChildren() {
    return Collections.unmodifiableMap(torchChildren);
  }

  /** Every tensor of this block and its descendants, keyed like PyTorch's state_dict. */
  public Map<String, Parameter> stateDict() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    collect("", out);
    return out;
  }

  private void collect(String prefix, Map<String, Parameter> out) {
    for (Map.Entry<String, Parameter> e : torchTensors.entrySet()) {
      out.put(prefix + e.getKey(), e.getValue());
    }
    for (Map.Entry<String, Block> e : torchChildren.entrySet()) {
      if (e.getValue() instanceof TorchBlock) {
        ((TorchBlock) e.getValue()).collect(prefix + e.getKey() + ".", out);
      } else if (!e.getValue().getParameters().isEmpty()) {
        throw new IllegalStateException(
            "child " + prefix + e.getKey() + " is not a TorchBlock and has parameters");
      }
    }
  }

  /** Extra non-parameter entries of PyTorch's state_dict (e.g. num_batches_tracked). */
  public Map<String, Long> extraState() {
    Map<String, Long> out = new LinkedHashMap<>();
    collectExtra("", out);
    return out;
  }

  /** Adds this block's own extra state entries; overridden by batch norm. */
  protected void ownExtraState(String prefix, Map<String, Long> out) {}

  /** Sets an extra-state entry read from a weights file; ignored by default. */
  protected void setOwnExtraState(String name, long value) {}

  private void collectExtra(String prefix, Map<String, Long> out) {
    ownExtraState(prefix, out);
    for (Map.Entry<String, Block> e : torchChildren.entrySet()) {
      if (e.getValue() instanceof TorchBlock) {
        ((TorchBlock) e.getValue()).collectExtra(prefix + e.getKey() + ".", out);
      }
    }
  }

  /**
   * Sets an extra-state entry by its full dotted name; returns false when no block owns the name.
   */
  public boolean setExtraState(String dottedName, long value) {
    int dot = dottedName.indexOf('.');
    if (dot < 0) {
      Map<String, Long> mine = new LinkedHashMap<>();
      ownExtraState("", mine);
      if (mine.containsKey(dottedName)) {
        setOwnExtraState(dottedName, value);
        return true;
      }
      return false;
    }
    Block c = torchChildren.get(dottedName.substring(0, dot));
    return c instanceof TorchBlock
        && ((TorchBlock) c).setExtraState(dottedName.substring(dot + 1), value);
  }

  /** Initialises every tensor eagerly; the input shape is only recorded. */
  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (Block c : torchChildren.values()) {
      c.initialize(manager, dataType, inputShapes);
    }
  }

  /** Initialises the block for inputs shaped like {@code (1, channels, size, size)}. */
  public void init(NDManager manager, int channels, int size) {
    initialize(manager, DataType.FLOAT32, new Shape(1, channels, size, size));
  }

  /** Computes output shapes by a dry run on zeros in a scratch manager. */
  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    NDManager base = stateDict().values().iterator().next().getArray().getManager();
    try (NDManager m = base.newSubManager()) {
      NDList in = new NDList();
      for (Shape s : inputShapes) {
        in.add(m.zeros(s));
      }
      NDList out = forwardAll(in, false);
      Shape[] shapes = new Shape[out.size()];
      for (int i = 0; i < shapes.length; i++) {
        shapes[i] = out.get(i).getShape();
      }
      return shapes;
    }
  }

  /** Total number of trainable scalars, like {@code sum(p.numel() for p in parameters())}. */
  public long parameterCount() {
    long n = 0;
    for (Parameter p : stateDict().values()) {
      if (p.requiresGradient()) {
        n += p.getShape().size();
      }
    }
    return n;
  }
}
