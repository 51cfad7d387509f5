package org.seg4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.seg4j.bench.Bench;
import org.seg4j.bench.OnnxBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code seg4j bench}: training and inference throughput and peak RSS on generated data. */
@Command(
    mixinStandardHelpOptions = true,
    name = "bench",
    description =
        "Time training steps (forward, cross-entropy, backward, Adam) and inference on generated"
            + " data; ends with one JSON line.")
final class BenchCommand implements Callable<Integer> {
  @Mixin ModelOptions model;
  @Mixin EngineOptions engine;

  @Option(names = "--size", defaultValue = "256", description = "image side")
  int size;

  @Option(names = "--batch", defaultValue = "4", description = "batch size")
  int batch;

  @Option(names = "--steps", defaultValue = "20", description = "timed steps")
  int steps;

  @Option(names = "--warmup", defaultValue = "3", description = "untimed warm-up steps")
  int warmup;

  @Option(
      names = "--rss-every",
      defaultValue = "0",
      description = "print resident memory every N training steps (0: off)")
  int rssEvery;

  @Option(names = "--seed", defaultValue = "0", description = "random seed")
  long seed;

  @Option(
      names = "--onnx",
      description =
          "also time this ONNX file (seg4j export of the same model) with ONNX Runtime: same"
              + " size, batch, steps and threads")
  Path onnx;

  @Override
  public Integer call() throws Exception {
    if (engine.threads == 0) {
      engine.threads = Runtime.getRuntime().availableProcessors();
    }
    Bench.Options o =
        new Bench.Options(
            model.config(), size, batch, steps, warmup, rssEvery, seed, engine.resolve());
    Bench.Result r = Bench.run(o, System.out::println);
    Map<String, Object> json = r.json();
    if (onnx != null) {
      double ort =
          OnnxBench.inferImgPerS(
              onnx, model.config().inChannels(), size, batch, steps, warmup, engine.threads);
      System.out.printf(
          Locale.ROOT,
          "inference, %d threads, batch %d of %dx%d: libtorch %.3f img/s, ONNX Runtime %.3f img/s%n",
          engine.threads,
          batch,
          size,
          size,
          r.inferImgPerS(),
          ort);
      json.put("onnx_infer_img_per_s", Math.round(ort * 1000) / 1000.0);
    }
    System.out.println(new ObjectMapper().writeValueAsString(json));
    return 0;
  }
}
