package org.seg4j.cli;

import java.awt.image.RenderedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;
import me.tongfei.progressbar.ProgressBar;
import org.seg4j.data.ClassNames;
import org.seg4j.data.ImageFiles;
import org.seg4j.infer.LoadedModel;
import org.seg4j.infer.Outputs;
import org.seg4j.infer.TileOptions;
import org.seg4j.io.ImageIo;
import org.seg4j.io.ProgressBars;
import org.seg4j.io.Provenance;

/**
 * {@code seg4j predict} of one tiled image in bounded memory: the image stays in its compact
 * decoded form, tiles are blended into a band one tile tall ({@link LoadedModel#stream}), the mask
 * is kept as one byte per pixel, and every output PNG is made row by row while it is written. The
 * pixels are those of the whole-image path. Used for images predicted with tiles (a {@code --tile},
 * or a side above {@link TileOptions#MAX_WHOLE_SIDE}) without an input resize.
 *
 * <p>Heap needed: about the decoded image (3 bytes a pixel for 8-bit RGB) + the mask (1 byte a
 * pixel; {@code prob} adds 1 byte a pixel per class) + {@code (classes + 1 + channels) x tile x
 * width x 4} bytes for the band and the rows the tiles read + {@code tile-batch x tile^2 x
 * (channels + 2 x classes) x 4} bytes for one forward pass.
 */
final class StreamedPredict {
  /** Images with more tiles than this get a progress bar over their tiles. */
  static final int TILE_BAR_FROM = 4;

  private final LoadedModel seg;
  private final PredictSaves saves;
  private final List<String> safeNames;
  private final Path output;
  private final double alpha;

  StreamedPredict(
      LoadedModel seg, PredictSaves saves, List<String> safeNames, Path output, double alpha) {
    this.seg = seg;
    this.saves = saves;
    this.safeNames = safeNames;
    this.output = output;
    this.alpha = alpha;
  }

  /** The inference options in use. */
  TileOptions options() {
    return seg.options();
  }

  /** Whether an {@code height x width} image is predicted here (tiled, no input resize). */
  boolean applies(int height, int width) {
    return seg.inputResize() == null
        && seg.classes() <= 256
        && (seg.options().tile() > 0 || Math.max(height, width) > TileOptions.MAX_WHOLE_SIDE);
  }

  /** The options for an image: --tile as given, else 512-pixel tiles as the whole path does. */
  static TileOptions tiled(TileOptions opts) {
    return opts.tile() > 0 ? opts : opts.withTile(TileOptions.AUTO_TILE);
  }

  /**
   * Predicts and writes one image; {@code images} is the bar over images, paused while a bar over
   * the tiles runs. Returns the pixels per class.
   */
  long[] predict(ImageFiles.Opened image, ProgressBar images) throws IOException {
    TileOptions opts = seg.options();
    seg.setOptions(tiled(opts));
    try {
      return predictTiled(image, images);
    } finally {
      seg.setOptions(opts);
    }
  }

  private long[] predictTiled(ImageFiles.Opened image, ProgressBar images) throws IOException {
    int h = image.height();
    int w = image.width();
    int classes = seg.classes();
    byte[] mask = new byte[h * w];
    byte[][] prob = saves.has(PredictSaves.Kind.PROB) ? new byte[classes][h * w] : null;
    long[] counts = new long[classes];
    int tiles = seg.tiles(h, w);
    ProgressBar bar = null;
    if (tiles > TILE_BAR_FROM) {
      images.pause();
      bar =
          ProgressBars.builder(image.file().getFileName().toString(), tiles)
              .setUnit(" tiles", 1)
              .build();
    }
    ProgressBar tileBar = bar;
    try {
      seg.stream(
          image,
          (y, probs, row) -> {
            for (int x = 0; x < w; x++) {
              mask[y * w + x] = (byte) row[x];
              counts[row[x]]++;
              if (prob != null) {
                for (int k = 0; k < classes; k++) {
                  prob[k][y * w + x] = (byte) Outputs.probabilityByte(probs[k * w + x]);
                }
              }
            }
          },
          () -> {
            if (tileBar != null) {
              tileBar.step();
            }
          });
    } finally {
      if (bar != null) {
        bar.close();
        images.resume();
      }
    }
    write(image, mask, prob);
    return counts;
  }

  /** Writes an output image atomically, marked as a prediction (so predict never re-reads it). */
  private static void put(RenderedImage image, Path file) throws IOException {
    ImageIo.writeRendered(image, file, Provenance.PREDICTION);
  }

  private void write(ImageFiles.Opened image, byte[] mask, byte[][] prob) throws IOException {
    int h = image.height();
    int w = image.width();
    int classes = seg.classes();
    String id = image.id();
    int own = image.ownChannels();
    IntFunction<float[]> display = y -> image.rows(y, 1, own);
    for (PredictSaves.Kind k : saves.kinds()) {
      switch (k) {
        case MASK -> put(Outputs.indexMask(w, h, mask), saves.file(output, k, id));
        case VIEW -> put(Outputs.viewableMask(w, h, mask, classes), saves.file(output, k, id));
        case OVERLAY ->
            put(
                Outputs.overlay(w, h, mask, classes, alpha, own, display),
                saves.file(output, k, id));
        case CUTOUT -> put(Outputs.cutout(w, h, mask, own, display), saves.file(output, k, id));
        case PROB -> {
          for (int c = 0; c < classes; c++) {
            String name = c < safeNames.size() ? safeNames.get(c) : ClassNames.numberedName(c);
            put(Outputs.probability(w, h, prob[c]), saves.probFile(output, id, name));
          }
        }
        case COUNTS -> {
          // one file for the run, written at the end
        }
      }
    }
  }

  /**
   * About the heap predicting an {@code image} needs in bytes, streamed or (for {@code streamed}
   * false) whole, for the out-of-memory message.
   */
  long need(ImageFiles.Opened image, boolean streamed) {
    long n = (long) image.height() * image.width();
    int k = seg.classes();
    int c = seg.inChannels();
    TileOptions opts = streamed ? tiled(seg.options()) : seg.options();
    TileOptions before = seg.options();
    seg.setOptions(opts);
    int[] side;
    int batch;
    try {
      side = seg.tileInput(image.height(), image.width());
      batch = Math.min(opts.batch(), seg.tiles(image.height(), image.width()));
    } finally {
      seg.setOptions(before);
    }
    long tile = (long) side[0] * side[1];
    long pass = (long) batch * tile * (c + 2L * k) * 4 * (opts.flipTta() ? 2 : 1);
    long band = (long) (k + 1 + c) * side[0] * image.width() * 4;
    if (streamed) {
      long probs = saves.has(PredictSaves.Kind.PROB) ? k * n : 0;
      return image.bytes() + n + probs + band + pass;
    }
    // the whole path: int samples, float planes (model, display, normalised), probabilities,
    // weights, mask and one output image at a time
    int own = 3;
    return image.bytes() + 4 * n * (own + 2L * c + own + k + 1 + 1 + 3) + band + pass;
  }
}
