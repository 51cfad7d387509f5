package org.seg4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.seg4j.io.SafeTensors;
import org.seg4j.io.SafeTensors.Tensor;

/**
 * Access to the fixtures tools/gen_vgg_fixtures.py wrote into golden/vgg/ (the model fixtures
 * themselves are read by GoldenModel).
 */
public final class VggGolden {
  /** The tiny width the fixtures use. */
  public static final int BASE = 2;

  /** The tiny fc6/fc7 width of the FCN fixtures. */
  public static final int FC_WIDTH = 8;

  /** The classes of the fixtures. */
  public static final int CLASSES = 3;

  private VggGolden() {}

  /** The path of a fixture file. */
  public static Path path(String name) {
    try {
      return Path.of(VggGolden.class.getResource("/golden/vgg/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing fixture golden/vgg/" + name, e);
    }
  }

  /** A fixture's tensors and metadata. */
  public static SafeTensors.Contents read(String name) throws IOException {
    return SafeTensors.read(path(name));
  }

  /** A stored tensor as an NDArray. */
  public static NDArray array(NDManager m, Tensor t) {
    return m.create(t.toFloats(), new Shape(t.shape()));
  }

  /** A tiny config for an architecture, as the fixtures were built. */
  public static ModelConfig config(String arch, boolean bn) {
    ModelConfig c = ModelConfig.of(arch, 3, CLASSES, BASE).with("bn", Boolean.toString(bn));
    return arch.startsWith("fcn") ? c.with("fc_width", Integer.toString(FC_WIDTH)) : c;
  }
}
