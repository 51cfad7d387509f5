package org.seg4j.serve;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The image in a segment request's body: the raw bytes, or the part named {@code image} (else the
 * first file part) of a {@code multipart/form-data} body. Only PNG, JPEG and TIFF are decoded,
 * recognised by their first bytes whatever the {@code Content-Type} says (else 415); the size is
 * read from the header and checked against the pixel limit before anything is decoded (413); a body
 * that does not decode is a 400.
 */
final class Upload {
  private Upload() {}

  /** A decoded upload: the image and its format ({@code png}, {@code jpeg}, {@code tiff}). */
  record Image(BufferedImage image, String format) {}

  /**
   * Decodes a body.
   *
   * @param body the request body
   * @param contentType the request's {@code Content-Type}, or null
   * @param maxPixels the largest width × height accepted
   * @throws HttpError 400, 413 or 415 naming the problem
   */
  static Image decode(byte[] body, String contentType, long maxPixels) {
    byte[] bytes = body;
    String type = contentType;
    if (contentType != null
        && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      Multipart.Part part = Multipart.imagePart(body, contentType);
      bytes = part.body();
      type = part.contentType();
    }
    String format = sniff(bytes);
    if (format == null) {
      throw new HttpError(415, notAnImage(bytes, type));
    }
    return new Image(read(bytes, format, maxPixels), format);
  }

  /** The format the first bytes announce ({@code png}, {@code jpeg}, {@code tiff}), or null. */
  static String sniff(byte[] b) {
    if (starts(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return "png";
    }
    if (starts(b, 0xFF, 0xD8, 0xFF)) {
      return "jpeg";
    }
    if (starts(b, 'I', 'I', 42, 0) || starts(b, 'M', 'M', 0, 42)) {
      return "tiff";
    }
    return null;
  }

  private static boolean starts(byte[] b, int... magic) {
    if (b.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((b[i] & 255) != magic[i]) {
        return false;
      }
    }
    return true;
  }

  private static String notAnImage(byte[] bytes, String type) {
    String found;
    if (bytes.length == 0) {
      found = "the body is empty";
    } else {
      found =
          "the body"
              + (type == null || type.isBlank() ? "" : " (Content-Type " + type.strip() + ")")
              + " starts with "
              + printable(bytes)
              + ", which is not an image";
    }
    return found + ": send a PNG, JPEG or TIFF image, raw or as the multipart part 'image'";
  }

  /** Up to 8 leading bytes as text in quotes when printable, else as hex. */
  private static String printable(byte[] bytes) {
    int n = Math.min(8, bytes.length);
    boolean text = true;
    for (int i = 0; i < n; i++) {
      int c = bytes[i] & 255;
      text &= c >= 0x20 && c < 0x7F;
    }
    if (text) {
      return "'" + new String(bytes, 0, n, StandardCharsets.US_ASCII) + "'";
    }
    StringBuilder sb = new StringBuilder("bytes");
    for (int i = 0; i < n; i++) {
      sb.append(String.format(Locale.ROOT, " %02x", bytes[i] & 255));
    }
    return sb.toString();
  }

  private static BufferedImage read(byte[] bytes, String format, long maxPixels) {
    String name = format.toUpperCase(Locale.ROOT);
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
      if (in == null || !readers.hasNext()) {
        throw new HttpError(415, "this server has no " + name + " reader: send PNG or JPEG");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long w = reader.getWidth(0);
        long h = reader.getHeight(0);
        if (w * h > maxPixels) {
          throw new HttpError(
              413,
              String.format(
                  Locale.ROOT,
                  "the image is %dx%d = %,d pixels, over the limit of %,d: send a smaller image or"
                      + " start the server with a larger --max-image-pixels",
                  w,
                  h,
                  w * h,
                  maxPixels));
        }
        BufferedImage image = reader.read(0);
        if (image == null) {
          throw new IOException("no image decoded");
        }
        return image;
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof HttpError h) {
        throw h;
      }
      throw new HttpError(
          400,
          "the "
              + name
              + " image cannot be decoded ("
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
              + "): it is corrupt or truncated; send the whole file");
    }
  }
}
