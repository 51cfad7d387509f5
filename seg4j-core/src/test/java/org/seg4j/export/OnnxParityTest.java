package org.seg4j.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.seg4j.augment.Normalize;
import org.seg4j.model.ModelConfig;
import org.seg4j.model.ModelRegistry;
import org.seg4j.model.NestedUNet;
import org.seg4j.model.SegModel;
import org.seg4j.run.InferenceSpec;
import org.seg4j.testutil.Golden;

/**
 * Every architecture and option exported to ONNX and run by ONNX Runtime gives seg4j's own logits
 * within the parity tolerance ({@link Golden#assertParity}), at tiny widths, with random batch norm
 * statistics (so a wrong epsilon or a swapped align_corners shows).
 */
class OnnxParityTest {
  private static NDManager manager;
  private static OrtEnvironment env;
  @TempDir static Path dir;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
    env = OrtEnvironment.getEnvironment();
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  static Stream<Arguments> models() {
    return Stream.of(
        Arguments.of("unet", "depth=2"),
        Arguments.of("unet", "depth=2,bn=false"),
        Arguments.of("unet", "depth=2,act=leaky,leaky_slope=0.2"),
        Arguments.of("unet", "depth=2,padding=reflect"),
        Arguments.of("unet", "depth=2,up=bilinear"),
        Arguments.of("unet", "depth=2,up=upsample"),
        Arguments.of("unet", "depth=2,dropout=0.3"),
        Arguments.of("unet", "depth=2,dropout=0.3,dropout_at=blocks"),
        Arguments.of("unet-valid", "depth=2,bn=true"),
        Arguments.of("nested-unet", ""),
        Arguments.of("nested-unet", "deep_supervision=true,prune_level=1"),
        Arguments.of("nested-unet", "deep_supervision=true,prune_level=2"),
        Arguments.of("nested-unet", "deep_supervision=true,prune_level=3"),
        Arguments.of("nested-unet", "deep_supervision=true"),
        Arguments.of("unet3plus", ""),
        Arguments.of("unet3plus", "deep_supervision=true"),
        Arguments.of("fcn32s", "fc_width=8"),
        Arguments.of("fcn32s", "fc_width=8,up32=two-step,bias=false"),
        Arguments.of("fcn16s", "fc_width=8"),
        Arguments.of("fcn8s", "fc_width=8,bn=true,bn_fc=true"),
        Arguments.of("vgg16-unet", ""),
        Arguments.of("vgg16-unet", "bn=true,align_corners=false"),
        Arguments.of("vgg16-unet", "up=nearest"));
  }

