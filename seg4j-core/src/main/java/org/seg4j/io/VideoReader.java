package org.seg4j.io;

import java.awt.image.BufferedImage;
import java.io.IOException;

/** Frames of a video in display order, decoded one at a time. */
public interface VideoReader extends AutoCloseable {
  /** Frame width in pixels. */
  int width();

  /** Frame height in pixels. */
  int height();

  /** Frames per second. */
  double fps();

  /** The frame count the file declares (for progress), or -1 when it does not say. */
  int frameCount();

  /** The container: "mp4" (also MOV) or "avi"; an overlay video is written in the same one. */
  String container();

  /** The next frame as an RGB image, or null after the last. */
  BufferedImage next() throws IOException;

  @Override
  void close() throws IOException;
}
