package org.seg4j.nn;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * PyTorch's {@code nn.ModuleList}: children named "0", "1", ... that the owner calls one by one; it
 * has no forward of its own.
 */
public final class ModuleList<B extends TorchBlock> extends TorchBlock {
  private final List<B> items = new ArrayList<>();

  /** Appends a module under the next index name. */
  public ModuleList<B> add(B block) {
    items.add(child(Integer.toString(items.size()), block));
    return this;
  }

  /** The module at index {@code i}. */
  public B get(int i) {
    return items.get(i);
  }

  /** The number of modules. */
  public int size() {
    return items.size();
  }

  /** Always fails: the owner calls the items itself. */
  @Override
  public NDArray forward(NDArray x, boolean training) {
    throw new UnsupportedOperationException("a ModuleList has no forward; call its items");
  }
}
