package org.seg4j.serve;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body without holding a thread while bytes are on their way: chunks are copied as
 * Jetty hands them over, and the body is refused with 413 as soon as it grows past the limit (at
 * once when its {@code Content-Length} says so).
 */
final class BodyReader implements Runnable {
  private final Request request;
  private final long max;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();

  private BodyReader(Request request, long max) {
    this.request = request;
    this.max = max;
  }

  /** The body of {@code request}, failing with a 413 {@link HttpError} past {@code max} bytes. */
  static CompletableFuture<byte[]> read(Request request, long max) {
    BodyReader r = new BodyReader(request, max);
    long length = request.getLength();
    if (length > max) {
      r.result.completeExceptionally(tooLarge(length, max));
    } else {
      r.run();
    }
    return r.result;
  }

  /** The 413 for a body of {@code length} bytes. */
  static HttpError tooLarge(long length, long max) {
    return new HttpError(
        413,
        String.format(
            Locale.ROOT,
            "the request body is %s, over the limit of %s: send a smaller image or start the"
                + " server with a larger --max-body-mb",
            length < 0 ? "too large" : mb(length),
            mb(max)));
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  @Override
  public void run() {
    while (true) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        request.demand(this);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        result.completeExceptionally(
            new HttpError(400, "the request body could not be read: " + chunk.getFailure()));
        return;
      }
      ByteBuffer b = chunk.getByteBuffer();
      if (buffer.size() + (long) b.remaining() > max) {
        chunk.release();
        result.completeExceptionally(tooLarge(-1, max));
        return;
      }
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      buffer.write(bytes, 0, bytes.length);
      boolean last = chunk.isLast();
      chunk.release();
      if (last) {
        result.complete(buffer.toByteArray());
        return;
      }
    }
  }
}
