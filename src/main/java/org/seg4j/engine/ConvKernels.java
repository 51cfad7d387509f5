package org.seg4j.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Checks, once per process, that libtorch's convolution computes correct input gradients on this
 * CPU, and routes around it when it does not.
 *
 * <p>Why: on some AVX2/AVX-512 machines, libtorch's oneDNN convolution run through DJL gives wrong,
 * sometimes run-to-run different {@code dL/dx} for 3×3 convolutions, while the forward pass and the
 * weight gradients are right. Seen on a 2-core AMD EPYC VM with libtorch 2.7.1 (oneDNN 3.7.1) and
 * 2.5.1 (oneDNN 3.5.3): errors of order 10, where PyTorch 2.13 in Python on the same machine, with
 * the same oneDNN kernel, is exact. A network trained on such gradients still learns something,
 * which is exactly the silent wrong result seg4j must not give.
 *
 * <p>The check compares the gradient of a small convolution with the same gradient computed by a
 * forward convolution (the transposed kernel), which is exact on every machine seen. When they
 * differ, libtorch's oneDNN path is switched off ({@code at::globalContext().setUserEnabledMkldnn
 * (false)}), the check runs again, and {@code seg4j info} says so. {@code -Dseg4j.mkldnn=on|off}
 * overrides the check.
 */
public final class ConvKernels {
  private static final String SYMBOL_CONTEXT = "_ZN2at13globalContextEv";
  private static final String SYMBOL_SET = "_ZN2at7Context20setUserEnabledMkldnnEb";
  private static final String SYMBOL_NNPACK = "_ZN2at7Context20setUserEnabledNNPACKEb";

  private static String status;
  private static boolean routedAround;
  private static int inferenceUsers;

  private ConvKernels() {}

  /** Runs the check once (the engine must be loadable); later calls return the first outcome. */
  public static synchronized String ensureCorrect() {
    if (status == null) {
      status = decide(System.getProperty("seg4j.mkldnn", "auto").trim().toLowerCase(Locale.ROOT));
    }
    return status;
  }

  /** What {@link #ensureCorrect()} found and did, for {@code seg4j info}. */
  public static synchronized String status() {
    return status == null ? "not checked yet" : status;
  }

  private static String decide(String mode) {
    switch (mode) {
      case "on":
        return "oneDNN on (-Dseg4j.mkldnn=on, not checked)";
      case "off":
        return disable() ? "oneDNN off (-Dseg4j.mkldnn=off)" : "oneDNN could not be switched off";
      default:
        double err = gradientError();
        if (err <= 1e-3) {
          return "oneDNN on (conv gradients checked)";
        }
        if (!disable()) {
          throw new IllegalStateException(
              String.format(
                  Locale.ROOT,
                  "libtorch computes wrong convolution gradients on this CPU (error %.3g) and its"
                      + " oneDNN path could not be switched off; training here would be wrong."
                      + " Run on another machine, or set DNNL_MAX_CPU_ISA=AVX before starting.",
                  err));
        }
        double after = gradientError();
        if (after > 1e-3) {
          throw new IllegalStateException(
              String.format(
                  Locale.ROOT,
                  "libtorch computes wrong convolution gradients on this CPU (error %.3g, still"
                      + " %.3g without oneDNN); training here would be wrong. Run on another"
                      + " machine, or set DNNL_MAX_CPU_ISA=AVX before starting.",
                  err,
                  after));
        }
        routedAround = true;
        return String.format(
            Locale.ROOT,
            "oneDNN off for training: its conv gradients were wrong on this CPU (error %.3g), libtorch's own"
                + " kernels are exact (error %.1g); inference still uses oneDNN",
            err,
            after);
    }
  }

  /** The worst relative error of conv input gradients over a few small shapes. */
  static double gradientError() {
    double worst = 0;
    try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
      m.getEngine().setRandomSeed(12345);
      int[][] shapes = {{32, 16}, {3, 7}, {16, 16}, {64, 8}};
      for (int repeat = 0; repeat < 2; repeat++) {
        for (int[] s : shapes) {
          worst = Math.max(worst, gradientError(m, s[0], s[1]));
        }
      }
    }
    return worst;
  }

  private static double gradientError(NDManager base, int channels, int side) {
    try (NDManager m = base.newSubManager()) {
      Shape one = new Shape(1, 1);
      NDArray w = m.randomNormal(new Shape(4, channels, 3, 3));
      NDArray x = m.randomNormal(new Shape(2, channels, side, side));
      NDArray g = m.randomNormal(new Shape(2, 4, side, side));
      x.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray y = Conv2d.conv2d(x, w, null, one, one, one, 1).singletonOrThrow();
        gc.backward(y.mul(g).sum());
      }
      NDArray flipped = w.flip(2, 3).transpose(1, 0, 2, 3);
      NDArray ref = Conv2d.conv2d(g, flipped, null, one, one, one, 1).singletonOrThrow();
      float scale = Math.max(1f, ref.abs().max().getFloat());
      float diff = x.getGradient().sub(ref).abs().max().getFloat();
      return Float.isFinite(diff) ? diff / scale : Double.POSITIVE_INFINITY;
    }
  }

  /**
   * Runs {@code body} (forward passes without gradients) with oneDNN on even where its gradients
   * were found wrong: its forward convolutions are exact and several times faster than libtorch's
   * own. Training never runs inside this, so its convolutions keep the exact kernels.
   */
  public static <T> T inference(Supplier<T> body) {
    synchronized (ConvKernels.class) {
      if (!routedAround) {
        return body.get();
      }
      if (inferenceUsers++ == 0) {
        set(true);
      }
    }
    try {
      return body.get();
    } finally {
      synchronized (ConvKernels.class) {
        if (--inferenceUsers == 0) {
          set(false);
        }
      }
    }
  }

  /** Switches libtorch's oneDNN (mkldnn) path off; false when that is not possible here. */
  private static boolean disable() {
    return set(false);
  }

  private static boolean set(boolean on) {
    try {
      NativeLibrary torch = NativeLibrary.getInstance("torch_cpu");
      Pointer context = torch.getFunction(SYMBOL_CONTEXT).invokePointer(new Object[0]);
      torch.getFunction(SYMBOL_SET).invokeVoid(new Object[] {context, (byte) (on ? 1 : 0)});
      // without oneDNN libtorch would try NNPACK next, which warns on every call on CPUs it does
      // not support; its own im2col + GEMM kernels are what remains
      torch.getFunction(SYMBOL_NNPACK).invokeVoid(new Object[] {context, (byte) 0});
      return true;
    } catch (LinkageError | RuntimeException e) {
      // JNA could not load (e.g. no space to unpack its native part): say so, never crash
      return false;
    }
  }
}
