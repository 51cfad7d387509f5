package org.seg4j.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.Locale;

/**
 * Checks, once per process, that libtorch's oneDNN convolutions give the same outputs and input
 * gradients as libtorch's own kernels on this CPU, and switches oneDNN off when they do not.
 *
 * <p>Why: on some AVX2/AVX-512 machines, libtorch's oneDNN convolution run through DJL gives wrong,
 * sometimes run-to-run different results: {@code dL/dx} of 3×3 convolutions off by errors of order
 * 10, and forward outputs of some channel counts (as U-Net++'s concatenations make) wrong enough to
 * flip whole masks. Seen on a 2-core AMD EPYC VM with libtorch 2.7.1 (oneDNN 3.7.1) and 2.5.1
 * (oneDNN 3.5.3), where PyTorch 2.13 in Python on the same machine, with the same oneDNN kernel
 * names, is exact. A network trained or run on such results still gives an answer, which is exactly
 * the silent wrong result seg4j must not give.
 *
 * <p>The check runs small convolutions (several channel counts and sides, forward and backward)
 * with oneDNN and again with libtorch's own kernels ({@code at::globalContext()
 * .setUserEnabledMkldnn}, via JNA), and also compares the input gradient with the forward formula
 * (the transposed kernel). When anything differs, oneDNN stays off for the whole process (NNPACK
 * too, which only warns on CPUs it does not support), and {@code seg4j info} says so. {@code
 * -Dseg4j.mkldnn=on|off} overrides the check.
 */
final class ConvKernels {
  private static final String SYMBOL_CONTEXT = "_ZN2at13globalContextEv";
  private static final String SYMBOL_MKLDNN = "_ZN2at7Context20setUserEnabledMkldnnEb";
  private static final String SYMBOL_NNPACK = "_ZN2at7Context20setUserEnabledNNPACKEb";

  /** (in channels, out channels, side) of the convolutions checked. */
  private static final int[][] SHAPES = {
    {32, 4, 16},
    {3, 4, 7},
    {16, 16, 16},
    {64, 4, 8},
    {5, 8, 12},
    {12, 24, 10},
    {48, 8, 24},
    {96, 32, 6},
    {1, 8, 20}
  };

  private static final double TOLERANCE = 1e-3;

  private static String status;

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
        return set(false) ? "oneDNN off (-Dseg4j.mkldnn=off)" : "oneDNN could not be switched off";
      default:
        Results withOneDnn = run();
        double formula = withOneDnn.formulaError();
        if (!set(false)) {
          if (formula <= TOLERANCE) {
            return "oneDNN on (conv gradients checked; its kernels could not be compared here)";
          }
          throw new IllegalStateException(
              String.format(
                  Locale.ROOT,
                  "libtorch computes wrong convolution gradients on this CPU (error %.3g) and its"
                      + " oneDNN path could not be switched off; results here would be wrong."
                      + " Run on another machine, or set DNNL_MAX_CPU_ISA=AVX before starting.",
                  formula));
        }
        Results own = run();
        double differ = withOneDnn.differenceTo(own);
        if (own.formulaError() > TOLERANCE) {
          throw new IllegalStateException(
              String.format(
                  Locale.ROOT,
                  "libtorch computes wrong convolution gradients on this CPU even without oneDNN"
                      + " (error %.3g); results here would be wrong. Run on another machine.",
                  own.formulaError()));
        }
        if (differ <= TOLERANCE && formula <= TOLERANCE) {
          set(true);
          return "oneDNN on (its convolutions and their gradients checked against libtorch's own)";
        }
        return String.format(
            Locale.ROOT,
            "oneDNN off: its convolutions were wrong on this CPU (differ from libtorch's own by"
                + " %.3g, gradient error %.3g); libtorch's own kernels are exact (error %.1g)",
            differ,
            formula,
            own.formulaError());
    }
  }

  /** The outputs and input gradients of the checked convolutions, and the formula's error. */
  private record Results(float[][] outputs, float[][] gradients, double formulaError) {
    double differenceTo(Results o) {
      double worst = 0;
      for (int i = 0; i < outputs.length; i++) {
        worst = Math.max(worst, relative(outputs[i], o.outputs[i]));
        worst = Math.max(worst, relative(gradients[i], o.gradients[i]));
      }
      return worst;
    }

    private static double relative(float[] a, float[] b) {
      double scale = 1;
      double diff = 0;
      for (int i = 0; i < a.length; i++) {
        scale = Math.max(scale, Math.abs(b[i]));
        double d = Math.abs(a[i] - b[i]);
        diff = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(diff, d);
      }
      return diff / scale;
    }
  }

  /** The worst relative error of conv input gradients against the forward formula. */
  static double gradientError() {
    return run().formulaError();
  }

  /** Runs every checked shape twice (the wrong kernels were not even repeatable). */
  private static Results run() {
    int n = SHAPES.length * 2;
    float[][] outputs = new float[n][];
    float[][] gradients = new float[n][];
    double worst = 0;
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      for (int i = 0; i < n; i++) {
        int[] s = SHAPES[i % SHAPES.length];
        try (NDManager sub = m.newSubManager()) {
          NDArray[] r = convolve(sub, s[0], s[1], s[2], 1000 + i);
          outputs[i] = r[0].toFloatArray();
          gradients[i] = r[1].toFloatArray();
          float scale = Math.max(1f, r[2].abs().max().getFloat());
          float diff = r[1].sub(r[2]).abs().max().getFloat();
          worst = Math.max(worst, Float.isFinite(diff) ? diff / scale : Double.POSITIVE_INFINITY);
        }
      }
    }
    return new Results(outputs, gradients, worst);
  }

  /** Output, input gradient and the formula's input gradient of one seeded convolution. */
  private static NDArray[] convolve(NDManager m, int in, int out, int side, int seed) {
    Shape one = new Shape(1, 1);
    m.getEngine().setRandomSeed(seed);
    NDArray w = m.randomNormal(new Shape(out, in, 3, 3));
    NDArray x = m.randomNormal(new Shape(2, in, side, side));
    NDArray g = m.randomNormal(new Shape(2, out, side, side));
    x.setRequiresGradient(true);
    NDArray y;
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      y = Conv2d.conv2d(x, w, null, one, one, one, 1).singletonOrThrow();
      gc.backward(y.mul(g).sum());
    }
    NDArray flipped = w.flip(2, 3).transpose(1, 0, 2, 3);
    NDList ref = Conv2d.conv2d(g, flipped, null, one, one, one, 1);
    return new NDArray[] {y.stopGradient(), x.getGradient(), ref.singletonOrThrow()};
  }

  /** Switches libtorch's oneDNN (mkldnn) path on or off; false when that is not possible here. */
  private static boolean set(boolean on) {
    try {
      NativeLibrary torch = NativeLibrary.getInstance("torch_cpu");
      Pointer context = torch.getFunction(SYMBOL_CONTEXT).invokePointer(new Object[0]);
      torch.getFunction(SYMBOL_MKLDNN).invokeVoid(new Object[] {context, (byte) (on ? 1 : 0)});
      if (!on) {
        // without oneDNN libtorch would try NNPACK next, which warns on every call on CPUs it
        // does not support; its own im2col + GEMM kernels are what remains
        torch.getFunction(SYMBOL_NNPACK).invokeVoid(new Object[] {context, (byte) 0});
      }
      return true;
    } catch (LinkageError | RuntimeException e) {
      // JNA could not load (e.g. no space to unpack its native part): say so, never crash
      return false;
    }
  }
}
