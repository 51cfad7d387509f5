package org.seg4j.io;

import java.awt.Image;
import java.awt.Rectangle;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.awt.image.SampleModel;
import java.awt.image.WritableRaster;
import java.util.Vector;

/**
 * An 8-bit image whose rows are computed when asked for, so that a big output (a mask, an overlay)
 * is written by {@link ImageIo#writeRendered(RenderedImage, java.nio.file.Path, String)} without
 * ever existing whole in memory: javax.imageio's PNG writer asks for one row at a time. The image
 * is one column of tiles, each {@link #TILE_ROWS} rows high.
 */
public final class RowImage implements RenderedImage {
  /** Rows per tile. */
  static final int TILE_ROWS = 16;

  /** Computes one row. */
  @FunctionalInterface
  public interface Rows {
    /**
     * Fills {@code samples} with row {@code y}: {@code width * bands} interleaved 8-bit samples
     * (palette indices for a palette image).
     */
    void row(int y, int[] samples);
  }

  private final int width;
  private final int height;
  private final int bands;
  private final ColorModel colours;
  private final Rows rows;

  private RowImage(int width, int height, int bands, ColorModel colours, Rows rows) {
    this.width = width;
    this.height = height;
    this.bands = bands;
    this.colours = colours;
    this.rows = rows;
  }

  /** 8-bit grey (1 band), RGB (3) or RGBA (4). */
  public static RowImage of(int width, int height, int bands, Rows rows) {
    if (bands != 1 && bands != 3 && bands != 4) {
      throw new IllegalArgumentException("bands must be 1, 3 or 4, got " + bands);
    }
    ColorSpace space = ColorSpace.getInstance(bands == 1 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
    boolean alpha = bands == 4;
    ColorModel cm =
        new ComponentColorModel(
            space,
            alpha,
            false,
            alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE,
            DataBuffer.TYPE_BYTE);
    return new RowImage(width, height, bands, cm, rows);
  }

  /** An 8-bit palette image over {@code 0xRRGGBB} colours (as {@link ImageIo#toBuffered}). */
  public static RowImage indexed(int width, int height, int[] palette, Rows rows) {
    byte[] r = new byte[palette.length];
    byte[] g = new byte[palette.length];
    byte[] b = new byte[palette.length];
    for (int i = 0; i < palette.length; i++) {
      r[i] = (byte) (palette[i] >> 16);
      g[i] = (byte) (palette[i] >> 8);
      b[i] = (byte) palette[i];
    }
    return new RowImage(width, height, 1, new IndexColorModel(8, palette.length, r, g, b), rows);
  }

  @Override
  public Raster getData(Rectangle rect) {
    Rectangle r = rect.intersection(new Rectangle(0, 0, width, height));
    WritableRaster out =
        colours
            .createCompatibleWritableRaster(r.width, r.height)
            .createWritableTranslatedChild(r.x, r.y);
    int[] row = new int[width * bands];
    int[] part = r.width == width ? row : new int[r.width * bands];
    for (int y = r.y; y < r.y + r.height; y++) {
      rows.row(y, row);
      if (part != row) {
        System.arraycopy(row, r.x * bands, part, 0, part.length);
      }
      out.setPixels(r.x, y, r.width, 1, part);
    }
    return out;
  }

  @Override
  public Raster getData() {
    return getData(new Rectangle(0, 0, width, height));
  }

  @Override
  public WritableRaster copyData(WritableRaster raster) {
    WritableRaster out =
        raster != null ? raster : colours.createCompatibleWritableRaster(width, height);
    Rectangle r = out.getBounds().intersection(new Rectangle(0, 0, width, height));
    for (int y = r.y; y < r.y + r.height; y += TILE_ROWS) {
      int n = Math.min(TILE_ROWS, r.y + r.height - y);
      out.setRect(getData(new Rectangle(r.x, y, r.width, n)));
    }
    return out;
  }

  @Override
  public Raster getTile(int tileX, int tileY) {
    int y = tileY * TILE_ROWS;
    return getData(new Rectangle(0, y, width, Math.min(TILE_ROWS, height - y)));
  }

  @Override
  public Vector<RenderedImage> getSources() {
    return null;
  }

  @Override
  public Object getProperty(String name) {
    return Image.UndefinedProperty;
  }

  @Override
  public String[] getPropertyNames() {
    return null;
  }

  @Override
  public ColorModel getColorModel() {
    return colours;
  }

  @Override
  public SampleModel getSampleModel() {
    return colours.createCompatibleSampleModel(width, TILE_ROWS);
  }

  @Override
  public int getWidth() {
    return width;
  }

  @Override
  public int getHeight() {
    return height;
  }

  @Override
  public int getMinX() {
    return 0;
  }

  @Override
  public int getMinY() {
    return 0;
  }

  @Override
  public int getNumXTiles() {
    return 1;
  }

  @Override
  public int getNumYTiles() {
    return (height + TILE_ROWS - 1) / TILE_ROWS;
  }

  @Override
  public int getMinTileX() {
    return 0;
  }

  @Override
  public int getMinTileY() {
    return 0;
  }

  @Override
  public int getTileWidth() {
    return width;
  }

  @Override
  public int getTileHeight() {
    return TILE_ROWS;
  }

  @Override
  public int getTileGridXOffset() {
    return 0;
  }

  @Override
  public int getTileGridYOffset() {
    return 0;
  }
}
