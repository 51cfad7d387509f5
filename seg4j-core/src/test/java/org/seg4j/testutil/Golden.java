package org.seg4j.testutil;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import org.seg4j.io.SafeTensors;
import org.seg4j.io.SafeTensors.Contents;
import org.seg4j.io.SafeTensors.Tensor;

/**
 * Loads PyTorch-generated golden fixtures (safetensors under {@code src/test/resources}) and
 * compares NDArrays with them element by element within {@code atol + rtol·|expected|}.
 */
public final class Golden {
  /**
   * Relative tolerance of every parity test against a PyTorch twin: {@code |got − want| ≤ atol +
   * PARITY_RTOL·|want|} per element.
   */
  public static final double PARITY_RTOL = 1e-4;

  /**
   * The absolute part of the parity tolerance, as a fraction of max|want| of the compared tensor
   * ({@code atol = 1e-5·max|want|}), for elements near zero; the fixtures' inputs move every output
   * by at least 10% of max|want| (asserted by their generators), 10⁴ times this.
   */
  public static final double PARITY_ATOL_FRACTION = 1e-5;

  private Golden() {}

  /**
   * The parity check of every model/TorchScript test: per element {@code |got − want| ≤ atol +
   * PARITY_RTOL·|want|}, {@code atol} the larger of {@code PARITY_ATOL_FRACTION·max|want|} and
   * {@code noiseFloor} (the PyTorch twin's own float32 rounding error, 0 if unknown).
   */
  public static void assertParity(
      float[] actual, float[] expected, long[] shape, double noiseFloor, String what) {
    double max = 0;
    for (float e : expected) {
      max = Math.max(max, Math.abs(e));
    }
    assertClose(
        actual,
        expected,
        shape,
        PARITY_RTOL,
        Math.max(PARITY_ATOL_FRACTION * max, noiseFloor),
        what);
  }

  /** {@link #assertParity(float[], float[], long[], double, String)} on NDArrays. */
  public static void assertParity(
      NDArray actual, NDArray expected, double noiseFloor, String what) {
    long[] shape = expected.getShape().getShape();
    if (!Arrays.equals(actual.getShape().getShape(), shape)) {
      throw new AssertionError(
          what + ": shape " + actual.getShape() + " but PyTorch's is " + expected.getShape());
    }
    assertParity(
        actual.toType(DataType.FLOAT32, false).toFloatArray(),
        expected.toType(DataType.FLOAT32, false).toFloatArray(),
        shape,
        noiseFloor,
        what);
  }

