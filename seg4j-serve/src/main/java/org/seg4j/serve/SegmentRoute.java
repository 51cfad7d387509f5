package org.seg4j.serve;

import java.util.Locale;
import java.util.concurrent.Executor;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * {@code POST /v1/models/{name}/segment}: checks the query and the model, then reads the body,
 * decodes the image, queues it on the model's worker and renders the answer, each step completing
 * the next, so no thread waits while the body arrives or the model works. Rendering runs on Jetty's
 * pool, not on the worker.
 */
final class SegmentRoute {
  private final ServeConfig config;
  private final Executor executor;

  SegmentRoute(ServeConfig config, Executor executor) {
    this.config = config;
    this.executor = executor;
  }

  /** Answers {@code request} for worker {@code w} through {@code reply}. */
  void handle(Request request, Reply reply, ModelWorker w) {
    SegmentQuery q = SegmentQuery.parse(Request.extractQueryParameters(request));
    if (w.state() != ModelWorker.State.READY) {
      throw w.notReady();
    }
    if (q.classRef() != null) {
      SegmentQuery.classIndex(q.classRef(), w.classNames());
    }
    String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    BodyReader.read(request, config.maxBodyBytes())
        .thenApply(body -> Upload.decode(body, type, config.maxImagePixels()))
        .thenCompose(
            img ->
                w.submit(img.image(), q.options(config.predictOptions()))
                    .thenApplyAsync(
                        r -> {
                          Rendering.Body b =
                              Rendering.render(
                                  q,
                                  w.name(),
                                  w.classNames(),
                                  img.image(),
                                  w.inChannels(),
                                  r,
                                  reply.start);
                          var h = reply.response.getHeaders();
                          h.put("X-Seg4j-Batch-Size", Integer.toString(r.batchSize()));
                          h.put("X-Seg4j-Queue-Ms", ms(r.queueMs()));
                          h.put("X-Seg4j-Predict-Ms", ms(r.predictMs()));
                          return b;
                        },
                        executor))
        .whenComplete(
            (b, err) -> {
              if (err != null) {
                reply.fail(err);
              } else {
                reply.send(200, b.bytes(), b.contentType());
              }
            });
  }

  private static String ms(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
