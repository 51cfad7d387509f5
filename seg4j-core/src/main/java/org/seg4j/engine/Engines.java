package org.seg4j.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Loads the PyTorch engine offline, picks the compute device and reports what is in use. The one
 * place that touches {@link Engine} directly.
 */
public final class Engines {
  private Engines() {}

  /**
   * Sets the libtorch intra-op thread count (0: all cores; negative counts are refused); must be
   * called before the engine loads.
   */
  public static void setThreads(int threads) {
    if (threads < 0) {
      throw new IllegalArgumentException(
          "threads=" + threads + " is negative: give 0 (all cores) or a positive count");
    }
    if (threads > 0) {
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    }
  }

  /**
   * Loads the PyTorch engine with the offline switches set first, and checks once that its
   * convolution gradients are right on this CPU ({@link ConvKernels}).
   */
  public static Engine pytorch() {
    Offline.ensure();
    Engine engine = Engine.getEngine("PyTorch");
    ConvKernels.ensureCorrect();
    return engine;
  }

  /**
   * Resolves {@code auto|cpu|gpu} to a device. {@code gpu} fails with a clear message when no GPU
   * is visible; {@code auto} takes the GPU when there is one.
   */
  public static Device device(String choice) {
    Engine engine = pytorch();
    String c = choice == null ? "auto" : choice.toLowerCase(Locale.ROOT);
    switch (c) {
      case "cpu":
        return Device.cpu();
      case "gpu":
        if (engine.getGpuCount() == 0) {
          throw new IllegalArgumentException(
              "device=gpu: no GPU is visible to libtorch (this build has "
                  + nativeFlavour()
                  + " natives). Use device=cpu, or build with ./mvnw -Pcuda package on a"
                  + " CUDA machine.");
        }
        return Device.gpu();
      case "auto":
        return engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
      default:
        throw new IllegalArgumentException(
            "device=" + choice + " is not known: use auto, cpu or gpu.");
    }
  }

  /** The flavour of the native libtorch on the class path, e.g. {@code cpu} or {@code cu124}. */
  public static String nativeFlavour() {
    String flavour = System.getProperty("ai.djl.pytorch.flavor");
    if (flavour != null) {
      return flavour;
    }
    return Engines.class.getClassLoader().getResource("pytorch/cpu") != null ? "cpu" : "cuda";
  }

  /** A description of the engine, libtorch version, device, threads and network mode. */
  public static Map<String, Object> info(String deviceChoice) {
    Engine engine = pytorch();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("engine", engine.getEngineName());
    m.put("djl", Engine.getDjlVersion());
    m.put("libtorch", engine.getVersion());
    m.put("natives", nativeFlavour());
    m.put("device", device(deviceChoice).toString());
    m.put("gpus", engine.getGpuCount());
    m.put(
        "threads",
        System.getProperty(
            "ai.djl.pytorch.num_threads",
            Integer.toString(Runtime.getRuntime().availableProcessors())));
    m.put("interop_threads", System.getProperty("ai.djl.pytorch.num_interop_threads"));
    m.put("offline", Offline.isOffline());
    m.put("telemetry", Offline.isOffline() ? "off (OPT_OUT_TRACKING)" : "on");
    m.put("native_memory", NativeMemory.status());
    m.put("conv_kernels", ConvKernels.status());
    m.put("java", System.getProperty("java.version"));
    return m;
  }
}
