package dev.kiln.bench;

import dev.kiln.storage.postgres.PostgresStorage;
import dev.kiln.storage.postgres.PostgresUrl;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Citus cluster the operator runs ({@code --citus-url}: its coordinator, as a superuser, in a
 * database where the workers are registered, such as the one build-bin/citus/start-cluster.sh
 * makes). Each scenario gets a database of its own on every node, {@code kiln_bench_<scenario>},
 * with the citus extension and the same workers; Kiln distributes its tables there itself when it
 * migrates, as it does for an operator (docs/scaling.md).
 */
final class CitusBackend implements Backend {
  private final String coordinatorUrl;

  CitusBackend(String coordinatorUrl) {
    this.coordinatorUrl = coordinatorUrl;
  }

  @Override
  public String label() {
    return "Citus";
  }

  @Override
  public String key(String sqliteKey) {
    return sqliteKey + "_citus";
  }

  @Override
  public Store create(String scenario, Path work) throws Exception {
    String database = "kiln_bench_" + scenario.replace('-', '_');
    List<Node> workers = workers();
    Node coordinator = Node.of(coordinatorUrl);
    for (Node node : nodes(coordinator, workers)) {
      recreate(node, database);
    }
    try (Connection connection =
            DriverManager.getConnection(PostgresUrl.withDatabase(coordinatorUrl, database));
        Statement statement = connection.createStatement()) {
      statement.execute(
          "SELECT citus_set_coordinator_host('"
              + coordinator.host()
              + "', "
              + coordinator.port()
              + ")");
      for (Node worker : workers) {
        statement.execute("SELECT citus_add_node('" + worker.host() + "', " + worker.port() + ")");
      }
    }
    String url = PostgresUrl.withDatabase(coordinatorUrl, database);
    return new Store(
        Files.createDirectories(work.resolve(scenario + "-citus")),
        Map.of("KILN_STORAGE", "postgres", "KILN_POSTGRES_URL", url),
        () -> PostgresStorage.newBuilder(url).build());
  }

  /** What the figures ran on, for the report: Citus's and PostgreSQL's versions, the workers. */
  String describe() throws SQLException {
    try (Connection connection = DriverManager.getConnection(coordinatorUrl);
        Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery("SELECT citus_version(), current_setting('server_version')")) {
      row.next();
      return row.getString(1) + "; PostgreSQL " + row.getString(2) + "; workers " + workers();
    }
  }

  private static List<Node> nodes(Node coordinator, List<Node> workers) {
    List<Node> nodes = new ArrayList<>(List.of(coordinator));
    nodes.addAll(workers);
    return nodes;
  }

  /** The cluster's workers, as the coordinator's database of the URL registers them. */
  private List<Node> workers() throws SQLException {
    List<Node> workers = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(coordinatorUrl);
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT nodename, nodeport FROM pg_dist_node"
                    + " WHERE groupid <> 0 AND noderole = 'primary' ORDER BY nodeport")) {
      while (rows.next()) {
        workers.add(new Node(rows.getString(1), rows.getInt(2)));
      }
    }
    if (workers.isEmpty()) {
      throw new IllegalStateException(
          "--citus-url names no Citus coordinator with workers: pg_dist_node lists none");
    }
    return workers;
  }

  /** Drops the previous run's database on one node and makes it anew with the citus extension. */
  private void recreate(Node node, String database) throws SQLException {
    String nodeUrl = node.url(coordinatorUrl);
    try (Connection connection = DriverManager.getConnection(nodeUrl);
        Statement statement = connection.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      statement.execute("CREATE DATABASE " + database);
    }
    try (Connection connection =
            DriverManager.getConnection(PostgresUrl.withDatabase(nodeUrl, database));
        PreparedStatement statement = connection.prepareStatement("CREATE EXTENSION citus")) {
      statement.execute();
    }
  }

  /** One node of the cluster. */
  private record Node(String host, int port) {

    static final String SCHEME = "jdbc:postgresql://";

    static Node of(String jdbcUrl) {
      URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
      return new Node(uri.getHost(), uri.getPort() == -1 ? 5432 : uri.getPort());
    }

    /** The URL of {@code template} (database, user, password) with this node's host and port. */
    String url(String template) {
      String afterScheme = template.substring(SCHEME.length());
      return SCHEME + host + ":" + port + afterScheme.substring(afterScheme.indexOf('/'));
    }
  }
}
