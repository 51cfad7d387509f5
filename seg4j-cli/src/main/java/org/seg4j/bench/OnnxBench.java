package org.seg4j.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * Times inference of an exported ONNX file with ONNX Runtime on the CPU, as {@link Bench} times
 * libtorch's: the same batch of generated images, forward then argmax over the classes, after
 * untimed warm-up steps.
 */
public final class OnnxBench {
  private OnnxBench() {}

  /**
   * Images per second of {@code file} on {@code (batch, channels, size, size)} inputs with {@code
   * threads} intra-op threads.
   */
  public static double inferImgPerS(
      Path file, int channels, int size, int batch, int steps, int warmup, int threads)
      throws IOException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    float[] x = new float[batch * channels * size * size];
    Random r = new Random(0);
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    long[] shape = {batch, channels, size, size};
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setIntraOpNumThreads(threads);
      so.setInterOpNumThreads(1);
      try (OrtSession s = env.createSession(file.toString(), so);
          OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape)) {
        String input = s.getInputNames().iterator().next();
        for (int i = 0; i < warmup; i++) {
          step(s, input, t);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
          step(s, input, t);
        }
        return batch * steps / ((System.nanoTime() - t0) / 1e9);
      }
    } catch (OrtException e) {
      throw new IOException("--onnx " + file + ": ONNX Runtime failed: " + e.getMessage(), e);
    }
  }

  private static void step(OrtSession s, String input, OnnxTensor t) throws OrtException {
    try (OrtSession.Result r = s.run(Map.of(input, t))) {
      OnnxTensor y = (OnnxTensor) r.get(0);
      long[] shape = y.getInfo().getShape();
      argmax(y.getFloatBuffer(), shape);
    }
  }

  /** The class index per pixel, as libtorch's argMax(1) in {@link Bench}. */
  private static int[] argmax(FloatBuffer logits, long[] shape) {
    int n = (int) shape[0];
    int k = (int) shape[1];
    int plane = (int) (shape[2] * shape[3]);
    int[] out = new int[n * plane];
    for (int b = 0; b < n; b++) {
      for (int p = 0; p < plane; p++) {
        int best = 0;
        float bestV = logits.get((b * k) * plane + p);
        for (int c = 1; c < k; c++) {
          float v = logits.get((b * k + c) * plane + p);
          if (v > bestV) {
            best = c;
            bestV = v;
          }
        }
        out[b * plane + p] = best;
      }
    }
    return out;
  }
}
