package org.seg4j.serve;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own refusals (a malformed or ambiguous URI, headers too large, ...) answered as the
 * server's one JSON error line instead of Jetty's HTML page; never a stack trace.
 */
final class JsonErrors extends ErrorHandler {
  JsonErrors() {
    setShowStacks(false);
    setShowCauses(false);
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    String why = message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
    byte[] body =
        Json.bytes(
            Json.error(
                "the request was refused by the HTTP layer ("
                    + why
                    + "): send a well-formed request",
                code));
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Long.toString(body.length));
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
