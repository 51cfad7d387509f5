package org.seg4j.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's answer: writes the status, headers and body once and counts it in the metrics; a
 * failure becomes the one-line JSON error ({@link HttpError} as it is, anything else a 500 whose
 * cause is logged with its stack trace and never sent).
 */
final class Reply {
  private static final Logger LOG = LoggerFactory.getLogger(Reply.class);

  final Request request;
  final Response response;
  final Callback callback;
  final Metrics metrics;
  final long start = System.nanoTime();

  /** The model the request is for, or "" (a label of the request metrics). */
  String model = "";

  Reply(Request request, Response response, Callback callback, Metrics metrics) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.metrics = metrics;
  }

  void json(int status, ObjectNode body) {
    send(status, Json.bytes(body), "application/json");
  }

  void send(int status, byte[] body, String contentType) {
    response.setStatus(status);
    if (contentType != null) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    }
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Long.toString(body.length));
    metrics.request(model, status);
    if (!model.isEmpty() && status == 200) {
      metrics.latency(model, (System.nanoTime() - start) / 1e9);
    }
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  void fail(Throwable t) {
    Throwable c = t;
    while (c instanceof CompletionException && c.getCause() != null) {
      c = c.getCause();
    }
    HttpError e;
    if (c instanceof HttpError h) {
      e = h;
      if (e.status() == 500) {
        // a 500 made where the fault was met, and logged there with its stack trace
        LOG.warn(
            "{} {}: {}", request.getMethod(), Request.getPathInContext(request), e.getMessage());
      }
    } else {
      LOG.error("{} {} failed", request.getMethod(), Request.getPathInContext(request), c);
      e =
          new HttpError(
              500,
              "the server failed to answer ("
                  + c.getClass().getSimpleName()
                  + "): the server log has the details");
    }
    try {
      e.headers().forEach((k, v) -> response.getHeaders().put(k, v));
      json(e.status(), Json.error(e.getMessage(), e.status()));
    } catch (RuntimeException late) {
      // the response was already committed: nothing more can be said to the client
      LOG.debug("cannot send the error", late);
      callback.failed(late);
    }
  }
}
