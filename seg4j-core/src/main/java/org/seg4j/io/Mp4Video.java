package org.seg4j.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.PriorityQueue;
import org.jcodec.api.FrameGrab;
import org.jcodec.api.JCodecException;
import org.jcodec.api.PictureWithMetadata;
import org.jcodec.api.transcode.PixelStore;
import org.jcodec.api.transcode.SinkImpl;
import org.jcodec.api.transcode.VideoFrameWithPacket;
import org.jcodec.common.Codec;
import org.jcodec.common.DemuxerTrackMeta;
import org.jcodec.common.Format;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.io.SeekableByteChannel;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Packet;
import org.jcodec.common.model.Picture;
import org.jcodec.common.model.Rational;
import org.jcodec.common.model.Size;
import org.jcodec.scale.AWTUtil;

/**
 * H.264 video in MP4/MOV through JCodec. JCodec hands frames over in decode order, so a stream with
 * B-frames comes out shuffled; frames are held in a small buffer and released by presentation time.
 */
final class Mp4Video extends VideoReaderBase {
  /** H.264 reorders at most 16 frames (max_dec_frame_buffering). */
  private static final int REORDER = 16;

  private record Frame(double pts, long seq, BufferedImage image) {}

  private final Path file;
  private final SeekableByteChannel channel;
  private final FrameGrab grab;
  private final PriorityQueue<Frame> pending =
      new PriorityQueue<>(
          (a, b) -> a.pts != b.pts ? Double.compare(a.pts, b.pts) : Long.compare(a.seq, b.seq));
  private long decoded;
  private boolean ended;

  private Mp4Video(
      Path file, SeekableByteChannel channel, FrameGrab grab, DemuxerTrackMeta meta, Size size) {
    super(size.getWidth(), size.getHeight(), fps(meta), meta.getTotalFrames(), "mp4");
    this.file = file;
    this.channel = channel;
    this.grab = grab;
  }

  /** Declared frames over duration, or 25 when the file does not say. */
  private static double fps(DemuxerTrackMeta meta) {
    int frames = meta.getTotalFrames();
    double duration = meta.getTotalDuration();
    return duration > 0 && frames > 0 ? frames / duration : 25;
  }

