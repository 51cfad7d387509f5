package org.seg4j.infer;

/**
 * An image the {@link Predictor} reads its tile windows from: float CHW values, already normalised
 * as the model was trained, mirrored outside the image (numpy's 'reflect').
 */
interface TileSource {
  /** Channels. */
  int channels();

  /** Height in pixels. */
  int height();

  /** Width in pixels. */
  int width();

  /**
   * Copies the {@code th x tw} window whose top left is ({@code y0}, {@code x0}), which may lie
   * partly outside the image (mirrored), as CHW into {@code out} from {@code off}.
   */
  void window(int y0, int x0, int th, int tw, float[] out, int off);

  /** A CHW float image held whole. */
  static TileSource of(int channels, int height, int width, float[] image) {
    return new TileSource() {
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
        int[] xs = mirrored(x0, tw, width);
        for (int ch = 0; ch < channels; ch++) {
          for (int y = 0; y < th; y++) {
            int src = (ch * height + Predictor.reflect(y0 + y, height)) * width;
            int dst = off + (ch * th + y) * tw;
            for (int x = 0; x < tw; x++) {
              out[dst + x] = image[src + xs[x]];
            }
          }
        }
      }
    };
  }

  /**
   * The mirrored source columns of {@code n} columns from {@code x0} in an image {@code w} wide.
   */
  static int[] mirrored(int x0, int n, int w) {
    int[] xs = new int[n];
    for (int x = 0; x < n; x++) {
      xs[x] = Predictor.reflect(x0 + x, w);
    }
    return xs;
  }
}
