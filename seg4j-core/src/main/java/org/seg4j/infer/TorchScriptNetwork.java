package org.seg4j.infer;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A PyTorch-exported TorchScript module ({@code torch.jit.trace/script(...).save("model.pt")}) as a
 * {@link Network}, so a Python-trained model runs through seg4j's tiling, TTA and outputs. The
 * module maps {@code (N, C, H, W)} to logits {@code (N, K, H', W')}: the same size, or smaller for
 * a valid-convolution U-Net, whose shrink and accepted sides are learnt from a few probe passes on
 * first use, so tiling adds the mirrored context the paper's overlap-tile strategy needs.
 */
final class TorchScriptNetwork implements Network, AutoCloseable {
  private final Model model;
  private final ParameterStore store;
  private final int classes;
  private final int inChannels;
  private final int sideMultiple;
  private final NDManager manager;
  private int firstSide = -1;
  private int shrink;

  /** Loads {@code file} on {@code manager}'s device. */
  public TorchScriptNetwork(
      Path file, NDManager manager, int classes, int inChannels, int sideMultiple)
      throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + " does not exist: give the TorchScript file (model.pt)");
    }
    this.model = Model.newInstance("torchscript", manager.getDevice(), "PyTorch");
    try {
      String name = file.getFileName().toString();
      model.load(
          file.toAbsolutePath().getParent(),
          name.endsWith(".pt") ? name.substring(0, name.length() - 3) : name);
    } catch (MalformedModelException | RuntimeException e) {
      model.close();
      throw new IOException(
          file
              + " is not a TorchScript module ("
              + e.getMessage()
              + "): export it with torch.jit.trace(model.eval(), x).save(path)",
          e);
    }
    this.store = new ParameterStore(manager, false);
    this.classes = classes;
    this.inChannels = inChannels;
    this.sideMultiple = sideMultiple;
    this.manager = manager;
  }

  @Override
  public NDArray logits(NDArray batch) {
    NDArray out = model.getBlock().forward(store, new NDList(batch), false).get(0);
    if (out.getShape().dimension() != 4 || out.getShape().get(1) != classes) {
      throw new IllegalArgumentException(
          "the TorchScript model returned "
              + out.getShape()
              + " but model.classes="
              + classes
              + " expects (N, "
              + classes
              + ", H, W): pass the model's class count");
    }
    return out;
  }

  @Override
  public int classes() {
    return classes;
  }

  @Override
  public int inChannels() {
    return inChannels;
  }

  @Override
  public boolean acceptsSide(int side) {
    learnSides();
    return side >= firstSide && (side - firstSide) % sideMultiple == 0;
  }

  @Override
  public int outputSide(int inputSide) {
    learnSides();
    return inputSide - shrink;
  }

  /**
   * Finds the first accepted side and the shrink (input − output side) by probing zero images: a
   * same-size model answers at the first multiple of {@code sideMultiple}; a valid-convolution one
   * at the first side of the right residue where every map stays positive.
   */
  private synchronized void learnSides() {
    if (firstSide > 0) {
      return;
    }
    int start = Math.max(1, (64 + sideMultiple - 1) / sideMultiple) * sideMultiple;
    for (int base = start; base <= 1024; base += 4 * sideMultiple) {
      for (int r = 0; r < sideMultiple; r++) {
        int out = probe(base + r);
        if (out > 0) {
          shrink = base + r - out;
          firstSide = shrink == 0 && r == 0 ? sideMultiple : base + r;
          return;
        }
      }
    }
    throw new IllegalArgumentException(
        "the TorchScript model accepted no square input from "
            + start
            + " to 1024 pixels with side_multiple="
            + sideMultiple
            + ": check in_channels=N and side_multiple=N");
  }

  /** The output side for a square zero input, or −1 when the model refuses that side. */
  private int probe(int side) {
    try (NDManager m = manager.newSubManager()) {
      NDArray out = logits(m.zeros(new Shape(1, inChannels, side, side)));
      long h = out.getShape().get(2);
      return out.getShape().get(3) == h && h > 0 ? (int) h : -1;
    } catch (EngineException e) {
      return -1; // the module refused this side (a map became empty or shapes did not meet)
    }
  }

  @Override
  public void close() {
    model.close();
  }
}
