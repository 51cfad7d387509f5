package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.serve.SegServer;

/**
 * {@code seg4j serve}: the command serves a run on a free port, prints its ready line and exits 0
 * when stopped; bad input (a missing run folder, a duplicate name, a bad token file, a port in use)
 * is one line naming the flag and the fix, exit 2.
 */
class ServeCommandTest {
  @TempDir static Path dir;
  static Path run;

  @BeforeAll
  static void train() throws Exception {
    Path data = TinyData.synthetic(dir.resolve("data"), 16);
    run = TinyData.train(data, dir.resolve("runs"), "shapes");
  }

  static void assertOneLine(CliRun r, String... parts) {
    assertThat(r.code()).as(r.all()).isEqualTo(2);
    assertThat(r.err().strip()).as(r.all()).doesNotContain("\n").startsWith("seg4j: error: ");
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ").contains(parts);
  }

  @Test
  void servesARunPrintsTheReadyLineAndStopsWithZero() throws Exception {
    CompletableFuture<CliRun> serving =
        CompletableFuture.supplyAsync(
            () ->
                CliRun.of(
                    "serve",
                    "--run",
                    "cells=" + run,
                    "--port",
                    "0",
                    "--device",
                    "cpu",
                    "--max-batch",
                    "4",
                    "--tta"));
    SegServer s = awaitReady(serving);
    assertThat(s.config().maxBatch()).isEqualTo(4);
    assertThat(s.config().predictOptions().flipTta()).isTrue();
    assertThat(s.config().host()).isEqualTo("127.0.0.1");
    HttpResponse<String> models =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(s.url() + "v1/models/cells")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(models.statusCode()).isEqualTo(200);
    assertThat(models.body()).contains("\"name\":\"cells\"");
    s.close();
    CliRun r = serving.get();
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out())
        .contains("seg4j serve: http://127.0.0.1:" + s.port() + "/ (models: cells) ready");
  }

  @Test
  void aMissingRunFolderIsOneLine() {
    assertOneLine(
        CliRun.of("serve", "--run", dir.resolve("runs/nothing").toString(), "--port", "0"),
        "--run",
        "nothing",
        "no such folder");
  }

  @Test
  void aFolderThatIsNotARunIsOneLine() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertOneLine(
        CliRun.of("serve", "--run", empty.toString(), "--port", "0"), "empty", "config.yml");
  }

  @Test
  void aDuplicateModelNameIsRefused() {
    assertOneLine(
        CliRun.of("serve", "--run", run.toString(), "--run", "shapes=" + run, "--port", "0"),
        "shapes",
        "--run OTHER=");
  }

  @Test
  void aBadTokenFileIsOneLine() throws Exception {
    assertOneLine(
        CliRun.of(
            "serve",
            "--run",
            run.toString(),
            "--port",
            "0",
            "--token-file",
            dir.resolve("no-token").toString()),
        "--token-file",
        "no-token");
    Path empty = Files.writeString(dir.resolve("empty-token"), "\n");
    assertOneLine(
        CliRun.of(
            "serve", "--run", run.toString(), "--port", "0", "--token-file", empty.toString()),
        "--token-file",
        "is empty");
  }

  @Test
  void aPortInUseIsOneLineNamingTheFlag() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      assertOneLine(
          CliRun.of("serve", "--run", run.toString(), "--port", Integer.toString(port)),
          "--port " + port,
          "in use",
          "--port 0");
    }
  }

  @Test
  void aBadLimitNamesItsFlag() {
    assertOneLine(
        CliRun.of("serve", "--run", run.toString(), "--port", "0", "--max-batch", "0"),
        "--max-batch 0");
  }

  /**
   * The server {@code serving} (a {@code seg4j serve} run) has started, once it is ready; fails
   * with the command's output when it ended or did not get ready within 2 minutes.
   */
  static SegServer awaitReady(CompletableFuture<CliRun> serving) throws Exception {
    long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while ((ServeCommand.RUNNING.get() == null || !ServeCommand.RUNNING.get().isReady())
        && System.nanoTime() < end
        && !serving.isDone()) {
      Thread.sleep(10);
    }
    SegServer s = ServeCommand.RUNNING.get();
    assertThat(s).as(serving.isDone() ? serving.get().all() : "not started").isNotNull();
    return s;
  }
}
