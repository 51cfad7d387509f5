package org.seg4j.nn;

import ai.djl.ndarray.NDArray;

/**
 * Hears every step of the forward passes run while it is attached ({@link ForwardScope#trace}):
 * which block or op made which tensor from which tensors, by tensor identity. A block's own steps
 * are heard before the block's step itself. An exporter uses it to turn one forward pass into a
 * graph.
 */
public interface ForwardTracer {
  /** The ops a scope reports besides blocks. */
  enum Op {
    /** {@code torch.cat(inputs, 1)}. */
    CAT,
    /** {@code inputs[0] + inputs[1]}. */
    ADD,
    /** {@code cat([centreCrop(inputs[0], inputs[1]), inputs[1]], 1)}, see {@link CropConcat}. */
    CROP_CAT
  }

  /** {@code block} made {@code out} from {@code in}; {@code out} may be {@code in} itself. */
  void block(TorchBlock block, NDArray in, NDArray out);

  /** {@code op} made {@code out} from {@code in}. */
  void op(Op op, NDArray out, NDArray... in);
}
