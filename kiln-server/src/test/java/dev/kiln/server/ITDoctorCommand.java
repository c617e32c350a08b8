package dev.kiln.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.server.testing.CommandLineRun;
import dev.kiln.server.testing.FixedBackend;
import dev.kiln.storage.postgres.PostgresTestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./kiln doctor} on SQLite and on a plain PostgreSQL: what the store is, whether it answers,
 * its schema version, its layout, and an exit code a script can test. The Citus layout is reported
 * by the same code and checked on a real cluster (ITCitusLayout, kiln-storage-postgres).
 */
@FixedBackend(
    "names its stores itself: an SQLite folder, a PostgreSQL database, an unreachable one")
class ITDoctorCommand {
  @TempDir Path dataDir;
  private Map<String, String> env;

  @BeforeEach
  void environment(@TempDir Path configDir) throws IOException {
    Path config = Files.createFile(configDir.resolve("kiln.properties"));
    env =
        new HashMap<>(
            Map.of("KILN_DATA_DIR", dataDir.toString(), "KILN_CONFIG", config.toString()));
  }

  @Test
  void anEmptyStoreIsReportedAsSuchAndFails() {
    CommandLineRun doctor = CommandLineRun.kiln(env, "doctor");
    assertThat(doctor.exitCode()).as("%s", doctor).isEqualTo(1);
    assertThat(doctor.out())
        .contains("store:  SQLite database " + dataDir.resolve("kiln.db"))
        .contains("status: reachable")
        .contains("schema: empty (`kiln migrate` or `kiln serve` creates it)");
  }

  @Test
  void aMigratedSqliteStoreIsUpToDateOnOneFile() {
    assertThat(CommandLineRun.kiln(env, "migrate").exitCode()).isZero();
    CommandLineRun doctor = CommandLineRun.kiln(env, "doctor");
    assertThat(doctor.exitCode()).as("%s", doctor).isZero();
    assertThat(doctor.out())
        .containsPattern("schema: version \\d+, up to date")
        .contains("layout: one SQLite database file, one writer at a time (one Kiln node)");
  }

  @Test
  void aPlainPostgresqlIsReportedAsOneServer() {
    env.put("KILN_STORAGE", "postgres");
    env.put("KILN_POSTGRES_URL", PostgresTestServer.shared().newDatabase());
    assertThat(CommandLineRun.kiln(env, "migrate").exitCode()).isZero();
    CommandLineRun doctor = CommandLineRun.kiln(env, "doctor");
    assertThat(doctor.exitCode()).as("%s", doctor).isZero();
    assertThat(doctor.out())
        .contains("store:  PostgreSQL database")
        .containsPattern("schema: version \\d+, up to date")
        .contains("layout: plain PostgreSQL (no citus extension): every table on this one server");
    assertThat(doctor.out()).as("no secret printed").doesNotContain("password=");
  }

  @Test
  void anUnreachableDatabaseFailsWithoutAStackTrace() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    env.put("KILN_STORAGE", "postgres");
    env.put(
        "KILN_POSTGRES_URL",
        "jdbc:postgresql://127.0.0.1:" + closedPort + "/kiln?user=kiln&password=secret");
    CommandLineRun doctor = CommandLineRun.kiln(env, "doctor");
    assertThat(doctor.exitCode()).as("%s", doctor).isEqualTo(1);
    assertThat(doctor.out()).contains("status: unreachable").doesNotContain("secret");
    assertThat(doctor.out() + doctor.err()).doesNotContain("\tat ");
  }
}