  static Mp4Video open(Path file) throws IOException {
    SeekableByteChannel ch = NIOUtils.readableChannel(file.toFile());
    try {
      FrameGrab grab;
      try {
        grab = FrameGrab.createFrameGrab(ch);
      } catch (JCodecException | RuntimeException e) {
        throw new IOException(
            file + ": JCodec cannot read this MP4/MOV (" + e.getMessage() + "): " + Videos.CONVERT,
            e);
      }
      if (grab.getVideoTrack() == null) {
        throw new IOException(file + ": holds no video track: give a video with one");
      }
      DemuxerTrackMeta meta = grab.getVideoTrack().getMeta();
      if (meta.getCodec() != Codec.H264) {
        throw new IOException(
            file
                + ": video codec "
                + meta.getCodec()
                + " is not supported (seg4j decodes H.264 in MP4/MOV, MJPEG in AVI): "
                + Videos.CONVERT);
      }
      return new Mp4Video(file, ch, grab, meta, meta.getVideoCodecMeta().getSize());
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  @Override
  public BufferedImage next() throws IOException {
    while (!ended && pending.size() <= REORDER) {
      PictureWithMetadata p;
      try {
        p = grab.getNativeFrameWithMetadata();
      } catch (RuntimeException e) {
        throw new IOException(
            file + ": frame " + (decoded + 1) + " cannot be decoded (" + e + "): " + Videos.CONVERT,
            e);
      }
      if (p == null) {
        ended = true;
      } else {
        pending.add(
            new Frame(p.getTimestamp(), decoded++, AWTUtil.toBufferedImage(p.getPicture())));
      }
    }
    Frame f = pending.poll();
    return f == null ? null : f.image;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** Frames per second as a ratio: NTSC rates as n×1000/1001, others to a thousandth. */
  static Rational rational(double fps) {
    double ntsc = fps * 1.001;
    if (Math.abs(ntsc - Math.rint(ntsc)) < 1e-3 && Math.abs(fps - Math.rint(fps)) > 1e-3) {
      return Rational.R((int) Math.rint(ntsc) * 1000, 1001);
    }
    if (Math.abs(fps - Math.rint(fps)) < 1e-6) {
      return Rational.R((int) Math.rint(fps), 1);
    }
    return Rational.R((int) Math.rint(fps * 1000), 1000);
  }

  /**
   * The frame as video-range BT.601 YUV 4:2:0 (Y 16..235), in the colour space JCodec's encoder
   * takes as is. JCodec's own RGB conversion is left out: it darkens the low end (grey 40 came back
   * as 26) and its full-range values are read as video range by decoders.
   */
  static Picture yuv(BufferedImage frame, ColorSpace space) {
    int w = frame.getWidth();
    int h = frame.getHeight();
    Picture pic = Picture.create(w, h, space);
    byte[] py = pic.getPlaneData(0);
    byte[] pu = pic.getPlaneData(1);
    byte[] pv = pic.getPlaneData(2);
    int sy = pic.getPlaneWidth(0);
    int sc = pic.getPlaneWidth(1);
    int ch = pic.getPlaneHeight(1);
    int[] rgb = frame.getRGB(0, 0, w, h, null, 0, w);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int c = rgb[y * w + x];
        int r = c >> 16 & 255;
        int g = c >> 8 & 255;
        int b = c & 255;
        int luma = (int) Math.round(16 + (65.738 * r + 129.057 * g + 25.064 * b) / 256);
        py[y * sy + x] = (byte) (luma - 128);
      }
    }
    for (int cy = 0; cy < ch; cy++) {
      for (int cx = 0; cx < sc; cx++) {
        double r = 0;
        double g = 0;
        double b = 0;
        int n = 0;
        for (int dy = 0; dy < 2; dy++) {
          for (int dx = 0; dx < 2; dx++) {
            int x = Math.min(w - 1, 2 * cx + dx);
            int y = Math.min(h - 1, 2 * cy + dy);
            int c = rgb[y * w + x];
            r += c >> 16 & 255;
            g += c >> 8 & 255;
            b += c & 255;
            n++;
          }
        }
        r /= n;
        g /= n;
        b /= n;
        int u = (int) Math.round(128 + (-37.945 * r - 74.494 * g + 112.439 * b) / 256);
        int v = (int) Math.round(128 + (112.439 * r - 94.154 * g - 18.285 * b) / 256);
        pu[cy * sc + cx] = (byte) (Math.max(16, Math.min(240, u)) - 128);
        pv[cy * sc + cx] = (byte) (Math.max(16, Math.min(240, v)) - 128);
      }
    }
    return pic;
  }

  /** An H.264 (baseline, JCodec's encoder) MP4 writer. */
  static VideoWriter writer(Path file, double fps) throws IOException {
    SeekableByteChannel ch = NIOUtils.writableChannel(file.toFile());
    SinkImpl sink;
    try {
      sink = SinkImpl.createWithStream(ch, Format.MOV, Codec.H264, null);
      sink.init();
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    ColorSpace space = sink.getInputColor();
    Rational rate = rational(fps);
    return new VideoWriter() {
      private int frame;

      @Override
      public void write(BufferedImage image) throws IOException {
        Packet pkt =
            Packet.createPacket(
                null,
                (long) frame * rate.getDen(),
                rate.getNum(),
                rate.getDen(),
                frame,
                Packet.FrameType.KEY,
                null);
        sink.outputVideoFrame(
            new VideoFrameWithPacket(pkt, new PixelStore.LoanerPicture(yuv(image, space), 1)));
        frame++;
      }

      @Override
      public void close() throws IOException {
        try {
          sink.finish();
        } finally {
          ch.close();
        }
      }
    };
  }
}
