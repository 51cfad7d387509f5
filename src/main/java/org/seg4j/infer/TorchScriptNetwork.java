package org.seg4j.infer;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A PyTorch-exported TorchScript module ({@code torch.jit.trace/script(...).save("model.pt")}) as a
 * {@link Network}, so a Python-trained model runs through seg4j's tiling, TTA and outputs. The
 * module must map {@code (N, C, H, W)} to logits {@code (N, K, H, W)}.
 */
public final class TorchScriptNetwork implements Network, AutoCloseable {
  private final Model model;
  private final ParameterStore store;
  private final int classes;
  private final int inChannels;
  private final int sideMultiple;

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
  }

  @Override
  public NDArray logits(NDArray batch) {
    NDArray out = model.getBlock().forward(store, new NDList(batch), false).get(0);
    if (out.getShape().dimension() != 4 || out.getShape().get(1) != classes) {
      throw new IllegalArgumentException(
          "the TorchScript model returned "
              + out.getShape()
              + " but --classes "
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
    return side >= sideMultiple && side % sideMultiple == 0;
  }

  @Override
  public void close() {
    model.close();
  }
}
