package org.seg4j.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Opens videos for reading and writing, in pure Java: H.264 in MP4/MOV (JCodec; B-frames are put
 * back in display order) and MJPEG in AVI (seg4j's own RIFF reader and writer, frames through
 * javax.imageio). Anything else fails naming the file, what it holds and how to convert it.
 */
public final class Videos {
  /** File extensions read as video. */
  public static final List<String> EXTENSIONS = List.of("mp4", "mov", "m4v", "avi");

  /** How to turn another video into one seg4j reads. */
  static final String CONVERT =
      "convert it to H.264 MP4 (e.g. ffmpeg -i IN -c:v libx264 -pix_fmt yuv420p OUT.mp4) or"
          + " MJPEG AVI (ffmpeg -i IN -c:v mjpeg -q:v 3 OUT.avi)";

  private Videos() {}

  /** Whether the file's extension is a video one. */
  public static boolean isVideo(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    int dot = n.lastIndexOf('.');
    return dot >= 0 && EXTENSIONS.contains(n.substring(dot + 1));
  }

  /**
   * Opens a video by its content (RIFF/AVI or an ISO MP4/MOV box), whatever its extension.
   *
   * @throws IOException naming the file when it is missing, of another kind or codec, or corrupt
   */
  public static VideoReader open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such video file");
    }
    byte[] head = new byte[12];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    String riff = n >= 12 ? new String(head, 0, 4, StandardCharsets.ISO_8859_1) : "";
    String kind = n >= 12 ? new String(head, 8, 4, StandardCharsets.ISO_8859_1) : "";
    String box = n >= 8 ? new String(head, 4, 4, StandardCharsets.ISO_8859_1) : "";
    if (riff.equals("RIFF") && kind.equals("AVI ")) {
      return MjpegAvi.open(file);
    }
    if (List.of("ftyp", "moov", "mdat", "wide", "free", "skip").contains(box)) {
      return Mp4Video.open(file);
    }
    throw new IOException(
        file + ": not an MP4/MOV or AVI video (or the file is truncated): " + CONVERT);
  }

  /**
   * A writer of {@code container} ("mp4": H.264 via JCodec; "avi": MJPEG) to {@code file}.
   *
   * @param fps frames per second
   */
  public static VideoWriter writer(String container, Path file, int width, int height, double fps)
      throws IOException {
    return switch (container) {
      case "mp4" -> Mp4Video.writer(file, fps);
      case "avi" -> MjpegAvi.writer(file, width, height, fps);
      default -> throw new IllegalArgumentException("no video writer for " + container);
    };
  }
}
