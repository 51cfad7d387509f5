package org.seg4j.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.seg4j.data.Sample;
import org.seg4j.infer.Outputs;
import org.seg4j.io.ImageIo;
import org.seg4j.io.Provenance;

/**
 * A grid of samples before and after an augmentation pipeline ({@code seg4j augment --preview}):
 * one row per sample with the columns image, mask, augmented image, augmented mask. Every tile is
 * drawn into a square cell of {@code cell} pixels (scaled to fit, aspect kept, nearest-neighbour
 * for masks); masks are in the class colours of {@link Outputs#colours}, ignored pixels grey.
 */
public final class AugmentPreview {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** Space between cells and around the grid. */
  public static final int GAP = 8;

  /** Height of a caption line (title, legend, column names, row ids). */
  public static final int CAPTION = 22;

  /** Column titles. */
  public static final List<String> COLUMNS =
      List.of("image", "mask", "augmented image", "augmented mask");

  private static final int HEADER = 3 * CAPTION;

  /**
   * One row.
   *
   * @param before the sample as read
   * @param after the sample after the pipeline
   */
  public record Row(Sample before, Sample after) {}

  private final int cell;
  private final List<String> classNames;
  private final Panels masks;

  /**
   * @param cell side of each square cell in pixels (at least 16)
   * @param classNames one name per class (shown as a colour legend)
   * @param ignoreIndex mask value drawn grey
   */
  public AugmentPreview(int cell, List<String> classNames, int ignoreIndex) {
    if (cell < 16) {
      throw new IllegalArgumentException("preview cell size " + cell + " must be >= 16");
    }
    this.cell = cell;
    this.classNames = List.copyOf(classNames);
    this.masks = new Panels(cell, classNames, ignoreIndex);
  }

  /** The width of a preview: four cells and five gaps. */
  public static int width(int cell) {
    return 4 * cell + 5 * GAP;
  }

  /** The height of a preview of {@code rows} rows. */
  public static int height(int rows, int cell) {
    return HEADER + rows * (CAPTION + cell + GAP) + GAP;
  }

  /** The top-left corner of the cell in row {@code row}, column {@code col} (both from 0). */
  public static Point origin(int row, int col, int cell) {
    return new Point(GAP + col * (cell + GAP), HEADER + row * (CAPTION + cell + GAP) + CAPTION);
  }

  /** Draws the grid. */
  public BufferedImage draw(String title, List<Row> rows) {
    int w = width(cell);
    int h = height(rows.size(), cell);
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
      g.drawString(title, GAP, CAPTION - 6);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      legend(g);
      g.setColor(Color.BLACK);
      for (int c = 0; c < COLUMNS.size(); c++) {
        g.drawString(COLUMNS.get(c), GAP + c * (cell + GAP), 3 * CAPTION - 6);
      }
      for (int r = 0; r < rows.size(); r++) {
        Row row = rows.get(r);
        Point o = origin(r, 0, cell);
        g.setColor(Color.DARK_GRAY);
        g.drawString(row.before().id(), GAP, o.y - 6);
        Sample[] s = {row.before(), row.before(), row.after(), row.after()};
        for (int c = 0; c < 4; c++) {
          BufferedImage tile =
              c % 2 == 0
                  ? Panels.image(s[c])
                  : masks.mask(s[c].mask(), s[c].width(), s[c].height());
          draw(g, tile, origin(r, c, cell), c % 2 == 0);
        }
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  /** Draws the grid and writes it as PNG atomically. */
  public Path write(Path png, String title, List<Row> rows) throws IOException {
    ImageIo.writePng(draw(title, rows), png, Provenance.REPORT);
    return png;
  }

  private void legend(Graphics2D g) {
    int[] colours = Outputs.colours(classNames.size());
    int x = GAP;
    int base = 2 * CAPTION - 6;
    for (int k = 0; k <= classNames.size(); k++) {
      boolean ignore = k == classNames.size();
      String name = ignore ? "ignored" : classNames.get(k);
      g.setColor(new Color(ignore ? Panels.IGNORE_COLOUR : colours[k]));
      g.fillRect(x, base - 10, 10, 10);
      g.setColor(Color.GRAY);
      g.drawRect(x, base - 10, 10, 10);
      g.setColor(Color.DARK_GRAY);
      g.drawString(name, x + 14, base);
      x += 14 + g.getFontMetrics().stringWidth(name) + GAP;
    }
  }

  /** Scales a tile to fit the cell, keeping its aspect, centred. */
  private void draw(Graphics2D g, BufferedImage tile, Point o, boolean smooth) {
    double scale = Math.min((double) cell / tile.getWidth(), (double) cell / tile.getHeight());
    int tw = Math.max(1, (int) Math.round(tile.getWidth() * scale));
    int th = Math.max(1, (int) Math.round(tile.getHeight() * scale));
    int x = o.x + (cell - tw) / 2;
    int y = o.y + (cell - th) / 2;
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION,
        smooth
            ? RenderingHints.VALUE_INTERPOLATION_BILINEAR
            : RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
    g.drawImage(tile, x, y, tw, th, null);
    g.setColor(Color.LIGHT_GRAY);
    g.drawRect(o.x - 1, o.y - 1, cell + 1, cell + 1);
  }
}
