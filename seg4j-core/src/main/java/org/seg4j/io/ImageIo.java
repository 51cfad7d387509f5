package org.seg4j.io;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Node;

/**
 * Reads PNG (8/16-bit grey, RGB, RGBA, palette), JPEG and TIFF into {@link RawImage} and writes
 * 8/16-bit PNG, JPEG and TIFF, using javax.imageio only. Thread-safe: every call uses its own
 * reader or writer.
 */
public final class ImageIo {
  static {
    ImageIO.setUseCache(false);
  }

  private ImageIo() {}

  /**
   * Decodes a whole image.
   *
   * @throws IOException naming the file when it is missing, of an unknown format, or corrupt
   */
  public static RawImage read(Path file) throws IOException {
    Decoded d = decode(file);
    try {
      return d.whole();
    } catch (IOException | RuntimeException e) {
      throw new IOException(file + ": corrupt or unreadable image (" + e.getMessage() + ")", e);
    }
  }

  /**
   * An image decoded into its compact in-memory form (one byte per 8-bit sample, as javax.imageio
   * holds it), from which rows are converted to {@link RawImage} samples on demand: a big image is
   * never held as one int per sample.
   *
   * @param format lower-case format name
   * @param image the decoded image
   * @param pngGrey whether it is a grey PNG (palette-typed grey images keep their grey values)
   */
  public record Decoded(String format, BufferedImage image, boolean pngGrey) {
    /** Width in pixels. */
    public int width() {
      return image.getWidth();
    }

    /** Height in pixels. */
    public int height() {
      return image.getHeight();
    }

    /** The whole image as raw samples. */
    public RawImage whole() throws IOException {
      return toRaw(format, image, pngGrey);
    }

    /** Rows {@code y0 .. y0 + n - 1} as raw samples, exactly as {@link #whole} has them. */
    public RawImage rows(int y0, int n) throws IOException {
      return toRaw(format, image.getSubimage(0, y0, image.getWidth(), n), pngGrey);
    }

    /** Bytes the decoded image holds. */
    public long bytes() {
      var buffer = image.getRaster().getDataBuffer();
      return (long) buffer.getSize()
          * buffer.getNumBanks()
          * DataBuffer.getDataTypeSize(buffer.getDataType())
          / 8;
    }
  }

