package org.seg4j.io;

/**
 * A decoded image as raw integer samples, keeping the file's bit depth and, for palette images, the
 * palette index of each pixel (never converted to colour).
 *
 * <p>Samples are interleaved per pixel: {@code data[(y * width + x) * channels + c]}. Channels are
 * grey (1), grey+alpha (2), RGB (3) or RGBA (4); a palette image has one channel holding indices
 * into {@link #palette()} ({@code 0xRRGGBB} entries).
 *
 * @param format lower-case format name reported by the reader ("png", "jpeg", "tiff", ...)
 * @param width width in pixels
 * @param height height in pixels
 * @param channels samples per pixel, alpha included
 * @param bitDepth bits per sample (1, 2, 4, 8 or 16)
 * @param alpha whether the last channel is alpha
 * @param palette the colour table of a palette image, or null
 * @param data the samples
 */
public record RawImage(
    String format,
    int width,
    int height,
    int channels,
    int bitDepth,
    boolean alpha,
    int[] palette,
    int[] data) {

  /** Checks that the sample array fits the declared sizes. */
  public RawImage {
    if (channels < 1 || channels > 4) {
      throw new IllegalArgumentException("channels must be 1..4, got " + channels);
    }
    if (data.length != width * height * channels) {
      throw new IllegalArgumentException(
          "data holds " + data.length + " samples, expected " + width * height * channels);
    }
    if (palette != null && channels != 1) {
      throw new IllegalArgumentException("a palette image has one channel, got " + channels);
    }
  }

  /** An 8-bit grey image. */
  public static RawImage grey8(int width, int height, int[] values) {
    return new RawImage("raw", width, height, 1, 8, false, null, values);
  }

  /** An 8-bit RGB image from interleaved samples. */
  public static RawImage rgb8(int width, int height, int[] rgb) {
    return new RawImage("raw", width, height, 3, 8, false, null, rgb);
  }

  /** A palette image from per-pixel indices and a {@code 0xRRGGBB} colour table. */
  public static RawImage indexed(int width, int height, int[] indices, int[] palette) {
    return new RawImage("raw", width, height, 1, 8, false, palette, indices);
  }

  /** Whether pixels are indices into a palette. */
  public boolean isPalette() {
    return palette != null;
  }

  /** Number of colour channels, alpha not counted (a palette image counts as one). */
  public int colorChannels() {
    return alpha ? channels - 1 : channels;
  }

  /** The largest sample value the bit depth allows (255 for 8-bit). */
  public int maxValue() {
    return (1 << bitDepth) - 1;
  }

  /** Number of pixels. */
  public int pixels() {
    return width * height;
  }

  /** The sample of channel c at pixel index p (p = y * width + x). */
  public int sample(int p, int c) {
    return data[p * channels + c];
  }

  /** Short human description such as "8-bit grey png" or "palette png". */
  public String describe() {
    String kind;
    if (isPalette()) {
      kind = "palette";
    } else {
      kind =
          switch (channels) {
            case 1 -> "grey";
            case 2 -> "grey+alpha";
            case 3 -> "RGB";
            default -> "RGBA";
          };
    }
    return bitDepth + "-bit " + kind + " " + format;
  }
}
