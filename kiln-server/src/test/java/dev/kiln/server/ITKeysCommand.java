package dev.kiln.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.auth.ApiKeySecrets;
import dev.kiln.server.testing.CommandLineRun;
import dev.kiln.server.testing.FixedBackend;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./kiln keys create|list|revoke} and {@code ./kiln migrate}, run in-process against a data
 * folder, and then a server on the same folder: the command line and the server share one store.
 * Each bad argument's or setting's usage error, refused before the store is opened: KeysCommandTest
 * and KilnCommandTest.
 */
@FixedBackend(
    "runs the command line on a data folder and a server on the same folder, which share the SQLite store in it")
class ITKeysCommand {
  private static final String UUID_SHAPE =
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  private static final String EXPORT_BODY = "{\"external_ids\":[\"x\"]}";

  @TempDir Path dataDir;
  private Map<String, String> env;

  @BeforeEach
  void environment(@TempDir Path configDir) throws IOException {
    Path config = Files.createFile(configDir.resolve("kiln.properties"));
    env = Map.of("KILN_DATA_DIR", dataDir.toString(), "KILN_CONFIG", config.toString());
  }

  @Test
  void createPrintsOnlyTheSecretOnStdoutAndADescriptionOnStderr() {
    CommandLineRun create =
        kiln(
            "keys",
            "create",
            "--name",
            "ci",
            "--permissions",
            "users.track,users.export.ids",
            "--allowed-ips",
            "127.0.0.1/32");
    assertThat(create.exitCode()).as("%s", create).isZero();
    assertThat(create.out())
        .as("stdout is the secret alone, for scripts")
        .matches(UUID_SHAPE + "\\R");
    assertThat(create.err())
        .contains("ci")
        .contains("users.export.ids")
        .contains("users.track")
        .contains("127.0.0.1/32");
    assertThat(create.err()).doesNotContain(create.out().strip());
  }

