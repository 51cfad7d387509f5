package org.seg4j.io;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Motion-JPEG in AVI: a RIFF reader (including OpenDML's AVIX parts) that hands out the first video
 * stream's JPEG frames decoded by javax.imageio, and a writer of plain AVI 1.0 with an idx1 index.
 * Other AVI codecs (H.264, MPEG-4 part 2, ...) are refused naming the codec.
 */
final class MjpegAvi {
  private static final Set<String> MJPEG =
      Set.of("MJPG", "mjpg", "AVRN", "AVRn", "LJPG", "JPEG", "jpeg", "dmb1");

  private MjpegAvi() {}

  // ------------------------------------------------------------------------------------ reading

  /** What the headers say; {@code movi} holds [start, end) of each movi list's chunks. */
  private static final class Header {
    int totalFrames;
    long microSecPerFrame;
    int width;
    int height;
    int streams = -1;
    int videoStream = -1;
    String lastType = "";
    String compression;
    long scale;
    long rate;
    long length;
    final List<long[]> movi = new ArrayList<>();
  }

  static VideoReader open(Path file) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    try {
      Header h = new Header();
      long size = ch.size();
      long pos = 0;
      while (pos + 12 <= size && fourcc(ch, pos).equals("RIFF")) {
        long len = u32(ch, pos + 4);
        parse(ch, pos + 12, Math.min(size, pos + 8 + len), h);
        pos += 8 + len + (len & 1);
      }
      if (h.videoStream < 0) {
        throw new IOException(file + ": an AVI without a video stream: give a video with one");
      }
      if (h.compression == null || !MJPEG.contains(h.compression)) {
        throw new IOException(
            file
                + ": AVI video codec '"
                + (h.compression == null ? "?" : h.compression.strip())
                + "' is not supported (seg4j reads MJPEG AVI and H.264 MP4/MOV): "
                + Videos.CONVERT);
      }
      if (h.movi.isEmpty()) {
        throw new IOException(file + ": an AVI without frames (no movi list), or truncated");
      }
      double fps =
          h.scale > 0 && h.rate > 0
              ? (double) h.rate / h.scale
              : h.microSecPerFrame > 0 ? 1e6 / h.microSecPerFrame : 25;
      int frames = h.length > 0 ? (int) h.length : h.totalFrames;
      return new Reader(file, ch, h, fps, frames);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private static void parse(FileChannel ch, long start, long end, Header h) throws IOException {
    long p = start;
    while (p + 8 <= end) {
      String id = fourcc(ch, p);
      long len = u32(ch, p + 4);
      long body = p + 8;
      if (id.equals("LIST") && p + 12 <= end) {
        String type = fourcc(ch, body);
        if (type.equals("movi")) {
          h.movi.add(new long[] {body + 4, Math.min(end, body + len)});
        } else if (type.equals("hdrl") || type.equals("strl")) {
          parse(ch, body + 4, Math.min(end, body + len), h);
        }
      } else if (id.equals("avih") && len >= 40) {
        h.microSecPerFrame = u32(ch, body);
        h.totalFrames = (int) u32(ch, body + 16);
        h.width = (int) u32(ch, body + 32);
        h.height = (int) u32(ch, body + 36);
      } else if (id.equals("strh") && len >= 36) {
        h.streams++;
        h.lastType = fourcc(ch, body);
        if (h.lastType.equals("vids") && h.videoStream < 0) {
          h.videoStream = h.streams;
          h.scale = u32(ch, body + 20);
          h.rate = u32(ch, body + 24);
          h.length = u32(ch, body + 32);
        }
      } else if (id.equals("strf") && len >= 20 && h.streams == h.videoStream) {
        h.width = Math.abs((int) u32(ch, body + 4));
        h.height = Math.abs((int) u32(ch, body + 8));
        h.compression = fourcc(ch, body + 16);
      }
      p = body + len + (len & 1);
    }
  }

  /** Reads the video stream's chunks in file order (AVI has no frame reordering). */
  private static final class Reader extends VideoReaderBase {
    private final Path file;
    private final FileChannel ch;
    private final Header h;
    private final String dc;
    private final String db;
    private final Deque<long[]> ranges = new ArrayDeque<>();
    private BufferedImage last;
    private int index;

    Reader(Path file, FileChannel ch, Header h, double fps, int frames) {
      super(h.width, h.height, fps, frames, "avi");
      this.file = file;
      this.ch = ch;
      this.h = h;
      String n = String.format("%02d", h.videoStream);
      this.dc = n + "dc";
      this.db = n + "db";
      h.movi.forEach(r -> ranges.add(r.clone()));
    }

    @Override
    public BufferedImage next() throws IOException {
      while (!ranges.isEmpty()) {
        long[] r = ranges.peek();
        if (r[0] + 8 > r[1]) {
          ranges.poll();
          continue;
        }
        String id = fourcc(ch, r[0]);
        long len = u32(ch, r[0] + 4);
        long body = r[0] + 8;
        r[0] = body + len + (len & 1);
        if (id.equals("LIST") && len >= 4) {
          // a 'rec ' group: read its chunks next
          r[0] = body + 4;
          continue;
        }
        if (!id.equals(dc) && !id.equals(db)) {
          continue;
        }
        index++;
        if (len == 0) {
          if (last == null) {
            continue;
          }
          return last; // a dropped frame repeats the previous one
        }
        if (len > Integer.MAX_VALUE - 16 || body + len > ch.size()) {
          throw new IOException(file + ": frame " + index + " runs past the end: truncated file");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) len);
        ch.read(buf, body);
        BufferedImage img;
        try {
          img = ImageIO.read(new ByteArrayInputStream(buf.array()));
        } catch (IOException | RuntimeException e) {
          img = null;
        }
        if (img == null) {
          throw new IOException(
              file
                  + ": frame "
                  + index
                  + " is not a JPEG javax.imageio decodes: "
                  + Videos.CONVERT);
        }
        last = img;
        return img;
      }
      return null;
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }
  }

  private static String fourcc(FileChannel ch, long pos) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4);
    if (ch.read(b, pos) < 4) {
      return "";
    }
    return new String(b.array(), StandardCharsets.ISO_8859_1);
  }

  private static long u32(FileChannel ch, long pos) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    if (ch.read(b, pos) < 4) {
      return 0;
    }
    return b.getInt(0) & 0xFFFFFFFFL;
  }

  // ------------------------------------------------------------------------------------ writing

  /** An MJPEG AVI writer (JPEG quality 0.92), frames of {@code width × height}. */
  static VideoWriter writer(Path file, int width, int height, double fps) throws IOException {
    return new Writer(file, width, height, fps);
  }

  private static final class Writer implements VideoWriter {
    private static final int HEADER = 12 + 8 + 192 + 12; // RIFF, LIST hdrl, movi list header
    private final FileChannel ch;
    private final int width;
    private final int height;
    private final List<long[]> index = new ArrayList<>();
    private long pos = HEADER;
    private int maxFrame;
    private final long rate;
    private final long scale;

    Writer(Path file, int width, int height, double fps) throws IOException {
      this.ch =
          FileChannel.open(
              file,
              StandardOpenOption.WRITE,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING);
      this.width = width;
      this.height = height;
      if (Math.abs(fps - Math.rint(fps)) < 1e-6) {
        rate = Math.round(fps);
        scale = 1;
      } else {
        rate = Math.round(fps * 1000);
        scale = 1000;
      }
      ch.write(header(0, 0, 0), 0);
    }

    @Override
    public void write(BufferedImage frame) throws IOException {
      if (frame.getWidth() != width || frame.getHeight() != height) {
        throw new IllegalArgumentException(
            "frame is "
                + frame.getWidth()
                + "x"
                + frame.getHeight()
                + ", the video "
                + width
                + "x"
                + height);
      }
      byte[] jpeg = jpeg(frame);
      ByteBuffer b = ByteBuffer.allocate(8 + jpeg.length + (jpeg.length & 1));
      b.order(ByteOrder.LITTLE_ENDIAN);
      b.put("00dc".getBytes(StandardCharsets.ISO_8859_1)).putInt(jpeg.length).put(jpeg);
      b.clear(); // the whole buffer, with the pad byte after an odd-sized frame
      index.add(new long[] {pos - (HEADER - 4), jpeg.length});
      ch.write(b, pos);
      pos += b.limit();
      maxFrame = Math.max(maxFrame, jpeg.length);
    }

    @Override
    public void close() throws IOException {
      try {
        ByteBuffer idx = ByteBuffer.allocate(8 + 16 * index.size()).order(ByteOrder.LITTLE_ENDIAN);
        idx.put("idx1".getBytes(StandardCharsets.ISO_8859_1)).putInt(16 * index.size());
        for (long[] e : index) {
          idx.put("00dc".getBytes(StandardCharsets.ISO_8859_1));
          idx.putInt(0x10).putInt((int) e[0]).putInt((int) e[1]);
        }
        idx.flip();
        ch.write(idx, pos);
        long end = pos + idx.limit();
        ch.write(header(end - 8, pos - (HEADER - 4), index.size()), 0);
      } finally {
        ch.close();
      }
    }

    /** RIFF, hdrl (avih, strl: strh, strf) and the movi list header. */
    private ByteBuffer header(long riffSize, long moviSize, int frames) {
      ByteBuffer b = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
      tag(b, "RIFF").putInt((int) riffSize);
      tag(b, "AVI ");
      tag(b, "LIST").putInt(192);
      tag(b, "hdrl");
      tag(b, "avih").putInt(56);
      b.putInt((int) Math.round(1e6 * scale / rate)); // microseconds per frame
      b.putInt((int) (maxFrame * rate / Math.max(1, scale))); // max bytes per second
      b.putInt(0).putInt(0x10).putInt(frames).putInt(0).putInt(1); // padding, HASINDEX, frames
      b.putInt(maxFrame).putInt(width).putInt(height).putInt(0).putInt(0).putInt(0).putInt(0);
      tag(b, "LIST").putInt(116);
      tag(b, "strl");
      tag(b, "strh").putInt(56);
      tag(b, "vids");
      tag(b, "MJPG");
      b.putInt(0).putShort((short) 0).putShort((short) 0).putInt(0); // flags, priority, language
      b.putInt((int) scale).putInt((int) rate).putInt(0).putInt(frames).putInt(maxFrame);
      b.putInt(-1).putInt(0); // quality: default, sample size: varies
      b.putShort((short) 0).putShort((short) 0).putShort((short) width).putShort((short) height);
      tag(b, "strf").putInt(40);
      b.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) 24);
      tag(b, "MJPG");
      b.putInt(width * height * 3).putInt(0).putInt(0).putInt(0).putInt(0);
      tag(b, "LIST").putInt((int) moviSize);
      tag(b, "movi");
      b.flip();
      return b;
    }

    private static ByteBuffer tag(ByteBuffer b, String fourcc) {
      return b.put(fourcc.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] jpeg(BufferedImage frame) throws IOException {
      BufferedImage rgb = frame;
      if (frame.getType() != BufferedImage.TYPE_3BYTE_BGR
          && frame.getType() != BufferedImage.TYPE_INT_RGB) {
        rgb = new BufferedImage(frame.getWidth(), frame.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(frame, 0, 0, null);
      }
      Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg");
      ImageWriter w = it.next();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
        w.setOutput(ios);
        ImageWriteParam param = w.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.92f);
        w.write(null, new IIOImage(rgb, null, null), param);
      } finally {
        w.dispose();
      }
      return out.toByteArray();
    }
  }
}
