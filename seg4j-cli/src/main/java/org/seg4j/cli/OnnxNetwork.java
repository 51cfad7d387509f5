package org.seg4j.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.seg4j.export.OnnxExport;
import org.seg4j.infer.LoadedModel;
import org.seg4j.infer.Network;
import org.seg4j.infer.TileOptions;
import org.seg4j.run.InferenceSpec;

/**
 * A model exported by {@code seg4j export} run by ONNX Runtime on the CPU, as a {@link Network}:
 * the same pipeline as a run (tiling, flip TTA, outputs), with the class names, normalisation and
 * side rule from the file's metadata. It lives in the CLI so that the library never depends on ONNX
 * Runtime.
 */
final class OnnxNetwork implements Network, AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final long[] in;
  private final long[] out;
  private final int sideMultiple;
  private final int minSide;

  private OnnxNetwork(OrtSession session, Map<String, String> metadata) throws OrtException {
    this.session = session;
    in = shape(session.getInputInfo().get(OnnxExport.IMAGE));
    out = shape(session.getOutputInfo().get(OnnxExport.LOGITS));
    sideMultiple = Integer.parseInt(metadata.getOrDefault(OnnxExport.SIDE_MULTIPLE_KEY, "1"));
    minSide = Integer.parseInt(metadata.getOrDefault(OnnxExport.MIN_SIDE_KEY, "1"));
  }

  /** Opens an exported file as a model ready to predict. */
  static LoadedModel open(Path file, TileOptions options) throws IOException {
    OrtSession s = null;
    try {
      s = OrtEnvironment.getEnvironment().createSession(file.toString());
      Map<String, String> md = s.getMetadata().getCustomMetadata();
      if (!s.getInputInfo().containsKey(OnnxExport.IMAGE)
          || !s.getOutputInfo().containsKey(OnnxExport.LOGITS)) {
        throw new IllegalArgumentException(
            "--onnx "
                + file
                + " has no input 'image' and output 'logits': give a file seg4j export wrote");
      }
      InferenceSpec spec = InferenceSpec.read(file, md, null);
      return LoadedModel.fromNetwork(new OnnxNetwork(s, md), spec, "cpu", options);
    } catch (OrtException e) {
      if (s != null) {
        try {
          s.close();
        } catch (OrtException ignored) {
          // the open failed already
        }
      }
      throw new IOException("--onnx " + file + ": ONNX Runtime cannot load it: " + e.getMessage());
    }
  }

  private static long[] shape(NodeInfo info) {
    return ((TensorInfo) info.getInfo()).getShape();
  }

  @Override
  public NDArray logits(NDArray batch) {
    long[] shape = batch.getShape().getShape();
    try (OnnxTensor t =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(batch.toFloatArray()), shape);
        OrtSession.Result r = session.run(Map.of(OnnxExport.IMAGE, t))) {
      OnnxTensor y = (OnnxTensor) r.get(0);
      FloatBuffer b = y.getFloatBuffer();
      float[] v = new float[b.remaining()];
      b.get(v);
      return batch.getManager().create(v, new Shape(y.getInfo().getShape()));
    } catch (OrtException e) {
      throw new IllegalArgumentException(
          "ONNX Runtime failed on a " + batch.getShape() + " batch: " + e.getMessage());
    }
  }

  @Override
  public int classes() {
    return (int) out[1];
  }

  @Override
  public int inChannels() {
    return (int) in[1];
  }

  /** A fixed-size graph takes its traced sides only; a dynamic one the model's side rule. */
  @Override
  public boolean acceptsSide(int side) {
    if (in[2] > 0) {
      return side == in[2] || side == in[3];
    }
    return side >= minSide && side % sideMultiple == 0;
  }

  @Override
  public int outputSide(int inputSide) {
    if (in[2] > 0) {
      return (int) (inputSide == in[2] ? out[2] : out[3]);
    }
    return inputSide;
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
