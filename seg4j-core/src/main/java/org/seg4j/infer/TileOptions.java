package org.seg4j.infer;

/**
 * How to run inference: whole image or sliding window (tile side, overlap fraction, blending), flip
 * test-time augmentation, and how many tiles go through the network at once.
 *
 * @param tile tile side for sliding-window inference; 0 runs the whole (padded) image at once
 * @param overlap fraction of a tile shared with its neighbour, in [0, 1)
 * @param blend how overlapping tiles are weighted: gaussian (nnU-Net's σ = tile/8), linear (a tent
 *     falling to the border) or constant
 * @param flipTta average the probabilities over identity, horizontal, vertical and both flips
 * @param batch tiles per forward pass
 * @param threshold for single-logit (sigmoid) heads: a pixel is foreground where its probability is
 *     above this, in (0, 1); NaN takes the model's own (a run's {@code model.threshold}, else 0.5);
 *     multi-class heads take the argmax
 */
public record TileOptions(
    int tile, double overlap, Blend blend, boolean flipTta, int batch, double threshold) {
  /** Tiles per forward pass when none is given (the CLI's {@code --tile-batch} default). */
  public static final int DEFAULT_TILE_BATCH = 2;

  /** The largest side predicted in one piece when no tile is set; larger images are tiled. */
  public static final int MAX_WHOLE_SIDE = 1024;

  /** The tile side of an image over {@link #MAX_WHOLE_SIDE} when no tile is set. */
  public static final int AUTO_TILE = 512;

  /** Tile weighting. */
  public enum Blend {
    GAUSSIAN,
    LINEAR,
    CONSTANT
  }

  /** Validates the values. */
  public TileOptions {
    if (tile < 0) {
      throw new IllegalArgumentException("tile=" + tile + " must be >= 0 (0 = whole image)");
    }
    if (overlap < 0 || overlap >= 1) {
      throw new IllegalArgumentException(
          "overlap=" + overlap + " must be in [0, 1): e.g. 0.25 or 0.5");
    }
    if (batch < 1) {
      throw new IllegalArgumentException("tile_batch=" + batch + " must be >= 1");
    }
    if (!Double.isNaN(threshold) && !(threshold > 0 && threshold < 1)) {
      throw new IllegalArgumentException(
          "threshold " + threshold + " must lie strictly between 0 and 1: e.g. 0.5");
    }
  }

  /** Options that take the model's own foreground threshold. */
  public TileOptions(int tile, double overlap, Blend blend, boolean flipTta, int batch) {
    this(tile, overlap, blend, flipTta, batch, Double.NaN);
  }

  /** The foreground threshold in use: the given one, else {@code fallback}. */
  public double thresholdOr(double fallback) {
    return Double.isNaN(threshold) ? fallback : threshold;
  }

  /** Whole image, no TTA. */
  public static TileOptions whole() {
    return new TileOptions(0, 0.25, Blend.GAUSSIAN, false, 1);
  }

  /** Sliding window with the given tile and overlap, Gaussian blending. */
  public static TileOptions sliding(int tile, double overlap) {
    return new TileOptions(tile, overlap, Blend.GAUSSIAN, false, DEFAULT_TILE_BATCH);
  }

  /** A copy with flip TTA switched. */
  public TileOptions withFlipTta(boolean on) {
    return new TileOptions(tile, overlap, blend, on, batch, threshold);
  }

  /** A copy with another tile side (0: the whole image). */
  public TileOptions withTile(int side) {
    return new TileOptions(side, overlap, blend, flipTta, batch, threshold);
  }

  /**
   * The options for an image of this size: these, or, when they predict the whole image and a side
   * is over {@link #MAX_WHOLE_SIDE}, the same in {@link #AUTO_TILE}-pixel tiles (what {@code seg4j
   * predict} and {@code seg4j serve} do). Returns this object when nothing changes.
   */
  public TileOptions forImage(int height, int width) {
    return tile == 0 && Math.max(height, width) > MAX_WHOLE_SIDE ? withTile(AUTO_TILE) : this;
  }

  /** A copy with another foreground threshold (single-logit heads). */
  public TileOptions withThreshold(double t) {
    return new TileOptions(tile, overlap, blend, flipTta, batch, t);
  }
}