  /** A tiny model of {@code arch} with its options, random weights and random BN statistics. */
  static SegModel model(String arch, String options) {
    ModelConfig c = ModelConfig.of(arch, 3, 2, 2);
    for (String kv : options.split(",")) {
      if (!kv.isEmpty()) {
        c = c.with(kv.split("=")[0], kv.split("=")[1]);
      }
    }
    SegModel m = ModelRegistry.create(c);
    m.init(manager, 3, m.nearestSide(32));
    Random r = new Random(7);
    for (Map.Entry<String, Parameter> e : m.stateDict().entrySet()) {
      NDArray a = e.getValue().getArray();
      if (a.getShape().dimension() > 1) {
        a.set(a.mul(2f).toFloatArray()); // keeps the logits well away from 0 through the layers
      } else {
        float lo = e.getKey().endsWith("running_var") ? 0.5f : -0.3f;
        float hi = e.getKey().endsWith("running_var") ? 2f : 0.3f;
        float[] v = new float[(int) a.size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = lo + (hi - lo) * r.nextFloat();
        }
        a.set(v);
      }
    }
    return m;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("models")
  void onnxRuntimeGivesSeg4jsLogits(String arch, String options) throws Exception {
    SegModel m = model(arch, options);
    int side = m.nearestSide(arch.startsWith("fcn") ? 32 : 16);
    Path file = dir.resolve(arch + options.hashCode() + ".onnx");
    OnnxExport.write(m, spec(null), new OnnxExport.Options(side, side, false, 0, false), file);
    double diff = assertSame(m, file, side, side, null);
    System.out.printf("onnx parity %s %s: max |diff| %.2e%n", arch, options, diff);
  }

  static Stream<Arguments> dynamicModels() {
    return Stream.of(
        Arguments.of("unet", "depth=2,padding=reflect,up=bilinear"),
        Arguments.of("nested-unet", "deep_supervision=true,prune_level=2"),
        Arguments.of("unet3plus", ""),
        Arguments.of("fcn8s", "fc_width=8"),
        Arguments.of("vgg16-unet", "up=nearest"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("dynamicModels")
  void aDynamicSizeGraphRunsAtTwoSizes(String arch, String options) throws Exception {
    SegModel m = model(arch, options);
    int side = m.nearestSide(arch.startsWith("fcn") ? 32 : 16);
    Path file = dir.resolve("dyn-" + arch + ".onnx");
    OnnxExport.write(m, spec(null), new OnnxExport.Options(side, side, true, 0, false), file);
    assertSame(m, file, side, side, null);
    assertSame(m, file, 2 * side, 3 * side, null);
  }

  @Test
  void theNormalisationFoldsIntoTheGraphAndTheMetadataSaysSo() throws Exception {
    SegModel m = model("unet", "depth=2");
    Normalize n = new Normalize(new float[] {0.4f, 0.5f, 0.6f}, new float[] {0.2f, 0.25f, 0.3f});
    Path file = dir.resolve("folded.onnx");
    OnnxExport.Result r =
        OnnxExport.write(m, spec(n), new OnnxExport.Options(16, 16, false, 0, true), file);
    assertSame(m, file, 16, 16, n);
    try (OrtSession s = env.createSession(file.toString(), new OrtSession.SessionOptions())) {
      Map<String, String> md = s.getMetadata().getCustomMetadata();
      assertThat(md)
          .containsEntry(InferenceSpec.CLASS_NAMES, "background\nthing")
          .containsEntry(OnnxExport.FOLDED_KEY, "true")
          .containsEntry(OnnxExport.ARCH_KEY, "unet")
          .containsKey(OnnxExport.VERSION_KEY);
      assertThat(md.get(InferenceSpec.KEY)).doesNotContain("normalize");
      assertThat(s.getMetadata().getProducerName()).isEqualTo("seg4j");
    }
    assertThat(r.opset()).isEqualTo(10); // MaxPool's ceil_mode: the lowest with every op here
  }

  @Test
  void anOpsetTooLowForAnOpIsRefusedNamingTheOp() {
    SegModel m = model("unet", "depth=2,up=bilinear");
    Path file = dir.resolve("low.onnx");
    assertThatThrownBy(
            () ->
                OnnxExport.write(
                    m, spec(null), new OnnxExport.Options(16, 16, false, 11, false), file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Resize")
        .hasMessageContaining("opset=13");
    assertThat(file).doesNotExist();
  }

  @Test
  void dynamicSizeIsRefusedForTheValidUNetsCrops() {
    SegModel m = model("unet-valid", "depth=2");
    int side = m.nearestSide(32);
    Path file = dir.resolve("valid-dyn.onnx");
    assertThatThrownBy(
            () ->
                OnnxExport.write(
                    m, spec(null), new OnnxExport.Options(side, side, true, 0, false), file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dynamic_size=true")
        .hasMessageContaining("fixed size");
    assertThat(file).doesNotExist();
  }

  @Test
  void aNestedUNetPrunedLevelExportsOnlyItsNodes() throws Exception {
    SegModel m = model("nested-unet", "deep_supervision=true");
    ((NestedUNet) m).setPruneLevel(1);
    Path one = dir.resolve("l1.onnx");
    Path four = dir.resolve("l4.onnx");
    OnnxExport.write(m, spec(null), new OnnxExport.Options(16, 16, false, 0, false), one);
    ((NestedUNet) m).setPruneLevel(4);
    OnnxExport.write(m, spec(null), new OnnxExport.Options(16, 16, false, 0, false), four);
    assertThat(Files.size(one)).isLessThan(Files.size(four) / 4);
  }

  private static InferenceSpec spec(Normalize n) {
    return new InferenceSpec(List.of("background", "thing"), n, null, 0.5);
  }

  /**
   * Runs the file in ONNX Runtime on a random (h, w) image and checks the logits against seg4j's
   * (on the normalised image when {@code n} is folded in); returns max |diff|.
   */
  private static double assertSame(SegModel m, Path file, int h, int w, Normalize n)
      throws OrtException {
    Shape shape = new Shape(1, 3, h, w);
    NDArray x = manager.randomUniform(0f, 1f, shape);
    NDArray in = x;
    if (n != null) {
      in =
          x.sub(manager.create(n.mean(), new Shape(1, 3, 1, 1)))
              .div(manager.create(n.std(), new Shape(1, 3, 1, 1)));
    }
    float[] want = m.forward(in, false).toFloatArray();
    long[] outShape = m.forward(in, false).getShape().getShape();
    float[] got;
    try (OrtSession s = env.createSession(file.toString(), new OrtSession.SessionOptions());
        OnnxTensor t =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(x.toFloatArray()), shape.getShape());
        OrtSession.Result r = s.run(Map.of(OnnxExport.IMAGE, t))) {
      OnnxTensor out = (OnnxTensor) r.get(OnnxExport.LOGITS).orElseThrow();
      assertThat(out.getInfo().getShape()).containsExactly(outShape);
      FloatBuffer b = out.getFloatBuffer();
      got = new float[b.remaining()];
      b.get(got);
    }
    Golden.assertParity(got, want, outShape, 0, file.getFileName().toString());
    double max = 0;
    for (int i = 0; i < got.length; i++) {
      max = Math.max(max, Math.abs(got[i] - want[i]));
    }
    return max;
  }
}
