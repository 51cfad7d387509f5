package org.seg4j.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.seg4j.io.ImageIo;
import org.seg4j.io.RawImage;

/**
 * Reads a single unlabelled image, from a file or memory, into a {@link Sample} with the channels a
 * model takes (grey and RGB converted as datasets do), for prediction.
 */
public final class ImageFiles {
  private ImageFiles() {}

  /**
   * An image read once: as the model takes it ({@code model}, converted to its channels) and in the
   * file's own colours ({@code display}: grey stays grey, RGB and palette images are RGB, alpha is
   * dropped), for pictures made from the prediction. Both are the same sample when the channels
   * agree.
   *
   * @param model the image with the model's channels
   * @param display the image with its own colour channels (1 or 3)
   */
  public record Read(Sample model, Sample display) {}

  /** Reads an image file; a non-image or corrupt file fails naming the file and the fix. */
  public static Sample read(Path file, int channels) {
    return readBoth(file, channels).model();
  }

  /** Reads an image file for the model and for display; failures as {@link #read}. */
  public static Read readBoth(Path file, int channels) {
    var raw = SampleDecoder.readImage(file);
    String name = file.getFileName().toString();
    String id = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
    return decode(raw, file, id, channels);
  }

  /**
   * An image file decoded into its compact form (see {@link ImageIo.Decoded}), for predicting an
   * image too big to hold as floats: {@link #rows} converts rows on demand exactly as {@link
   * #readBoth} converts the whole image.
   */
  public static final class Opened {
    private final Path file;
    private final String id;
    private final ImageIo.Decoded decoded;

    private Opened(Path file, String id, ImageIo.Decoded decoded) {
      this.file = file;
      this.id = id;
      this.decoded = decoded;
    }

    /** The file. */
    public Path file() {
      return file;
    }

    /** The id: the file name without its extension. */
    public String id() {
      return id;
    }

    /** Width in pixels. */
    public int width() {
      return decoded.width();
    }

    /** Height in pixels. */
    public int height() {
      return decoded.height();
    }

    /** Bytes the decoded image holds. */
    public long bytes() {
      return decoded.bytes();
    }

    /** The image's own colour channels: 1 for grey, 3 for RGB or palette; alpha not counted. */
    public int ownChannels() {
      return SampleDecoder.sourceChannels(strip(0, 1));
    }

    /** The whole image, as {@link #readBoth} reads it. */
    public Read read(int channels) {
      return decode(raw(), file, id, channels);
    }

    /**
     * Rows {@code y0 .. y0 + n - 1} as float CHW planes in [0, 1] with {@code channels} channels
     * (the model's, or {@link #ownChannels} for display), the values {@link #read} gives.
     */
    public float[] rows(int y0, int n, int channels) {
      return new SampleDecoder(channels, true, null, 0, -1, null).planes(strip(y0, n), file);
    }

    private RawImage raw() {
      try {
        return decoded.whole();
      } catch (IOException e) {
        throw unreadable(e);
      }
    }

    private RawImage strip(int y0, int n) {
      try {
        return decoded.rows(y0, n);
      } catch (IOException e) {
        throw unreadable(e);
      }
    }

    private DatasetException unreadable(IOException e) {
      return new DatasetException(
          new Problem(
              ProblemKind.UNREADABLE,
              file,
              "cannot be read: " + e.getMessage(),
              "replace or remove the file, or pass data.skip_bad=true to skip it"));
    }
  }

  /**
   * Decodes an image file into its compact form; a non-image or corrupt file fails as {@link #read}
   * does.
   */
  public static Opened open(Path file) {
    ImageIo.Decoded d = SampleDecoder.decodeImage(file);
    String name = file.getFileName().toString();
    String id = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
    return new Opened(file, id, d);
  }

  private static Read decode(RawImage raw, Path file, String id, int channels) {
    SampleDecoder d = new SampleDecoder(channels, true, null, 0, -1, null);
    Sample model = new Sample(id, channels, raw.height(), raw.width(), d.planes(raw, file), null);
    int own = SampleDecoder.sourceChannels(raw);
    if (own == channels) {
      return new Read(model, model);
    }
    SampleDecoder o = new SampleDecoder(own, true, null, 0, -1, null);
    return new Read(
        model, new Sample(id, own, raw.height(), raw.width(), o.planes(raw, file), null));
  }

  /** Converts an in-memory image for the model and for display. */
  public static Read ofBoth(BufferedImage image, String id, int channels) {
    try {
      return decode(ImageIo.fromBuffered(image), Path.of(id), id, channels);
    } catch (IOException e) {
      throw new IllegalArgumentException(id + ": " + e.getMessage(), e);
    }
  }

  /** Converts an in-memory image. */
  public static Sample of(BufferedImage image, String id, int channels) {
    SampleDecoder d = new SampleDecoder(channels, true, null, 0, -1, null);
    try {
      var raw = ImageIo.fromBuffered(image);
      return new Sample(id, channels, raw.height(), raw.width(), d.planes(raw, Path.of(id)), null);
    } catch (IOException e) {
      throw new IllegalArgumentException(id + ": " + e.getMessage(), e);
    }
  }
}
