package org.seg4j.io;

import java.awt.image.BufferedImage;
import java.io.IOException;

/** Writes frames of one size to a video file; {@link #close} finishes the file. */
public interface VideoWriter extends AutoCloseable {
  /** Appends a frame (RGB, the writer's size). */
  void write(BufferedImage frame) throws IOException;

  @Override
  void close() throws IOException;
}
