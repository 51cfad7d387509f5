package org.seg4j.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
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
 * Draws a panel of rows {@code image | truth | prediction} (Java2D, headless) for the eval report:
 * each row is scaled to a fixed height and captioned with the image's id and score; masks are drawn
 * in the class colours of {@link Outputs#colours}, ignored pixels in grey.
 */
final class Panels {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** Colour of ignored (void) truth pixels. */
  static final int IGNORE_COLOUR = 0x808080;

  private static final int GAP = 8;
  private static final int CAPTION = 22;
  private static final String[] COLUMNS = {"image", "truth", "prediction"};

  /**
   * One row.
   *
   * @param image the raw image ([0, 1] values, CHW)
   * @param truth the true class per pixel (H×W)
   * @param prediction the predicted class per pixel (H×W)
   * @param caption text above the row, e.g. the id and its IoU
   */
  public record Row(Sample image, int[] truth, int[] prediction, String caption) {}

  private static final int SWATCH = 12;

  private final int rowHeight;
  private final List<String> classNames;
  private final int[] colours;
  private final int ignoreIndex;

  /**
   * @param rowHeight height every row is scaled to, e.g. 256
   * @param classNames one name per class (their number picks the colours; shown as a legend)
   * @param ignoreIndex truth value drawn grey
   */
  public Panels(int rowHeight, List<String> classNames, int ignoreIndex) {
    if (rowHeight < 16) {
      throw new IllegalArgumentException("panel row height " + rowHeight + " must be >= 16");
    }
    this.rowHeight = rowHeight;
    this.classNames = List.copyOf(classNames);
    this.colours = Outputs.colours(classNames.size());
    this.ignoreIndex = ignoreIndex;
  }

  /** Draws the rows under a title. */
  public BufferedImage draw(String title, List<Row> rows) {
    int width = 0;
    for (Row r : rows) {
      width = Math.max(width, 3 * tileWidth(r.image()) + 4 * GAP);
    }
    width = Math.max(width, 3 * rowHeight + 4 * GAP);
    Font plain = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    int legendLines = legend(null, plain, width);
    int header = (2 + legendLines) * CAPTION + GAP;
    int height = header + rows.size() * (CAPTION + rowHeight + GAP) + GAP;
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
      g.drawString(title, GAP, CAPTION - 4);
      g.setFont(plain);
      legend(g, plain, width);
      g.setColor(Color.BLACK);
      int colWidth = rows.isEmpty() ? rowHeight : tileWidth(rows.get(0).image());
      for (int c = 0; c < COLUMNS.length; c++) {
        g.drawString(COLUMNS[c], GAP + c * (colWidth + GAP), header - GAP - 4);
      }
      int y = header;
      for (Row r : rows) {
        g.setColor(Color.DARK_GRAY);
        g.drawString(r.caption(), GAP, y + CAPTION - 6);
        y += CAPTION;
        int w = tileWidth(r.image());
        Sample s = r.image();
        drawTile(g, image(s), GAP, y, w, true);
        drawTile(g, mask(r.truth(), s.width(), s.height()), 2 * GAP + w, y, w, false);
        drawTile(g, mask(r.prediction(), s.width(), s.height()), 3 * GAP + 2 * w, y, w, false);
        y += rowHeight + GAP;
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  /** Draws the rows and saves them as PNG. */
  public Path write(Path png, String title, List<Row> rows) throws IOException {
    ImageIo.writePng(draw(title, rows), png, Provenance.REPORT);
    return png;
  }

  /**
   * Draws the class-colour legend below the title, wrapping at {@code width}, and returns its
   * number of lines; with a null graphics it only measures.
   */
  private int legend(Graphics2D g, Font font, int width) {
    FontMetrics fm;
    if (g != null) {
      fm = g.getFontMetrics(font);
    } else {
      Graphics2D scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
      fm = scratch.getFontMetrics(font);
      scratch.dispose();
    }
    int lines = 1;
    int x = GAP;
    for (int k = 0; k <= classNames.size(); k++) {
      boolean ignore = k == classNames.size();
      String name = ignore ? "ignored" : classNames.get(k);
      int itemWidth = SWATCH + 4 + fm.stringWidth(name) + 2 * GAP;
      if (x + itemWidth > width && x > GAP) {
        lines++;
        x = GAP;
      }
      if (g != null) {
        int base = (lines + 1) * CAPTION - 6;
        g.setColor(new Color(ignore ? IGNORE_COLOUR : colours[k]));
        g.fillRect(x, base - SWATCH + 1, SWATCH, SWATCH);
        g.setColor(Color.GRAY);
        g.drawRect(x, base - SWATCH + 1, SWATCH, SWATCH);
        g.setColor(Color.DARK_GRAY);
        g.drawString(name, x + SWATCH + 4, base);
      }
      x += itemWidth;
    }
    return lines;
  }

  private int tileWidth(Sample s) {
    return Math.max(1, (int) Math.round((double) s.width() * rowHeight / s.height()));
  }

  private void drawTile(Graphics2D g, BufferedImage tile, int x, int y, int w, boolean smooth) {
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION,
        smooth
            ? RenderingHints.VALUE_INTERPOLATION_BILINEAR
            : RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
    g.drawImage(tile, x, y, w, rowHeight, null);
    g.setColor(Color.LIGHT_GRAY);
    g.drawRect(x - 1, y - 1, w + 1, rowHeight + 1);
  }

  /** The raw image as RGB: grey for one channel, the first three channels otherwise. */
  static BufferedImage image(Sample s) {
    int n = s.height() * s.width();
    BufferedImage out = new BufferedImage(s.width(), s.height(), BufferedImage.TYPE_INT_RGB);
    int[] rgb = new int[n];
    boolean colour = s.channels() >= 3;
    for (int i = 0; i < n; i++) {
      int r = byteOf(s.image()[i]);
      int g = colour ? byteOf(s.image()[n + i]) : r;
      int b = colour ? byteOf(s.image()[2 * n + i]) : r;
      rgb[i] = r << 16 | g << 8 | b;
    }
    out.setRGB(0, 0, s.width(), s.height(), rgb, 0, s.width());
    return out;
  }

  /** A class mask in the class colours; the ignore index and unknown values grey. */
  BufferedImage mask(int[] mask, int width, int height) {
    int[] rgb = new int[mask.length];
    for (int i = 0; i < mask.length; i++) {
      int k = mask[i];
      rgb[i] = k == ignoreIndex || k < 0 || k >= colours.length ? IGNORE_COLOUR : colours[k];
    }
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    out.setRGB(0, 0, width, height, rgb, 0, width);
    return out;
  }

  private static int byteOf(float v) {
    return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
  }
}
