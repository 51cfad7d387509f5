package org.seg4j.data.loader;

/**
 * A per-pixel loss weight computed from each (augmented) mask on the loader's workers, e.g. the
 * U-Net paper's border weight map. The loader puts the maps of a batch in {@link Batch#weights()}.
 */
@FunctionalInterface
public interface PixelWeights {
  /**
   * @param mask row-major class indices of one sample
   * @param height mask rows
   * @param width mask columns
   * @return row-major weights, one per pixel
   */
  float[] of(int[] mask, int height, int width);
}
