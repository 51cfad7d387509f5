package org.seg4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.seg4j.nn.TorchBlock;

/**
 * A segmentation network: a {@link TorchBlock} mapping {@code (N, inChannels, H, W)} images to
 * {@code (N, classes, H', W')} logits, that knows its config and checks its input with errors that
 * name the constraint and the nearest valid value.
 */
public abstract class SegModel extends TorchBlock {
  private final ModelConfig config;

  /** Stores the config. */
  protected SegModel(ModelConfig config) {
    this.config = config;
  }

  /** The config it was built from. */
  public ModelConfig config() {
    return config;
  }

  /** Input sides must be multiples of this (e.g. 16 for a U-Net with four poolings). */
  public abstract int sideMultiple();

  /** The logits' side for an input side; the identity for padded models. */
  public int outputSide(int inputSide) {
    return inputSide;
  }

  /** The smallest input side the model accepts. */
  public int minSide() {
    return sideMultiple();
  }

  /** Whether an input side is acceptable. */
  public boolean acceptsSide(int side) {
    return side >= minSide() && side % sideMultiple() == 0;
  }

  /** The acceptable side nearest to {@code side} (ties go up). */
  public int nearestSide(int side) {
    int lower = side;
    int upper = side;
    while (true) {
      if (acceptsSide(upper)) {
        return upper;
      }
      if (lower > 0 && acceptsSide(lower)) {
        return lower;
      }
      upper++;
      lower--;
    }
  }

  /** The input-side constraint in words, for error messages; override with {@link #acceptsSide}. */
  protected String sideRule() {
    return "image sides that are multiples of "
        + sideMultiple()
        + (minSide() > sideMultiple() ? " and at least " + minSide() : "");
  }

  /** Checks an NCHW input shape, failing with the constraint and the nearest valid value. */
  public void checkInput(Shape shape) {
    if (shape.dimension() != 4) {
      throw new IllegalArgumentException(
          config.arch() + " takes (N, C, H, W) input, got " + shape + ": add a batch axis");
    }
    long c = shape.get(1);
    if (c != config.inChannels()) {
      throw new IllegalArgumentException(
          config.arch()
              + " was built for "
              + config.inChannels()
              + " input channel(s) but the input has "
              + c
              + ": use in_channels="
              + c
              + " or convert the images to "
              + (config.inChannels() == 1 ? "grey" : config.inChannels() + " channels"));
    }
    for (int axis = 2; axis < 4; axis++) {
      int side = (int) shape.get(axis);
      if (!acceptsSide(side)) {
        throw new IllegalArgumentException(
            config.arch()
                + " needs "
                + sideRule()
                + ", but the "
                + (axis == 2 ? "height" : "width")
                + " is "
                + side
                + ": the nearest valid side is "
                + nearestSide(side)
                + " (resize or crop to it, or use sliding-window inference)");
      }
    }
  }

  /** Checks the input shape, then runs the network. */
  public NDArray predictLogits(NDArray x) {
    checkInput(x.getShape());
    return forward(x, false);
  }
}