  /**
   * Decodes an image into its compact form ({@link Decoded}).
   *
   * @throws IOException naming the file when it is missing, of an unknown format, or corrupt
   */
  public static Decoded decode(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such image file");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      if (in == null) {
        throw new IOException(file + ": cannot open for reading");
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IOException(
            file + ": not an image in a known format (PNG, JPEG, TIFF, BMP, GIF), or corrupt");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, false);
        String format = canonical(reader.getFormatName());
        BufferedImage image = reader.read(0);
        boolean pngGrey = format.equals("png") && isPngGrey(reader.getImageMetadata(0));
        return new Decoded(format, image, pngGrey);
      } catch (IOException | RuntimeException e) {
        throw new IOException(file + ": corrupt or unreadable image (" + e.getMessage() + ")", e);
      } finally {
        reader.dispose();
      }
    }
  }

  private static String canonical(String formatName) {
    String f = formatName.toLowerCase(Locale.ROOT);
    return switch (f) {
      case "jpg" -> "jpeg";
      case "tif" -> "tiff";
      default -> f;
    };
  }

  private static boolean isPngGrey(IIOMetadata metadata) {
    if (metadata == null) {
      return false;
    }
    Node root = metadata.getAsTree("javax_imageio_png_1.0");
    for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n.getNodeName().equals("IHDR")) {
        Node colorType = n.getAttributes().getNamedItem("colorType");
        return colorType != null && colorType.getNodeValue().equals("Grayscale");
      }
    }
    return false;
  }

  /** Converts an in-memory image (grey, RGB, ARGB, indexed) to raw samples. */
  public static RawImage fromBuffered(BufferedImage image) throws IOException {
    return toRaw("memory", image, image.getType() == BufferedImage.TYPE_BYTE_GRAY);
  }

  private static RawImage toRaw(String format, BufferedImage image, boolean pngGrey)
      throws IOException {
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    int w = image.getWidth();
    int h = image.getHeight();
    int type = raster.getDataBuffer().getDataType();
    if (type == DataBuffer.TYPE_FLOAT || type == DataBuffer.TYPE_DOUBLE) {
      throw new IOException("floating-point samples are not supported; save as 8- or 16-bit");
    }
    if (cm instanceof IndexColorModel icm) {
      int bits = raster.getSampleModel().getSampleSize(0);
      int[] indices = raster.getSamples(0, 0, w, h, 0, (int[]) null);
      if (pngGrey) {
        return new RawImage(format, w, h, 1, bits, false, null, indices);
      }
      int[] palette = new int[icm.getMapSize()];
      for (int i = 0; i < palette.length; i++) {
        palette[i] = icm.getRGB(i) & 0xFFFFFF;
      }
      return new RawImage(format, w, h, 1, bits, false, palette, indices);
    }
    int space = cm.getColorSpace().getType();
    int bands = raster.getNumBands();
    boolean known =
        (space == ColorSpace.TYPE_GRAY || space == ColorSpace.TYPE_RGB)
            && bands == cm.getNumComponents();
    if (!known) {
      // Unusual colour spaces (CMYK, YCbCr TIFF, ...): let Java convert to 8-bit sRGB.
      BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
      rgb.getGraphics().drawImage(image, 0, 0, null);
      return toRaw(format, rgb, false);
    }
    int bits = cm.getComponentSize(0);
    int[] data = raster.getPixels(0, 0, w, h, (int[]) null);
    return new RawImage(format, w, h, bands, bits, cm.hasAlpha(), null, data);
  }

  /**
   * Writes an image atomically ({@link AtomicFiles}: a crash or a full disk never leaves a
   * half-written file under the final name); the format follows the file extension (png, jpg/jpeg,
   * tif/tiff). JPEG takes only 8-bit grey or RGB. Parent folders are created. A PNG is marked as
   * {@link Provenance#DATA}.
   */
  public static void write(RawImage image, Path file) throws IOException {
    write(image, file, Provenance.DATA);
  }

  /**
   * Writes an image as {@link #write(RawImage, Path)} does; a PNG carries {@code marker} (see
   * {@link Provenance}) in a text chunk.
   */
  public static void write(RawImage image, Path file, String marker) throws IOException {
    String format = formatOf(file);
    writeRendered(toBuffered(checked(image, format, file)), format, file, marker);
  }

  /** The same as {@link #write(RawImage, Path)}: every write is atomic. */
  public static void writeAtomically(RawImage image, Path file) throws IOException {
    write(image, file);
  }

  /**
   * Encodes an image as PNG into {@code out} (left open), carrying {@code marker}: the same bytes
   * {@link #write(RawImage, Path, String)} stores in a {@code .png} file.
   */
  public static void writePng(RawImage image, OutputStream out, String marker) throws IOException {
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      encode(toBuffered(image), "png", ios, Path.of("image.png"), marker);
    }
  }

  /** Writes a drawn image (a chart, a panel) as PNG, atomically, carrying {@code marker}. */
  public static void writePng(BufferedImage image, Path file, String marker) throws IOException {
    writeRendered(image, "png", file, marker);
  }

  /**
   * Writes a rendered image atomically in the format of the file's extension, a PNG carrying {@code
   * marker}. The PNG writer asks for one row at a time, so an image whose rows are computed on
   * demand (see {@link RowImage}) is written without ever being whole in memory.
   */
  public static void writeRendered(RenderedImage image, Path file, String marker)
      throws IOException {
    writeRendered(image, formatOf(file), file, marker);
  }

  private static void writeRendered(RenderedImage buffered, String format, Path file, String marker)
      throws IOException {
    AtomicFiles.write(
        file,
        stream -> {
          try (ImageOutputStream out = ImageIO.createImageOutputStream(stream)) {
            encode(buffered, format, out, file, marker);
          }
        });
  }

  private static RawImage checked(RawImage image, String format, Path file) throws IOException {
    if (format.equals("jpeg") && (image.alpha() || image.bitDepth() > 8)) {
      throw new IOException(file + ": JPEG holds only 8-bit grey or RGB without alpha");
    }
    return image;
  }

  private static void encode(
      RenderedImage buffered, String format, ImageOutputStream out, Path file, String marker)
      throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
    if (!writers.hasNext()) {
      throw new IOException(file + ": no image writer for " + format);
    }
    ImageWriter writer = writers.next();
    try {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (format.equals("jpeg")) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.9f);
      }
      IIOMetadata metadata =
          format.equals("png") && marker != null ? marked(writer, buffered, param, marker) : null;
      writer.write(null, new IIOImage(buffered, null, metadata), param);
    } finally {
      writer.dispose();
    }
  }

  /** The writer's default PNG metadata for {@code image} with a {@code Software} text chunk. */
  private static IIOMetadata marked(
      ImageWriter writer, RenderedImage image, ImageWriteParam param, String marker)
      throws IOException {
    IIOMetadata metadata =
        writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
    IIOMetadataNode entry = new IIOMetadataNode("tEXtEntry");
    entry.setAttribute("keyword", Provenance.KEYWORD);
    entry.setAttribute("value", marker);
    IIOMetadataNode text = new IIOMetadataNode("tEXt");
    text.appendChild(entry);
    IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
    root.appendChild(text);
    metadata.mergeTree("javax_imageio_png_1.0", root);
    return metadata;
  }

  /** Writes 8-bit grey PNG (or other format by extension) from values 0..255, row-major. */
  public static void writeGrey8(Path file, int width, int height, int[] values) throws IOException {
    write(RawImage.grey8(width, height, values), file);
  }

  /** Writes a palette PNG from per-pixel indices and a {@code 0xRRGGBB} colour table. */
  public static void writePalette(Path file, int width, int height, int[] indices, int[] palette)
      throws IOException {
    write(RawImage.indexed(width, height, indices, palette), file);
  }

  private static String formatOf(Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    String ext = name.substring(name.lastIndexOf('.') + 1);
    return switch (ext) {
      case "png" -> "png";
      case "jpg", "jpeg" -> "jpeg";
      case "tif", "tiff" -> "tiff";
      case "bmp" -> "bmp";
      default -> throw new IOException(file + ": unknown image extension ." + ext);
    };
  }

  /**
   * An 8-bit RGB image as a {@code TYPE_3BYTE_BGR} image, the layout video encoders take directly.
   */
  public static BufferedImage toBgr(RawImage rgb) {
    if (rgb.channels() != 3 || rgb.bitDepth() != 8 || rgb.isPalette()) {
      throw new IllegalArgumentException("expected 8-bit RGB, got " + rgb.describe());
    }
    BufferedImage out = new BufferedImage(rgb.width(), rgb.height(), BufferedImage.TYPE_3BYTE_BGR);
    byte[] dst = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
    int[] src = rgb.data();
    for (int i = 0; i < src.length; i += 3) {
      dst[i] = (byte) src[i + 2];
      dst[i + 1] = (byte) src[i + 1];
      dst[i + 2] = (byte) src[i];
    }
    return out;
  }

  /** Converts raw samples to a displayable image. */
  public static BufferedImage toBuffered(RawImage image) {
    int w = image.width();
    int h = image.height();
    if (image.isPalette()) {
      int[] palette = image.palette();
      int size = palette.length;
      byte[] r = new byte[size];
      byte[] g = new byte[size];
      byte[] b = new byte[size];
      for (int i = 0; i < size; i++) {
        r[i] = (byte) (palette[i] >> 16);
        g[i] = (byte) (palette[i] >> 8);
        b[i] = (byte) palette[i];
      }
      IndexColorModel icm = new IndexColorModel(8, size, r, g, b);
      BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, icm);
      out.getRaster().setSamples(0, 0, w, h, 0, image.data());
      return out;
    }
    boolean grey = image.colorChannels() == 1;
    ColorSpace space = ColorSpace.getInstance(grey ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
    int dataType = image.bitDepth() > 8 ? DataBuffer.TYPE_USHORT : DataBuffer.TYPE_BYTE;
    ComponentColorModel cm =
        new ComponentColorModel(
            space,
            image.alpha(),
            false,
            image.alpha() ? Transparency.TRANSLUCENT : Transparency.OPAQUE,
            dataType);
    WritableRaster raster = cm.createCompatibleWritableRaster(w, h);
    raster.setPixels(0, 0, w, h, image.data());
    return new BufferedImage(cm, raster, false, null);
  }
}
