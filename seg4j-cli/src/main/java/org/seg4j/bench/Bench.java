package org.seg4j.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.seg4j.engine.ProcessMemory;
import org.seg4j.loss.CrossEntropyLoss;
import org.seg4j.loss.LossOptions;
import org.seg4j.model.ModelConfig;
import org.seg4j.model.ModelRegistry;
import org.seg4j.model.SegModel;
import org.seg4j.train.optim.Adam;

/**
 * Times training steps (forward, cross-entropy, backward, Adam) and inference (forward, argmax) on
 * generated data, the way {@code shared/reference/bench_unet.py} times the PyTorch peer, and tracks
 * resident memory so leaks show as a rising line.
 */
public final class Bench {
  /** What to time. */
  public record Options(
      ModelConfig model,
      int size,
      int batch,
      int steps,
      int warmup,
      int rssEvery,
      long seed,
      Device device) {}

  /** The figures, in the order of the final JSON line. */
  public record Result(
      String arch,
      long params,
      double trainImgPerS,
      double inferImgPerS,
      double peakRssMb,
      List<double[]> rssTrace) {
    /** The JSON fields of the closing line. */
    public Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("arch", arch);
      m.put(
          "impl",
          "seg4j djl " + Engine.getDjlVersion() + " libtorch " + Engine.getInstance().getVersion());
      m.put("params", params);
      m.put("train_img_per_s", round(trainImgPerS));
      m.put("infer_img_per_s", round(inferImgPerS));
      m.put("peak_rss_mb", Math.round(peakRssMb * 10) / 10.0);
      if (!rssTrace.isEmpty()) {
        m.put("rss_first_mb", Math.round(rssTrace.get(0)[1] * 10) / 10.0);
        m.put("rss_last_mb", Math.round(rssTrace.get(rssTrace.size() - 1)[1] * 10) / 10.0);
      }
      return m;
    }

    private static double round(double v) {
      return Math.round(v * 1000) / 1000.0;
    }
  }

  private static final CrossEntropyLoss CE = new CrossEntropyLoss(null, LossOptions.NO_IGNORE);

  private Bench() {}

  /** Runs the benchmark; {@code log} receives progress lines (RSS samples). */
  public static Result run(Options o, Consumer<String> log) {
    Engine.getInstance().setRandomSeed((int) o.seed());
    ModelConfig cfg = o.model();
    try (NDManager base = NDManager.newBaseManager(o.device())) {
      SegModel model = ModelRegistry.create(cfg);
      model.init(base, cfg.inChannels(), o.size());
      Shape xs = new Shape(o.batch(), cfg.inChannels(), o.size(), o.size());
      model.checkInput(xs);
      int out = model.outputSide(o.size());
      Adam adam = Adam.of(model.stateDict(), 1e-3f);
      NDArray x = base.randomUniform(0f, 1f, xs);
      NDArray y =
          base.randomInteger(0, cfg.classes(), new Shape(o.batch(), out, out), DataType.INT64);
      for (int i = 0; i < o.warmup(); i++) {
        trainStep(model, adam, x, y);
      }
      List<double[]> trace = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int i = 1; i <= o.steps(); i++) {
        trainStep(model, adam, x, y);
        if (o.rssEvery() > 0 && i % o.rssEvery() == 0) {
          double rss = ProcessMemory.rssMb();
          trace.add(new double[] {i, rss});
          Runtime rt = Runtime.getRuntime();
          log.accept(
              String.format(
                  Locale.ROOT,
                  "step %d rss_mb %.1f jvm_heap_used_mb %.1f jvm_heap_committed_mb %.1f",
                  i,
                  rss,
                  (rt.totalMemory() - rt.freeMemory()) / 1048576.0,
                  rt.totalMemory() / 1048576.0));
        }
      }
      double train = o.batch() * o.steps() / ((System.nanoTime() - t0) / 1e9);
      for (int i = 0; i < o.warmup(); i++) {
        inferStep(model, x);
      }
      t0 = System.nanoTime();
      for (int i = 0; i < o.steps(); i++) {
        inferStep(model, x);
      }
      double infer = o.batch() * o.steps() / ((System.nanoTime() - t0) / 1e9);
      // the kernel updates VmHWM lazily, so a sampled VmRSS can exceed it by a few hundred KB
      double peak = ProcessMemory.peakRssMb();
      for (double[] sample : trace) {
        peak = Math.max(peak, sample[1]);
      }
      return new Result(cfg.arch(), model.parameterCount(), train, infer, peak, trace);
    }
  }

  private static void trainStep(SegModel model, Adam adam, NDArray x, NDArray y) {
    try (NDManager batch = x.getManager().newSubManager()) {
      NDArray xb = x.duplicate();
      xb.attach(batch);
      NDArray yb = y.duplicate();
      yb.attach(batch);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray logits = model.forward(xb, true);
        NDArray loss = CE.compute(logits, yb);
        gc.backward(loss);
      }
      adam.step();
    }
  }

  private static void inferStep(SegModel model, NDArray x) {
    try (NDManager batch = x.getManager().newSubManager()) {
      NDArray xb = x.duplicate();
      xb.attach(batch);
      model.forward(xb, false).argMax(1).toType(DataType.INT32, false).getInt(0, 0, 0);
    }
  }
}
