package org.seg4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;

/**
 * PyTorch's default initialisers, so the same recipe starts from the same distribution as the peer:
 * conv weights kaiming-uniform(a=√5), i.e. U(±1/√fan_in), biases U(±1/√fan_in), batch norm ones and
 * zeros.
 */
public final class Init {
  private Init() {}

  /** U(−1/√fanIn, 1/√fanIn), the bound PyTorch uses for both conv weights and biases. */
  public static Initializer fanInUniform(long fanIn) {
    double bound = 1.0 / Math.sqrt(Math.max(1, fanIn));
    return (NDManager manager, Shape shape, DataType dataType) ->
        manager.randomUniform((float) -bound, (float) bound, shape, dataType);
  }

  /** A constant fill. */
  public static Initializer constant(float value) {
    return new ConstantInitializer(value);
  }

  /** Kaiming-normal (fan_out, ReLU) as used by smp/torchvision for conv layers. */
  public static Initializer kaimingNormalFanOut(long fanOut) {
    double std = Math.sqrt(2.0 / Math.max(1, fanOut));
    return (NDManager manager, Shape shape, DataType dataType) -> {
      NDArray a = manager.randomNormal(0f, (float) std, shape, dataType);
      return a;
    };
  }
}
