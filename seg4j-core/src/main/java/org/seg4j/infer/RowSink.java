package org.seg4j.infer;

/**
 * Receives a streamed prediction one finished row at a time, top to bottom (see {@link
 * Predictor#stream}).
 */
@FunctionalInterface
public interface RowSink {
  /**
   * Row {@code y} is final.
   *
   * @param y the row
   * @param probabilities the row's class probabilities, class-major: {@code [k * width + x]}
   * @param mask the row's class per pixel
   */
  void row(int y, float[] probabilities, int[] mask);
}
