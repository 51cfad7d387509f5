package org.seg4j.serve;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.seg4j.engine.Engines;
import org.seg4j.engine.Offline;
import org.seg4j.run.RunFolder;

/**
 * {@code seg4j serve}'s HTTP server (Jetty 12 core): starts listening at once, loads and warms
 * every model in the background (one {@link ModelWorker} thread each), and answers the segment,
 * model, health and metrics endpoints and the web page. {@link #close} stops gracefully: it stops
 * accepting, finishes the requests in flight, then closes the models.
 *
 * <pre>{@code
 * try (SegServer s = SegServer.start(ServeConfig.of(Map.of("shapes", run)).withPort(0))) {
 *   s.awaitReady(Duration.ofMinutes(1));
 *   // POST s.url() + "v1/models/shapes/segment"
 * }
 * }</pre>
 */
public final class SegServer implements AutoCloseable {
  /** How long {@link #close} waits for requests in flight. */
  static final long STOP_TIMEOUT_MS = 30_000;

  private final ServeConfig config;
  private final Server server;
  private final Map<String, ModelWorker> workers;
  private final int port;
  private final java.util.concurrent.CountDownLatch stopped =
      new java.util.concurrent.CountDownLatch(1);
  private boolean closed;

  private SegServer(
      ServeConfig config,
      Server server,
      ServerConnector connector,
      Map<String, ModelWorker> workers) {
    this.config = config;
    this.server = server;
    this.workers = workers;
    this.port = connector.getLocalPort();
  }

  /**
   * Starts the server: binds the address, then loads the models in the background ({@link
   * #awaitReady} waits for them).
   *
   * @throws IOException naming the setting when a model's run folder is not one, or the port is
   *     taken
   */
  public static SegServer start(ServeConfig config) throws IOException {
    Offline.ensure();
    for (Map.Entry<String, Path> m : config.models().entrySet()) {
      RunFolder.existing(m.getValue()).bestOrLast();
    }
    Engines.setThreads(config.threads());
    Metrics metrics = new Metrics();
    Map<String, ModelWorker> workers = new LinkedHashMap<>();
    config
        .models()
        .forEach((name, run) -> workers.put(name, new ModelWorker(name, run, config, metrics)));
    QueuedThreadPool pool = new QueuedThreadPool(64, 4);
    pool.setName("seg4j-serve-http");
    Server server = new Server(pool);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(config.host());
    connector.setPort(config.port());
    server.addConnector(connector);
    server.setHandler(new GracefulHandler(new Routes(config, workers, metrics, pool)));
    server.setErrorHandler(new JsonErrors());
    server.setStopTimeout(STOP_TIMEOUT_MS);
    server.setStopAtShutdown(false);
    try {
      server.start();
    } catch (Exception e) {
      stopQuietly(server);
      if (e instanceof BindException || e.getCause() instanceof BindException) {
        throw new IOException(
            "port="
                + config.port()
                + " on "
                + config.host()
                + " is in use (or not allowed): choose another port, or port=0 for any free one",
            e);
      }
      if (e instanceof IOException io) {
        throw io;
      }
      throw new IOException("the server did not start: " + e.getMessage(), e);
    }
    workers.values().forEach(ModelWorker::start);
    return new SegServer(config, server, connector, workers);
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      // already failing to start: the first failure is the one to report
    }
  }

  /** The port listened on (the free one chosen for port 0). */
  public int port() {
    return port;
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8080/} (an IPv6 host in brackets). */
  public String url() {
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    if (host.equals("0.0.0.0") || host.equals("[::]")) {
      host = "127.0.0.1";
    }
    return "http://" + host + ":" + port() + "/";
  }

  /** The configuration served. */
  public ServeConfig config() {
    return config;
  }

  /** Whether every model is loaded and warmed. */
  public boolean isReady() {
    return workers.values().stream().allMatch(w -> w.state() == ModelWorker.State.READY);
  }

  /**
   * Waits until every model is loaded and warmed.
   *
   * @throws IOException naming the model when one failed to load
   * @throws TimeoutException when they are not ready within {@code timeout}
   */
  public void awaitReady(Duration timeout) throws IOException, TimeoutException {
    CompletableFuture<?>[] all =
        workers.values().stream().map(ModelWorker::loaded).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(all).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while the models load", e);
    } catch (ExecutionException e) {
      for (ModelWorker w : workers.values()) {
        if (w.state() == ModelWorker.State.FAILED) {
          throw new IOException(
              "model "
                  + w.name()
                  + " ("
                  + config.models().get(w.name())
                  + ") did not load: "
                  + w.failure(),
              e.getCause());
        }
      }
      throw new IOException("a model did not load: " + e.getCause(), e.getCause());
    }
  }

  /** The worker of a model (tests hold it to fill its queue). */
  ModelWorker worker(String name) {
    return workers.get(name);
  }

  /**
   * Stops gracefully: stops accepting connections, waits (up to 30 s) for the requests in flight to
   * be answered, then stops the workers and closes the models. Later calls do nothing.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.stop();
    } catch (Exception e) {
      org.slf4j.LoggerFactory.getLogger(SegServer.class).warn("stopping the server", e);
    } finally {
      workers.values().forEach(w -> w.stop(STOP_TIMEOUT_MS));
      stopped.countDown();
    }
  }

  /** Waits until {@link #close} has finished (e.g. called by a shutdown hook). */
  public void join() throws InterruptedException {
    stopped.await();
  }
}
