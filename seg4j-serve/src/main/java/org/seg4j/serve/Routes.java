package org.seg4j.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.Executor;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The server's one handler: routes each request by path and method, checks the bearer token on
 * {@code /v1/*} and {@code /metrics}, adds CORS headers when configured, and answers. Health and
 * the web page are answered at once on Jetty's thread and never touch a model's worker; a segment
 * request goes on to {@link SegmentRoute}. Every failure becomes one JSON error line at this
 * boundary ({@link Reply#fail}): nothing of an exception's internals (no stack trace) reaches a
 * response.
 */
final class Routes extends Handler.Abstract {
  private static final String MODELS = "/v1/models";
  private static final String SEGMENT = "/segment";

  private final ServeConfig config;
  private final Map<String, ModelWorker> workers;
  private final Metrics metrics;
  private final StaticFiles web = new StaticFiles();
  private final SegmentRoute segment;
  private final byte[] token;

  Routes(ServeConfig config, Map<String, ModelWorker> workers, Metrics metrics, Executor executor) {
    this.config = config;
    this.workers = workers;
    this.metrics = metrics;
    this.segment = new SegmentRoute(config, executor);
    this.token =
        config.token() == null
            ? null
            : ("Bearer " + config.token()).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Reply reply = new Reply(request, response, callback, metrics);
    try {
      route(request, reply);
    } catch (Throwable t) {
      // refused before the body was read (bad query, unknown model, no token...): answer once the
      // body is in, as BodyReader does for a 413; answering and closing while the client still
      // sends resets its socket and it loses the answer
      BodyReader.read(request, config.maxBodyBytes()).whenComplete((body, e) -> reply.fail(t));
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
      ObjectNode limits = n.putObject("limits");
      limits.put("max_body_mb", config.maxBodyMb());
      limits.put("max_image_pixels", config.maxImagePixels());
      reply.json(200, n);
    } else if (path.startsWith(MODELS + "/")) {
      String rest = path.substring(MODELS.length() + 1);
      if (rest.endsWith(SEGMENT) && rest.indexOf('/') == rest.length() - SEGMENT.length()) {
        ModelWorker w = worker(rest.substring(0, rest.length() - SEGMENT.length()));
        allow(method, "POST");
        reply.model = w.name();
        segment.handle(request, reply, w);
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
}
