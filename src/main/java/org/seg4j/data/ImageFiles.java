package org.seg4j.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.seg4j.io.ImageIo;

/**
 * Reads a single unlabelled image, from a file or memory, into a {@link Sample} with the channels a
 * model takes (grey and RGB converted as datasets do), for prediction.
 */
public final class ImageFiles {
  private ImageFiles() {}

  /** Reads an image file; a non-image or corrupt file fails naming the file and the fix. */
  public static Sample read(Path file, int channels) {
    SampleDecoder d = new SampleDecoder(channels, true, null, 0, -1, null);
    var raw = SampleDecoder.readImage(file);
    String name = file.getFileName().toString();
    String id = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
    return new Sample(id, channels, raw.height(), raw.width(), d.planes(raw, file), null);
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
