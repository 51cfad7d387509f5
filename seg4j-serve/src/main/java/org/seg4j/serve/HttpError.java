package org.seg4j.serve;

import java.util.Map;

/**
 * A request that cannot be answered as asked: the HTTP status, one sentence naming the problem and
 * the fix, and any headers the status needs ({@code Allow}, {@code Retry-After}, {@code
 * WWW-Authenticate}). The handler turns it into {@code {"error":..., "status":N}}.
 */
final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient Map<String, String> headers;

  HttpError(int status, String message) {
    this(status, message, Map.of());
  }

  HttpError(int status, String message, Map<String, String> headers) {
    super(message, null, false, false);
    this.status = status;
    this.headers = Map.copyOf(headers);
  }

  int status() {
    return status;
  }

  Map<String, String> headers() {
    return headers;
  }
}
