package org.seg4j.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's one handler: routes each request by path and method, checks the bearer token on
 * {@code /v1/*} and {@code /metrics}, adds CORS headers when configured, and answers. Health and
 * the web page are answered at once on Jetty's thread; a segment request reads its body, waits for
 * its model's worker and is rendered without holding a thread while it waits. Every failure becomes
 * one JSON error line here, at the boundary: nothing (no stack trace) of an exception's internals
 * reaches a response, and unexpected ones are logged with their stack trace.
 */
final class Routes extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(Routes.class);
  private static final String MODELS = "/v1/models";
  private static final String SEGMENT = "/segment";

  private final ServeConfig config;
  private final Map<String, ModelWorker> workers;
  private final Metrics metrics;
  private final StaticFiles web = new StaticFiles();
  private final Executor executor;
  private final byte[] token;

  Routes(ServeConfig config, Map<String, ModelWorker> workers, Metrics metrics, Executor executor) {
    this.config = config;
    this.workers = workers;
    this.metrics = metrics;
    this.executor = executor;
    this.token =
        config.token() == null
            ? null
            : ("Bearer " + config.token()).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Reply reply = new Reply(request, response, callback);
    try {
      route(request, reply);
    } catch (Throwable t) {
      reply.fail(t);
    }
    return true;
  }

  private void route(Request request, Reply reply) {
    String path = Request.getPathInContext(request);
    String method = request.getMethod();
    cors(reply.response);
    if (method.equals("OPTIONS") && config.cors() != null) {
      preflight(reply);
      return;
    }
    if (path.startsWith("/v1/") || path.equals("/v1") || path.equals("/metrics")) {
      authorize(request);
    }
    if (StaticFiles.serves(path)) {
      allow(method, "GET");
      StaticFiles.File f = web.get(path);
      reply.send(200, f.bytes(), f.contentType());
    } else if (path.equals("/health/live")) {
      allow(method, "GET");
      reply.json(200, status("live"));
    } else if (path.equals("/health/ready")) {
      allow(method, "GET");
      ready(reply);
    } else if (path.equals("/metrics")) {
      allow(method, "GET");
      String text = metrics.text(workers.keySet(), m -> workers.get(m).depth());
      reply.send(
          200, text.getBytes(StandardCharsets.UTF_8), "text/plain; version=0.0.4; charset=utf-8");
    } else if (path.equals(MODELS) || path.equals(MODELS + "/")) {
      allow(method, "GET");
      ObjectNode n = Json.object();
      ArrayNode list = n.putArray("models");
      workers.values().forEach(w -> list.add(describe(w)));
      reply.json(200, n);
    } else if (path.startsWith(MODELS + "/")) {
      String rest = path.substring(MODELS.length() + 1);
      if (rest.endsWith(SEGMENT) && rest.indexOf('/') == rest.length() - SEGMENT.length()) {
        ModelWorker w = worker(rest.substring(0, rest.length() - SEGMENT.length()));
        allow(method, "POST");
        reply.model = w.name();
        segment(request, reply, w);
      } else if (rest.indexOf('/') < 0) {
        ModelWorker w = worker(rest);
        allow(method, "GET");
        reply.json(200, describe(w));
      } else {
        throw notFound(path);
      }
    } else {
      throw notFound(path);
    }
  }

  private static HttpError notFound(String path) {
    return new HttpError(
        404,
        "no such path "
            + path
            + ": use /, /v1/models, /v1/models/NAME, /v1/models/NAME/segment, /health/live,"
            + " /health/ready or /metrics");
  }

  private ModelWorker worker(String name) {
    ModelWorker w = workers.get(name);
    if (w == null) {
      throw new HttpError(
          404,
          "unknown model '" + name + "': this server has " + String.join(", ", workers.keySet()));
    }
    return w;
  }

  private static void allow(String method, String allowed) {
    if (!method.equals(allowed)) {
      throw new HttpError(
          405,
          method + " is not allowed here: use " + allowed,
          Map.of(HttpHeader.ALLOW.asString(), allowed));
    }
  }

  private void authorize(Request request) {
    if (token == null) {
      return;
    }
    String given = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    byte[] g = given == null ? new byte[0] : given.getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(g, token)) {
      throw new HttpError(
          401,
          given == null
              ? "this server needs a token: send the header Authorization: Bearer TOKEN"
              : "the bearer token is wrong: send the server's token as Authorization: Bearer"
                  + " TOKEN",
          Map.of(HttpHeader.WWW_AUTHENTICATE.asString(), "Bearer realm=\"seg4j\""));
    }
  }

  private void cors(Response response) {
    if (config.cors() != null) {
      response.getHeaders().put("Access-Control-Allow-Origin", config.cors());
      response.getHeaders().put("Vary", "Origin");
      response
          .getHeaders()
          .put(
              "Access-Control-Expose-Headers",
              "X-Seg4j-Batch-Size, X-Seg4j-Queue-Ms, X-Seg4j-Predict-Ms, Retry-After");
    }
  }

  private static void preflight(Reply reply) {
    var h = reply.response.getHeaders();
    h.put("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    h.put("Access-Control-Allow-Headers", "Authorization, Content-Type");
    h.put("Access-Control-Max-Age", "600");
    reply.send(204, new byte[0], null);
  }

  private static ObjectNode status(String s) {
    ObjectNode n = Json.object();
    n.put("status", s);
    return n;
  }

  private void ready(Reply reply) {
    for (ModelWorker w : workers.values()) {
      if (w.state() == ModelWorker.State.FAILED) {
        ObjectNode n = status("failed");
        n.put("error", "model " + w.name() + " failed to load: " + w.failure());
        reply.json(503, n);
        return;
      }
      if (w.state() != ModelWorker.State.READY) {
        reply.json(503, status("loading"));
        return;
      }
    }
    reply.json(200, status("ready"));
  }

  private static ObjectNode describe(ModelWorker w) {
    ObjectNode info = w.info();
    if (info != null) {
      return info;
    }
    ObjectNode n = Json.object();
    n.put("name", w.name());
    n.put("ready", false);
    return n;
  }

  private void segment(Request request, Reply reply, ModelWorker w) {
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

  /** One request's answer: writes the body once and counts it in the metrics. */
  private final class Reply {
    final Request request;
    final Response response;
    final Callback callback;
    final long start = System.nanoTime();
    String model = "";

    Reply(Request request, Response response, Callback callback) {
      this.request = request;
      this.response = response;
      this.callback = callback;
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
      } else {
        LOG.error("{} {} failed", request.getMethod(), Request.getPathInContext(request), c);
        e =
            new HttpError(
                500,
                "the server failed to answer ("
                    + c.getClass().getSimpleName()
                    + "): the server log has the details");
      }
      if (e.status() == 500) {
        LOG.warn(
            "{} {}: {}", request.getMethod(), Request.getPathInContext(request), e.getMessage());
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
}
