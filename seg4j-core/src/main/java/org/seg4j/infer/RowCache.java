package org.seg4j.infer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A {@link TileSource} over an image whose rows are made on demand (decoded and normalised one at a
 * time) and kept only while tiles need them: at most {@code capacity} rows, least recently used
 * first out. Tile windows come out exactly as from the whole image.
 */
final class RowCache implements TileSource {
  private final int channels;
  private final int height;
  private final int width;
  private final IntFunction<float[]> rows;
  private final Map<Integer, float[]> cache;

  /**
   * @param rows makes row y as CHW floats ({@code channels x 1 x width})
   * @param capacity rows kept at most
   */
  RowCache(int channels, int height, int width, IntFunction<float[]> rows, int capacity) {
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.rows = rows;
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Integer, float[]> eldest) {
            return size() > capacity;
          }
        };
  }

  @Override
  public int channels() {
    return channels;
  }

  @Override
  public int height() {
    return height;
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public void window(int y0, int x0, int th, int tw, float[] out, int off) {
    int[] xs = TileSource.mirrored(x0, tw, width);
    for (int y = 0; y < th; y++) {
      float[] row = cache.computeIfAbsent(Predictor.reflect(y0 + y, height), rows::apply);
      for (int ch = 0; ch < channels; ch++) {
        int src = ch * width;
        int dst = off + (ch * th + y) * tw;
        for (int x = 0; x < tw; x++) {
          out[dst + x] = row[src + xs[x]];
        }
      }
    }
  }
}
