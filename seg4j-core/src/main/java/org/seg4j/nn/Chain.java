package org.seg4j.nn;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * A module whose forward is a straight chain of named children, e.g. 4uiiurz1's {@code VGGBlock}
 * ({@code conv1, bn1, relu, conv2, bn2, relu}) or ZJUGiveLab's {@code unetConv2} ({@code conv1,
 * conv2}): like {@link Sequential}, but children keep their PyTorch attribute names.
 */
public final class Chain extends TorchBlock {
  private final List<TorchBlock> layers = new ArrayList<>();

  /** Appends a child under its PyTorch attribute name; returns this chain. */
  public Chain add(String torchName, TorchBlock block) {
    layers.add(child(torchName, block));
    return this;
  }

  @Override
  public NDArray forward(NDArray x, boolean training) {
    return chain(layers, x, training);
  }
}
