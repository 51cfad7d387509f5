package org.seg4j.infer;

import ai.djl.ndarray.NDArray;
import org.seg4j.model.SegModel;

/**
 * What inference needs from a network: logits for an NCHW batch, the class count and the input
 * sides it accepts. Implemented for seg4j models and for TorchScript modules exported by PyTorch.
 */
public interface Network {
  /** Logits {@code (N, K, H', W')} in eval mode. */
  NDArray logits(NDArray batch);

  /** Output channels K (1 means a sigmoid binary head). */
  int classes();

  /** Input channels. */
  int inChannels();

  /** Input sides must be acceptable by this test. */
  boolean acceptsSide(int side);

  /** The smallest acceptable side at least {@code side}. */
  default int sideAtLeast(int side) {
    int s = Math.max(1, side);
    while (!acceptsSide(s)) {
      s++;
    }
    return s;
  }

  /** The output side for an input side (smaller for valid-convolution models). */
  default int outputSide(int inputSide) {
    return inputSide;
  }

  /** A seg4j model as a network. */
  static Network of(SegModel model) {
    return new Network() {
      @Override
      public NDArray logits(NDArray batch) {
        model.checkInput(batch.getShape());
        return model.forward(batch, false);
      }

      @Override
      public int classes() {
        return model.config().classes();
      }

      @Override
      public int inChannels() {
        return model.config().inChannels();
      }

      @Override
      public boolean acceptsSide(int side) {
        return model.acceptsSide(side);
      }

      @Override
      public int outputSide(int inputSide) {
        return model.outputSide(inputSide);
      }
    };
  }
}
