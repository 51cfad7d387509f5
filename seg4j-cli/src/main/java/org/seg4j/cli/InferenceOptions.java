package org.seg4j.cli;

import java.util.Locale;
import org.seg4j.infer.TileOptions;
import picocli.CommandLine.Option;

/** Tiling and test-time augmentation options shared by predict, eval and serve. */
final class InferenceOptions {
  @Option(
      names = "--tile",
      defaultValue = "0",
      description = "sliding-window tile side (0: whole image; large images are tiled anyway)")
  int tile;

  @Option(names = "--overlap", defaultValue = "0.25", description = "tile overlap fraction")
  double overlap;

  @Option(
      names = "--blend",
      defaultValue = "gaussian",
      description = "tile blending: gaussian, linear or constant")
  String blend;

  @Option(
      names = {"--flip-tta", "--tta"},
      description = "average over horizontal/vertical flips")
  boolean flipTta;

  @Option(
      names = "--threshold",
      description = "sigmoid (1-class) heads: foreground above this (default: the run's, 0.5)")
  Double threshold;

  @Option(
      names = "--tile-batch",
      defaultValue = "" + TileOptions.DEFAULT_TILE_BATCH,
      description = "tiles per forward pass (default: ${DEFAULT-VALUE})")
  int tileBatch;

  TileOptions options() {
    TileOptions.Blend b;
    try {
      b = TileOptions.Blend.valueOf(blend.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--blend " + blend + " is not known: use gaussian, linear or constant");
    }
    return new TileOptions(
        tile, overlap, b, flipTta, tileBatch, threshold == null ? Double.NaN : threshold);
  }
}
