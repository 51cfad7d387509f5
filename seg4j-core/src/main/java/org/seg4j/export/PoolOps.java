package org.seg4j.export;

import java.util.List;
import org.seg4j.nn.MaxPool2d;

/** Pooling: {@code MaxPool}, unpadded, with ceil mode. */
final class PoolOps {
  private PoolOps() {}

  /** {@link MaxPool2d}. */
  static String maxPool(OnnxGraph g, MaxPool2d p, String x) {
    long k = p.kernel();
    long s = p.stride();
    return g.node(
        "MaxPool",
        List.of(x),
        Attr.of("kernel_shape", k, k),
        Attr.of("strides", s, s),
        Attr.of("ceil_mode", p.ceilMode() ? 1L : 0L));
  }
}
