package org.seg4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import org.seg4j.io.ImageIo;
import org.seg4j.io.RawImage;

/**
 * Decodes one {@link Entry} into a {@link Sample}, step by step so that the check can look at each
 * stage. Stateless and thread-safe; every failure is a {@link DatasetException} naming the file.
 *
 * @param channels declared input channels (1 or 3), or 0 to take what the files hold
 * @param convert whether grey/RGB images are converted to the declared channels
 * @param codec the mask codec
 * @param classes the number of classes, or 0 when unknown (no range check)
 * @param ignore the ignore index, or -1 for none
 * @param layout how mask files combine
 */
record SampleDecoder(
    int channels, boolean convert, MaskCodec codec, int classes, int ignore, MaskLayout layout) {

  /** Decodes image and masks of an entry. */
  Sample decode(Entry e) {
    RawImage image = readImage(e.image());
    float[] planes = planes(image, e.image());
    int[] mask = null;
    if (!e.masks().isEmpty()) {
      mask = decodeMasks(e, readMasks(e, image));
    }
    return new Sample(e.id(), outChannels(image), image.height(), image.width(), planes, mask);
  }

  /** Reads an image or mask file. */
  static RawImage readImage(Path file) {
    try {
      return ImageIo.read(file);
    } catch (IOException e) {
      String msg = e.getMessage() == null ? e.toString() : e.getMessage();
      String detail =
          msg.startsWith(file.toString()) ? msg.substring(file.toString().length()) : msg;
      return fail(
          new Problem(
              ProblemKind.UNREADABLE,
              file,
              "cannot be read" + (detail.startsWith(":") ? detail : ": " + detail),
              "replace or remove the file, or pass data.skip_bad=true to skip it"));
    }
  }

  /** Decodes an image file into its compact form; failures as {@link #readImage}. */
  static ImageIo.Decoded decodeImage(Path file) {
    try {
      return ImageIo.decode(file);
    } catch (IOException e) {
      return fail(unreadable(file, e));
    }
  }

  private static Problem unreadable(Path file, IOException e) {
    String msg = e.getMessage() == null ? e.toString() : e.getMessage();
    String detail = msg.startsWith(file.toString()) ? msg.substring(file.toString().length()) : msg;
    return new Problem(
        ProblemKind.UNREADABLE,
        file,
        "cannot be read" + (detail.startsWith(":") ? detail : ": " + detail),
        "replace or remove the file, or pass data.skip_bad=true to skip it");
  }

  /** Colour channels of an image as found: 1 for grey, 3 for RGB or palette; alpha not counted. */
  static int sourceChannels(RawImage raw) {
    return raw.isPalette() ? 3 : raw.colorChannels();
  }

  /** The channels a sample of this image will have. */
  int outChannels(RawImage raw) {
    return channels > 0 ? channels : sourceChannels(raw);
  }

  /** The image as float CHW planes in [0, 1], converted to the declared channels if asked. */
  float[] planes(RawImage raw, Path file) {
    int src = sourceChannels(raw);
    int dst = outChannels(raw);
    if (src != dst && !convert) {
      fail(
          new Problem(
              ProblemKind.CHANNELS,
              file,
              "has "
                  + src
                  + " channel"
                  + (src == 1 ? "" : "s")
                  + " ("
                  + raw.describe()
                  + ")"
                  + " but channels="
                  + dst,
              "add data.convert=true to convert grey/RGB to "
                  + dst
                  + " channel"
                  + (dst == 1 ? "" : "s")
                  + ", or declare data.channels="
                  + src));
    }
    int n = raw.pixels();
    float[] rgb = new float[src * n];
    float scale = raw.isPalette() ? 255f : raw.maxValue();
    for (int p = 0; p < n; p++) {
      if (raw.isPalette()) {
        int c = MaskPixels.colour(raw, p);
        rgb[p] = (c >> 16 & 255) / scale;
        rgb[n + p] = (c >> 8 & 255) / scale;
        rgb[2 * n + p] = (c & 255) / scale;
      } else {
        for (int c = 0; c < src; c++) {
          rgb[c * n + p] = raw.sample(p, c) / scale;
        }
      }
    }
    if (src == dst) {
      return rgb;
    }
    float[] out = new float[dst * n];
    for (int p = 0; p < n; p++) {
      if (dst == 1) {
        out[p] = 0.299f * rgb[p] + 0.587f * rgb[n + p] + 0.114f * rgb[2 * n + p];
      } else {
        for (int c = 0; c < dst; c++) {
          out[c * n + p] = rgb[p];
        }
      }
    }
    return out;
  }

  /** Reads the mask files of an entry and checks each has the image's size. */
  List<RawImage> readMasks(Entry e, RawImage image) {
    List<RawImage> masks = new ArrayList<>();
    for (Path file : e.masks()) {
      RawImage m = readImage(file);
      if (m.width() != image.width() || m.height() != image.height()) {
        fail(
            new Problem(
                ProblemKind.SIZE_MISMATCH,
                file,
                "is "
                    + m.width()
                    + "x"
                    + m.height()
                    + " but its image "
                    + e.image().getFileName()
                    + " is "
                    + image.width()
                    + "x"
                    + image.height(),
                "resize or replace the mask, or pass data.skip_bad=true to skip the pair"));
      }
      masks.add(m);
    }
    return masks;
  }

  /** Decodes and combines the masks and checks every value is a class or the ignore index. */
  int[] decodeMasks(Entry e, List<RawImage> raws) {
    List<int[]> decoded = new ArrayList<>();
    boolean multi = layout != MaskLayout.SINGLE;
    int limit = multi ? 2 : classes;
    for (int k = 0; k < raws.size(); k++) {
      Path file = e.masks().get(k);
      RawImage raw = raws.get(k);
      int[] labels;
      try {
        labels = codec.decode(raw);
      } catch (MaskCodecException ex) {
        return fail(MaskAdvisor.codecFailure(file, raw, codec, ex.getMessage(), limit));
      }
      if (limit > 0) {
        checkRange(file, raw, labels, limit, multi ? -1 : ignore);
      }
      decoded.add(labels);
    }
    return layout.combine(decoded);
  }

  private static void checkRange(Path file, RawImage raw, int[] labels, int limit, int ignore) {
    for (int v : labels) {
      if ((v < 0 || v >= limit) && v != ignore) {
        SortedSet<Integer> values = MaskPixels.distinct(labels);
        fail(MaskAdvisor.outOfRange(file, raw, values, limit, ignore));
      }
    }
  }

  private static <T> T fail(Problem p) {
    throw new DatasetException(p);
  }
}
