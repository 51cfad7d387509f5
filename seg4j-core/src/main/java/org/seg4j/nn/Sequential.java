package org.seg4j.nn;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/** PyTorch's {@code nn.Sequential}: children named "0", "1", ... applied in order. */
public final class Sequential extends TorchBlock {
  private final List<TorchBlock> layers = new ArrayList<>();

  /** An empty sequence; add layers with {@link #add}. */
  public Sequential() {}

  /** A sequence of the given layers. */
  public Sequential(TorchBlock... blocks) {
    for (TorchBlock b : blocks) {
      add(b);
    }
  }

  /** Appends a layer under the next index name. */
  public Sequential add(TorchBlock block) {
    layers.add(child(Integer.toString(layers.size()), block));
    return this;
  }

  /** The layer at index {@code i}. */
  public TorchBlock get(int i) {
    return layers.get(i);
  }

  /** The number of layers. */
  public int size() {
    return layers.size();
  }

  @Override
  public NDArray forward(NDArray x, boolean training) {
    return chain(layers, x, training);
  }
}