  /** Reads a fixture by class-path resource name, e.g. {@code "golden/layers/relu.safetensors"}. */
  public static Contents load(String resource) {
    try {
      return SafeTensors.read(path(resource));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The file system path of a class-path resource: the file itself in this module's test resources,
   * a temporary copy when it is read from seg4j-core's test jar (seg4j-cli's tests).
   */
  public static Path path(String resource) {
    URL url = Golden.class.getClassLoader().getResource(resource);
    if (url == null) {
      throw new IllegalArgumentException(
          "no test resource "
              + resource
              + ": regenerate fixtures with /tmp/venv-torch/bin/python tools/gen_*_fixtures.py");
    }
    try {
      if (!"jar".equals(url.getProtocol())) {
        return Path.of(url.toURI());
      }
      String name = resource.substring(resource.lastIndexOf('/') + 1);
      Path copy = Files.createTempFile("seg4j-fixture-", "-" + name);
      copy.toFile().deleteOnExit();
      try (InputStream in = url.openStream()) {
        Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
      }
      return copy;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(resource + " has a bad URL " + url, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A tensor as an NDArray in {@code manager}: float types become FLOAT32, integers INT64. */
  public static NDArray array(NDManager manager, Tensor t) {
    Shape shape = new Shape(t.shape());
    if (t.dtype().startsWith("I") || t.dtype().startsWith("U") || t.dtype().equals("BOOL")) {
      return manager.create(t.toLongs(), shape);
    }
    return manager.create(t.toFloats(), shape);
  }

  /** A named tensor of a fixture as an NDArray; fails with the names present when absent. */
  public static NDArray array(NDManager manager, Contents c, String name) {
    return array(manager, tensor(c, name));
  }

  /** A named tensor of a fixture; fails with the names present when absent. */
  public static Tensor tensor(Contents c, String name) {
    Tensor t = c.tensors().get(name);
    if (t == null) {
      throw new IllegalArgumentException(
          "fixture has no tensor '" + name + "', only " + c.tensors().keySet());
    }
    return t;
  }

  /** An integer entry of a fixture's metadata. */
  public static int metaInt(Contents c, String key) {
    String v = c.metadata().get(key);
    if (v == null) {
      throw new IllegalArgumentException(
          "fixture metadata has no '" + key + "', only " + c.metadata().keySet());
    }
    return Integer.parseInt(v);
  }

  /**
   * Asserts {@code |actual − expected| ≤ atol + rtol·|expected|} everywhere and equal shapes. The
   * failure names {@code what}, the number of bad elements and the worst one with its index.
   */
  public static void assertClose(
      NDArray actual, Tensor expected, double rtol, double atol, String what) {
    long[] shape = actual.getShape().getShape();
    if (!Arrays.equals(shape, expected.shape())) {
      throw new AssertionError(
          what
              + ": shape "
              + Arrays.toString(shape)
              + " but PyTorch's is "
              + Arrays.toString(expected.shape()));
    }
    assertClose(
        actual.toType(DataType.FLOAT32, false).toFloatArray(),
        expected.toFloats(),
        shape,
        rtol,
        atol,
        what);
  }

  /** The same check on flat arrays of the given shape. */
  public static void assertClose(
      float[] actual, float[] expected, long[] shape, double rtol, double atol, String what) {
    if (actual.length != expected.length) {
      throw new AssertionError(
          what + ": " + actual.length + " values but PyTorch has " + expected.length);
    }
    int bad = 0;
    int worst = -1;
    double worstExcess = 0;
    double maxAbs = 0;
    for (int i = 0; i < actual.length; i++) {
      double diff = Math.abs((double) actual[i] - expected[i]);
      if (Double.isNaN(diff)) {
        diff = Double.POSITIVE_INFINITY;
      }
      maxAbs = Math.max(maxAbs, diff);
      double excess = diff - (atol + rtol * Math.abs(expected[i]));
      if (excess > 0) {
        bad++;
        if (worst < 0 || excess > worstExcess) {
          worst = i;
          worstExcess = excess;
        }
      }
    }
    if (bad > 0) {
      throw new AssertionError(
          String.format(
              "%s: %d of %d values differ from PyTorch beyond rtol=%g atol=%g; worst at %s:"
                  + " got %s, expected %s (max abs diff %g)",
              what,
              bad,
              actual.length,
              rtol,
              atol,
              Arrays.toString(unravel(worst, shape)),
              actual[worst],
              expected[worst],
              maxAbs));
    }
  }

  private static long[] unravel(int flat, long[] shape) {
    long[] idx = new long[shape.length];
    long rest = flat;
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = rest % shape[d];
      rest /= shape[d];
    }
    return idx;
  }

  /** Asserts {@code |a − e| <= abs + rel·|e|} element-wise, naming the first mismatch. */
  public static void assertClose(
      String what, double[] actual, double[] expected, double rel, double abs) {
    assertThat(actual).as(what + " length").hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      double e = expected[i];
      double a = actual[i];
      if (Double.isNaN(e)) {
        assertThat(a).as(what + "[" + i + "]").isNaN();
        continue;
      }
      assertThat(Math.abs(a - e))
          .as(what + "[" + i + "]: got " + a + ", expected " + e)
          .isLessThanOrEqualTo(abs + rel * Math.abs(e));
    }
  }

  /** Float overload of {@link #assertClose(String, double[], double[], double, double)}. */
  public static void assertClose(
      String what, float[] actual, double[] expected, double rel, double abs) {
    double[] a = new double[actual.length];
    for (int i = 0; i < a.length; i++) {
      a[i] = actual[i];
    }
    assertClose(what, a, expected, rel, abs);
  }
}
