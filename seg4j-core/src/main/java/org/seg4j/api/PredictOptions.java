package org.seg4j.api;

import org.seg4j.infer.TileOptions;

/**
 * How a {@link Segmenter} predicts: the whole image at once or a sliding window of tiles, flip
 * test-time augmentation and the foreground threshold of a sigmoid head. Immutable; build one with
 * {@link #builder()}:
 *
 * <pre>{@code
 * PredictOptions o = PredictOptions.builder().tile(512).overlap(0.5).flipTta(true).build();
 * }</pre>
 */
public final class PredictOptions {
  /** How overlapping tiles are weighted where they meet. */
  public enum Blend {
    /** nnU-Net's Gaussian, sigma = tile / 8. */
    GAUSSIAN,
    /** A tent falling to the tile border. */
    LINEAR,
    /** Equal weights. */
    CONSTANT
  }

  private final TileOptions tiles;

  private PredictOptions(TileOptions tiles) {
    this.tiles = tiles;
  }

  /** Whole-image inference, no test-time augmentation, the model's own threshold. */
  public static PredictOptions defaults() {
    return new PredictOptions(TileOptions.whole());
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The tile side; 0 runs the whole (padded) image at once. */
  public int tile() {
    return tiles.tile();
  }

  /** The fraction of a tile shared with its neighbour, in [0, 1). */
  public double overlap() {
    return tiles.overlap();
  }

  /** The tile weighting. */
  public Blend blend() {
    return Blend.valueOf(tiles.blend().name());
  }

  /** Whether probabilities are averaged over the four flips. */
  public boolean flipTta() {
    return tiles.flipTta();
  }

  /** Tiles per forward pass. */
  public int tileBatch() {
    return tiles.batch();
  }

  /** The foreground threshold of a sigmoid head; NaN takes the model's own. */
  public double threshold() {
    return tiles.threshold();
  }

  /**
   * The options for an image of this size: these, or, when they predict the whole image and a side
   * is over 1024, the same in 512-pixel tiles (what {@code seg4j predict} does with such an image).
   * Returns this object when nothing changes.
   */
  public PredictOptions forImage(int height, int width) {
    TileOptions t = tiles.forImage(height, width);
    return t == tiles ? this : new PredictOptions(t);
  }

  static PredictOptions of(TileOptions tiles) {
    return new PredictOptions(tiles);
  }

  TileOptions tiles() {
    return tiles;
  }

  @Override
  public String toString() {
    return tiles.toString();
  }

  /** Builds {@link PredictOptions}; {@link #build} checks the values. */
  public static final class Builder {
    private int tile;
    private double overlap = TileOptions.whole().overlap();
    private Blend blend = Blend.GAUSSIAN;
    private boolean flipTta;
    private int tileBatch = TileOptions.DEFAULT_TILE_BATCH;
    private double threshold = Double.NaN;

    private Builder() {}

    /** Sliding-window inference with tiles of this side (0, the default, is the whole image). */
    public Builder tile(int side) {
      this.tile = side;
      return this;
    }

    /** The fraction of a tile shared with its neighbour, in [0, 1); default 0.25. */
    public Builder overlap(double fraction) {
      this.overlap = fraction;
      return this;
    }

    /** The tile weighting; default Gaussian. */
    public Builder blend(Blend blend) {
      this.blend = blend;
      return this;
    }

    /** Averages the probabilities over identity, horizontal, vertical and both flips. */
    public Builder flipTta(boolean on) {
      this.flipTta = on;
      return this;
    }

    /** Tiles per forward pass; default {@value TileOptions#DEFAULT_TILE_BATCH}. */
    public Builder tileBatch(int tiles) {
      this.tileBatch = tiles;
      return this;
    }

    /** The foreground threshold of a sigmoid head, in (0, 1); default the model's own. */
    public Builder threshold(double t) {
      this.threshold = t;
      return this;
    }

    /**
     * The options.
     *
     * @throws IllegalArgumentException naming the parameter when a value is out of range
     */
    public PredictOptions build() {
      TileOptions.Blend b = TileOptions.Blend.valueOf(blend.name());
      return new PredictOptions(new TileOptions(tile, overlap, b, flipTta, tileBatch, threshold));
    }
  }
}
