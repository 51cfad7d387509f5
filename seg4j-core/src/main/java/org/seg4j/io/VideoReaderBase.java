package org.seg4j.io;

/** The stream facts every {@link VideoReader} reports, read once when the file is opened. */
abstract class VideoReaderBase implements VideoReader {
  private final int width;
  private final int height;
  private final double fps;
  private final int frames;
  private final String container;

  /**
   * @param frames the frame count the file declares, 0 or less when it does not say
   * @param container "mp4" or "avi"
   */
  VideoReaderBase(int width, int height, double fps, int frames, String container) {
    this.width = width;
    this.height = height;
    this.fps = fps;
    this.frames = frames;
    this.container = container;
  }

  @Override
  public final int width() {
    return width;
  }

  @Override
  public final int height() {
    return height;
  }

  @Override
  public final double fps() {
    return fps;
  }

  @Override
  public final int frameCount() {
    return frames > 0 ? frames : -1;
  }

  @Override
  public final String container() {
    return container;
  }
}