  @Test
  void everyCreateMakesADifferentSecret() {
    String first = createKey("one", "users.track").strip();
    String second = createKey("two", "users.track").strip();
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void listShowsEveryKeyButNeverItsSecretOrItsHash() {
    String secret =
        kiln(
                "keys",
                "create",
                "--name",
                "ci",
                "--permissions",
                "users.track,users.export.ids",
                "--allowed-ips",
                "127.0.0.1/32")
            .out()
            .strip();
    String open = createKey("open", "segments.list").strip();

    CommandLineRun list = kiln("keys", "list");
    assertThat(list.exitCode()).as("%s", list).isZero();
    assertThat(lineOf(list.out(), "ci"))
        .contains("active")
        .contains("users.export.ids,users.track")
        .contains("127.0.0.1/32")
        .containsPattern("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
    assertThat(lineOf(list.out(), "open"))
        .contains("active")
        .contains("segments.list")
        .contains("any");
    for (String s : new String[] {secret, open}) {
      assertThat(list.out() + list.err())
          .doesNotContain(s)
          .doesNotContain(ApiKeySecrets.hash(s))
          .doesNotContainIgnoringCase(ApiKeySecrets.hash(s).substring(0, 16));
    }
  }

  @Test
  void aSecondActiveKeyWithTheSameNameIsRefused() {
    createKey("ci", "users.track");
    CommandLineRun duplicate =
        kiln("keys", "create", "--name", "ci", "--permissions", "users.export.ids");
    assertThat(duplicate.exitCode()).as("%s", duplicate).isEqualTo(2);
    assertThat(duplicate.out()).as("no secret is printed for a key that was not made").isEmpty();
    assertThat(duplicate.err()).contains("'ci'").contains("already exists");
    assertThat(duplicate.err())
        .doesNotContain("Exception")
        .doesNotContainIgnoringCase("sqlite")
        .doesNotContain("\tat ");
  }

  @Test
  void aRevokedKeysNameCanBeUsedAgain() {
    createKey("ci", "users.track");
    assertThat(kiln("keys", "revoke", "ci").exitCode()).isZero();
    CommandLineRun again = kiln("keys", "create", "--name", "ci", "--permissions", "users.track");
    assertThat(again.exitCode()).as("%s", again).isZero();
    assertThat(again.out()).matches(UUID_SHAPE + "\\R");
  }

  @Test
  void revokeMarksTheKeyRevokedInTheList() {
    createKey("ci", "users.track");
    CommandLineRun revoke = kiln("keys", "revoke", "ci");
    assertThat(revoke.exitCode()).as("%s", revoke).isZero();
    assertThat(lineOf(kiln("keys", "list").out(), "ci"))
        .contains("revoked")
        .doesNotContain("active");
  }

  @Test
  void revokingAnUnknownKeyIsRefused() {
    CommandLineRun revoke = kiln("keys", "revoke", "nobody");
    assertThat(revoke.exitCode()).as("%s", revoke).isEqualTo(2);
    assertThat(revoke.err()).contains("'nobody'");
  }

  @Test
  void revokingTwiceIsRefusedTheSecondTime() {
    createKey("ci", "users.track");
    assertThat(kiln("keys", "revoke", "ci").exitCode()).isZero();
    CommandLineRun again = kiln("keys", "revoke", "ci");
    assertThat(again.exitCode()).as("%s", again).isEqualTo(2);
  }

  @Test
  void migrateSucceedsAndCanRunAgain() {
    CommandLineRun first = kiln("migrate");
    assertThat(first.exitCode()).as("%s", first).isZero();
    assertThat(first.out()).contains("up to date");
    CommandLineRun second = kiln("migrate");
    assertThat(second.exitCode()).as("%s", second).isZero();
  }

  @Test
  void aMigrationThatFailsPrintsWhy() throws SQLException {
    // A database Kiln did not make: tables, but no migration history.
    try (Connection stranger =
        DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("kiln.db"))) {
      stranger.createStatement().execute("CREATE TABLE not_kiln (x INTEGER)");
    }
    CommandLineRun migrate = kiln("migrate");
    assertThat(migrate.exitCode()).as("%s", migrate).isEqualTo(2);
    assertThat(migrate.err()).contains("could not be migrated").contains("schema history table");
  }

  @Test
  void theCommandLineAndTheServerShareOneStore() {
    assertThat(kiln("migrate").exitCode()).isZero();
    String active =
        kiln(
                "keys",
                "create",
                "--name",
                "ci",
                "--permissions",
                "users.track,users.export.ids",
                "--allowed-ips",
                "127.0.0.1/32")
            .out()
            .strip();
    String revoked =
        kiln("keys", "create", "--name", "old", "--permissions", "users.export.ids").out().strip();
    assertThat(active).matches(UUID_SHAPE);
    assertThat(revoked).matches(UUID_SHAPE);
    assertThat(kiln("keys", "revoke", "old").exitCode()).isZero();

    try (RunningKiln server = RunningKiln.startOn(dataDir, Map.of())) {
      Response accepted = exportIds(server, active);
      assertThat(accepted.status())
          .as("a key made by `keys create`: %s", accepted)
          .isNotIn(401, 403, 404, 405);
      Response refused = exportIds(server, revoked);
      assertThat(refused.status()).as("a key revoked by `keys revoke`: %s", refused).isEqualTo(401);

      // A key revoked by the command line while the server runs stops working at once.
      assertThat(kiln("keys", "revoke", "ci").exitCode()).isZero();
      Response afterRevoke = exportIds(server, active);
      assertThat(afterRevoke.status()).as("after `keys revoke ci`: %s", afterRevoke).isEqualTo(401);
    }
  }

  @Test
  void aKeyCreatedWhileTheServerRunsWorksAtOnce() {
    try (RunningKiln server = RunningKiln.startOn(dataDir, Map.of())) {
      CommandLineRun create =
          kiln("keys", "create", "--name", "late", "--permissions", "users.export.ids");
      assertThat(create.exitCode()).as("%s", create).isZero();
      Response response = exportIds(server, create.out().strip());
      assertThat(response.status()).as("%s", response).isNotIn(401, 403, 404, 405);
    }
  }

  @Test
  void anOperatorRaisesAndRestoresOneKeysLimitsWhileTheServerRuns() {
    String secret =
        kiln(
                "keys",
                "create",
                "--name",
                "backfill",
                "--permissions",
                "users.export.ids",
                "--rate-limits",
                "users.export.ids=2/1h")
            .out()
            .strip();
    assertThat(lineOf(kiln("keys", "list").out(), "backfill")).contains("users.export.ids=2/1h");

    try (RunningKiln server =
        RunningKiln.startOn(dataDir, Map.of("KILN_RATE_LIMITS_ENABLED", "true"))) {
      assertThat(exportIds(server, secret).header("X-RateLimit-Limit")).isEqualTo("2");
      exportIds(server, secret);
      assertThat(exportIds(server, secret).status())
          .as("over the key's own limit of 2")
          .isEqualTo(429);

      CommandLineRun raise = kiln("keys", "rate-limits", "backfill", "users.export.ids=unlimited");
      assertThat(raise.exitCode()).as("%s", raise).isZero();
      assertThat(raise.out()).contains("users.export.ids=unlimited");
      Response unlimited = exportIds(server, secret);
      assertThat(unlimited.status()).as("%s", unlimited).isEqualTo(200);
      assertThat(unlimited.header("X-RateLimit-Limit"))
          .as("an unlimited key has no bucket to report")
          .isNull();

      assertThat(kiln("keys", "rate-limits", "backfill").exitCode()).isZero();
      assertThat(exportIds(server, secret).header("X-RateLimit-Limit"))
          .as("back on the server's 250/1m")
          .isEqualTo("250");
    }
    assertThat(lineOf(kiln("keys", "list").out(), "backfill")).contains("server's");
  }

  @Test
  void rateLimitsForAnUnknownKeyAreRefusedNamingIt() {
    CommandLineRun unknownKey = kiln("keys", "rate-limits", "nobody", "users.track=unlimited");
    assertThat(unknownKey.exitCode()).as("%s", unknownKey).isEqualTo(2);
    assertThat(unknownKey.err()).contains("'nobody'");
  }

  // --- helpers ---

  private CommandLineRun kiln(String... args) {
    return CommandLineRun.kiln(env, args);
  }

  private String createKey(String name, String permissions) {
    CommandLineRun create = kiln("keys", "create", "--name", name, "--permissions", permissions);
    assertThat(create.exitCode()).as("%s", create).isZero();
    return create.out();
  }

  private static String lineOf(String listing, String name) {
    return listing
        .lines()
        .filter(line -> line.startsWith(name + " "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no key named '" + name + "' in:\n" + listing));
  }

  private static Response exportIds(RunningKiln server, String secret) {
    return server.send(
        HttpRequest.newBuilder(server.uri("/users/export/ids"))
            .header("Authorization", "Bearer " + secret)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(EXPORT_BODY)));
  }
}
