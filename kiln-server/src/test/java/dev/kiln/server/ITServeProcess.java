package dev.kiln.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.server.testing.FixedBackend;
import dev.kiln.server.testing.KilnProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped jar as an operator runs it: {@code java -jar target/kiln-server.jar serve},
 * configured through the environment, stopped with SIGTERM. Failsafe runs this after {@code
 * package}, from the kiln-server folder, so the shaded jar exists.
 */
@FixedBackend(
    "starts the shipped jar, configured by the environment the test gives it (SQLite): the build's "
        + "choice of store does not reach a child process")
class ITServeProcess {
  private static final Path JAR = KilnProcess.JAR;
  private static final Duration BOUND = KilnProcess.BOUND;
  private static final String LISTENING = KilnProcess.LISTENING;
  private static final String BOOTSTRAP = "local-secret";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @TempDir Path dataDir;
  @TempDir Path configDir;

  @BeforeAll
  static void theJarIsBuilt() {
    assertThat(JAR).as("the shaded jar (built by `package`, before Failsafe runs)").isRegularFile();
  }

  @Test
  void theBootstrapKeyWorksAndSurvivesAGracefulStopAndARestart() throws Exception {
    int port = KilnProcess.freePort();
    KilnProcess first = KilnProcess.start(configDir, env(port, BOOTSTRAP), "serve");
    try {
      first.awaitListening();
      assertThat(first.stdout()).contains(LISTENING + "127.0.0.1:" + port);

      HttpResponse<String> wrongKey = exportIds(port, "not-" + BOOTSTRAP);
      assertThat(wrongKey.statusCode())
          .as("a wrong key on the route: %s", wrongKey.body())
          .isEqualTo(401);
      HttpResponse<String> bootstrap = exportIds(port, BOOTSTRAP);
      assertThat(bootstrap.statusCode())
          .as("KILN_API_KEY has every permission: %s", bootstrap.body())
          .isNotIn(401, 403, 404, 405);

      first.process().destroy(); // SIGTERM
      assertThat(first.awaitExit()).as("exits within %s after SIGTERM", BOUND).isTrue();
      // The JVM reports death by SIGTERM as 128 + 15, even after its shutdown hooks ran to
      // completion.
      assertThat(first.process().exitValue())
          .as("exit code after SIGTERM; stderr:%n%s", first.stderr())
          .isEqualTo(143);
      assertThat(first.stderr()).contains("Kiln stopped");
      assertThat(first.stderr()).doesNotContain("Exception").doesNotContain("ERROR");
    } finally {
      first.close();
    }

    int secondPort = KilnProcess.freePort();
    KilnProcess second = KilnProcess.start(configDir, env(secondPort, null), "serve");
    try {
      second.awaitListening();
      HttpResponse<String> bootstrap = exportIds(secondPort, BOOTSTRAP);
      assertThat(bootstrap.statusCode())
          .as(
              "the bootstrap key from the first run, without KILN_API_KEY now: %s",
              bootstrap.body())
          .isNotIn(401, 403, 404, 405);
    } finally {
      second.close();
    }
  }

  @Test
  void stdoutCarriesOnlyTheListeningLineAndLogsGoToStderr() throws Exception {
    int port = KilnProcess.freePort();
    KilnProcess kiln = KilnProcess.start(configDir, env(port, BOOTSTRAP), "serve");
    try {
      kiln.awaitListening();
      HttpResponse<String> health =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                  .timeout(BOUND)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      kiln.process().destroy();
      assertThat(kiln.awaitExit()).isTrue();
      assertThat(kiln.stdout().lines().toList()).singleElement().asString().startsWith(LISTENING);
      assertThat(kiln.stderr()).contains("INFO").contains("Kiln stopped");
      assertThat(kiln.stdout()).doesNotContain(BOOTSTRAP);
      assertThat(kiln.stderr()).doesNotContain(BOOTSTRAP);
    } finally {
      kiln.close();
    }
  }

  @Test
  void aBadSettingStopsTheStartWithExitCode2AndAMessageNamingIt() throws Exception {
    Map<String, String> env = env(KilnProcess.freePort(), null);
    env.put("KILN_PORT", "eighty");
    KilnProcess kiln = KilnProcess.start(configDir, env, "serve");
    try {
      assertThat(kiln.awaitExit()).as("exits within %s", BOUND).isTrue();
      assertThat(kiln.process().exitValue()).as("stderr:%n%s", kiln.stderr()).isEqualTo(2);
      assertThat(kiln.stderr()).contains("KILN_PORT").contains("eighty").doesNotContain("\tat ");
      assertThat(kiln.stdout()).doesNotContain(LISTENING);
    } finally {
      kiln.close();
    }
  }

  @Test
  void aPortInUseStopsTheStartWithAnErrorInsteadOfHanging() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      KilnProcess kiln = KilnProcess.start(configDir, env(taken.getLocalPort(), null), "serve");
      try {
        assertThat(kiln.awaitExit())
            .as(
                "the process exits within %s when its port is taken; stdout:%n%s%nstderr:%n%s",
                BOUND, kiln.stdout(), kiln.stderr())
            .isTrue();
        assertThat(kiln.process().exitValue()).as("stderr:%n%s", kiln.stderr()).isNotZero();
        assertThat(kiln.stderr()).contains(Integer.toString(taken.getLocalPort()));
        assertThat(kiln.stdout()).doesNotContain(LISTENING);
      } finally {
        kiln.close();
      }
    }
  }

  @Test
  void keysCreateThroughTheJarPrintsOnlyTheSecretOnStdout() throws Exception {
    KilnProcess create =
        KilnProcess.start(
            configDir,
            env(KilnProcess.freePort(), null),
            "keys",
            "create",
            "--name",
            "ci",
            "--permissions",
            "users.track,users.export.ids");
    try {
      assertThat(create.awaitExit()).as("exits within %s", BOUND).isTrue();
      assertThat(create.process().exitValue()).as("stderr:%n%s", create.stderr()).isZero();
      assertThat(create.stdout())
          .as(
              "stdout is only the secret, so `SECRET=$(./kiln keys create ...)` works; stderr:%n%s",
              create.stderr())
          .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\R");
      assertThat(create.stderr()).contains("ci").doesNotContain(create.stdout().strip());
    } finally {
      create.close();
    }

    KilnProcess list =
        KilnProcess.start(configDir, env(KilnProcess.freePort(), null), "keys", "list");
    try {
      assertThat(list.awaitExit()).as("exits within %s", BOUND).isTrue();
      assertThat(list.process().exitValue()).as("stderr:%n%s", list.stderr()).isZero();
      assertThat(list.stdout()).contains("ci").contains("users.export.ids,users.track");
    } finally {
      list.close();
    }
  }

  // --- helpers ---

  private Map<String, String> env(int port, String apiKey) throws IOException {
    Path config = configDir.resolve("kiln-" + System.nanoTime() + ".properties");
    Files.createFile(config);
    Map<String, String> env = new HashMap<>();
    env.put("KILN_PORT", Integer.toString(port));
    env.put("KILN_HOST", "127.0.0.1");
    env.put("KILN_DATA_DIR", dataDir.toString());
    env.put("KILN_CONFIG", config.toString());
    if (apiKey != null) {
      env.put("KILN_API_KEY", apiKey);
    }
    return env;
  }

  private static HttpResponse<String> exportIds(int port, String secret)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/users/export/ids"))
            .timeout(BOUND)
            .header("Authorization", "Bearer " + secret)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"external_ids\":[\"nobody\"]}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
