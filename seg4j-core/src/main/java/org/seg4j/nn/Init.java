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

  /**
   * FCN's up-sampling kernel for a {@code (in, out, k, k)} transposed-conv weight: the bilinear
   * filter {@code (1 − |i − c|/f)(1 − |j − c|/f)} with {@code f = ⌈k/2⌉} on the channel diagonal
   * ({@code in = out}), zeros elsewhere, as wkentaro/pytorch-fcn's get_upsampling_weight.
   */
  public static Initializer bilinear() {
    return (NDManager manager, Shape shape, DataType dataType) -> {
      int in = (int) shape.get(0);
      int out = (int) shape.get(1);
      int k = (int) shape.get(2);
      int factor = (k + 1) / 2;
      double center = k % 2 == 1 ? factor - 1 : factor - 0.5;
      float[] w = new float[in * out * k * k];
      for (int c = 0; c < Math.min(in, out); c++) {
        int offset = (c * out + c) * k * k;
        for (int i = 0; i < k; i++) {
          for (int j = 0; j < k; j++) {
            double v = (1 - Math.abs(i - center) / factor) * (1 - Math.abs(j - center) / factor);
            w[offset + i * k + j] = (float) v;
          }
        }
      }
      return manager.create(w, shape).toType(dataType, false);
    };
  }
}
