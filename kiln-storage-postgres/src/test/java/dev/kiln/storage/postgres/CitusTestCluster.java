package dev.kiln.storage.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real Citus cluster for tests, a coordinator and two workers: the one whose coordinator {@code
 * KILN_TEST_CITUS_URL} names (a JDBC URL of a database with the citus extension and its nodes
 * registered, as a superuser, who may create databases and the extension on every node), else one
 * built and started here with {@code build-bin/citus/} once per JVM, on loopback, stopped and
 * deleted when the JVM exits. There is no skipping: when Citus cannot be built or started, the
 * tests fail with the script's output.
 *
 * <p>Every caller gets a database of its own on every node. It is copied from a template made once
 * per JVM (extension created, nodes registered): a copy costs about 0.2 s a node, where creating
 * the extension and registering the nodes again costs about 1 s a node, and the HTTP suites make a
 * database for every data folder.
 */
public final class CitusTestCluster {
  public static final String URL_VARIABLE = "KILN_TEST_CITUS_URL";

  /** The tables Kiln distributes on Citus (CitusLayout), for tests that check where rows went. */
  public static final List<String> KILN_DISTRIBUTED_TABLES =
      List.of(
          "users",
          "custom_events",
          "purchases",
          "user_aliases",
          "user_external_ids",
          "user_braze_ids",
          "user_alias_ids",
          "user_emails",
          "user_phones");

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final long SCRIPT_TIMEOUT_MINUTES = 15;
  private static CitusTestCluster shared;

  /** Superuser URLs of the nodes' maintenance database, coordinator first. */
  private final List<String> nodeAdminUrls;

  /** The coordinator as the user Kiln connects as; its database is replaced by the test's. */
  private final String userUrl;

  private final String owner;
  private final String template;

  /** The folder of the nodes' data directories when the cluster was started here, else null. */
  private Path localDir;

  private CitusTestCluster(String coordinatorAdminUrl, String userUrl, String owner) {
    this.userUrl = userUrl;
    this.owner = owner;
    this.nodeAdminUrls = nodesOf(coordinatorAdminUrl);
    this.template = "kiln_template_" + ProcessHandle.current().pid();
    makeTemplate();
  }

  public static synchronized CitusTestCluster shared() {
    if (shared == null) {
      String given = System.getenv(URL_VARIABLE);
      shared =
          given != null && !given.isBlank()
              ? new CitusTestCluster(given, given, userOf(given))
              : startLocal();
    }
    return shared;
  }

  /**
   * A cluster of its own, started here even when {@code KILN_TEST_CITUS_URL} names one, and stopped
   * and deleted when the JVM exits: for tests that stop its workers or move its shards, which would
   * fail the suites that share {@link #shared()}.
   */
  public static CitusTestCluster startPrivate() {
    return startLocal();
  }

  /**
   * Stops worker {@code worker} (1 or 2, in {@link #workers()}' order) at once, as a crash or a
   * power cut would: {@code pg_ctl -m immediate}, no shutdown checkpoint, connections cut.
   */
  public void stopWorker(int worker) {
    pgCtl(worker, "-m", "immediate", "-w", "stop");
  }

  /** Starts a stopped worker again on its data directory; returns once it accepts connections. */
  public void startWorker(int worker) {
    String log = localDir.resolve("worker" + worker + ".log").toString();
    pgCtl(worker, "-l", log, "-w", "-t", "60", "start");
  }

  /** Runs pg_ctl on a worker's data directory as the OS user that runs the servers. */
  private void pgCtl(int worker, String... arguments) {
    if (localDir == null) {
      throw new IllegalStateException("only a cluster started here can stop and start its workers");
    }
    List<String> command = new ArrayList<>();
    if (System.getProperty("user.name").equals("root")) {
      command.addAll(List.of("runuser", "-u", "postgres", "--")); // as start-cluster.sh runs them
    }
    command.add(System.getenv().getOrDefault("PG_BIN", "/usr/lib/postgresql/15/bin") + "/pg_ctl");
    command.add("-D");
    command.add(localDir.resolve("worker" + worker).toString());
    command.addAll(List.of(arguments));
    run(command);
  }

  /**
   * A new, empty database on every node, with the citus extension and the workers registered; its
   * coordinator's JDBC URL carries the user and password.
   */
  public String newDatabase() {
    String name = "kiln_citus_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    for (String node : nodeAdminUrls) {
      execute(
          node, "CREATE DATABASE " + name + " TEMPLATE " + template + " OWNER " + quoted(owner));
    }
    return PostgresUrl.withDatabase(userUrl, name);
  }

  /** The worker nodes' {@code host:port}, as the coordinator registered them. */
  public List<String> workers() {
    return nodeAdminUrls.stream().skip(1).map(CitusTestCluster::hostAndPort).toList();
  }

  /**
   * The template: the extension on every node, the coordinator and the workers registered on the
   * coordinator (which copies that metadata to the workers). No one may be connected to a database
   * being copied, and Citus keeps a maintenance daemon and cached connections in each, so
   * connections to it are closed and refused from then on.
   */
  private void makeTemplate() {
    for (String node : nodeAdminUrls) {
      execute(node, "CREATE DATABASE " + template + " OWNER " + quoted(owner));
      execute(PostgresUrl.withDatabase(node, template), "CREATE EXTENSION citus");
    }
    String coordinator = PostgresUrl.withDatabase(nodeAdminUrls.getFirst(), template);
    execute(coordinator, "SELECT citus_set_coordinator_host(" + hostPortArguments(0) + ")");
    for (int worker = 1; worker < nodeAdminUrls.size(); worker++) {
      execute(coordinator, "SELECT citus_add_node(" + hostPortArguments(worker) + ")");
    }
    for (String node : nodeAdminUrls) {
      execute(node, "ALTER DATABASE " + template + " WITH ALLOW_CONNECTIONS false");
      execute(
          node,
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
              + template
              + "'");
    }
  }

  private String hostPortArguments(int node) {
    String[] hostPort = hostAndPort(nodeAdminUrls.get(node)).split(":");
    return "'" + hostPort[0] + "', " + hostPort[1];
  }

  /**
   * The coordinator and the workers of the cluster whose coordinator this URL reaches, as URLs of
   * the same user on each node's maintenance database {@code postgres}.
   */
  private static List<String> nodesOf(String coordinatorUrl) {
    List<String> nodes = new ArrayList<>();
    nodes.add(PostgresUrl.withDatabase(coordinatorUrl, "postgres"));
    try (Connection connection = DriverManager.getConnection(coordinatorUrl);
        Statement statement = connection.createStatement();
        ResultSet workers =
            statement.executeQuery(
                "SELECT nodename, nodeport FROM pg_dist_node"
                    + " WHERE groupid <> 0 AND noderole = 'primary' ORDER BY groupid")) {
      while (workers.next()) {
        nodes.add(withHostAndPort(nodes.getFirst(), workers.getString(1), workers.getInt(2)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot read the Citus nodes from " + coordinatorUrl + ": " + e.getMessage(), e);
    }
    if (nodes.size() < 3) {
      throw new IllegalStateException(
          "the Citus cluster at " + coordinatorUrl + " has fewer than 2 workers: " + nodes);
    }
    return List.copyOf(nodes);
  }

  private static String hostAndPort(String jdbcUrl) {
    String afterSlashes = jdbcUrl.substring(jdbcUrl.indexOf("//") + 2);
    return afterSlashes.substring(0, afterSlashes.indexOf('/'));
  }

  private static String withHostAndPort(String jdbcUrl, String host, int port) {
    return jdbcUrl.replace("//" + hostAndPort(jdbcUrl) + "/", "//" + host + ":" + port + "/");
  }

  private static String userOf(String jdbcUrl) {
    return Stream.of(jdbcUrl.substring(jdbcUrl.indexOf('?') + 1).split("&"))
        .filter(parameter -> parameter.startsWith("user="))
        .map(parameter -> parameter.substring("user=".length()))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(URL_VARIABLE + " names no user=: " + jdbcUrl));
  }

  private static String quoted(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  private static void execute(String url, String sql) {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Citus test cluster: " + sql + " failed on " + hostAndPort(url) + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Builds Citus (a no-op once installed) and starts a cluster in a new temporary folder; the
   * scripts' own user, role {@code kiln}, is the one the tests connect as, the superuser {@code
   * postgres} makes the databases.
   */
  private static CitusTestCluster startLocal() {
    Path scripts = repositoryRoot().resolve("build-bin/citus");
    run(List.of("bash", scripts.resolve("build-citus.sh").toString()));
    Path dir = temporaryFolder();
    int basePort = threeFreePorts();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(scripts, dir), "citus-test-stop"));
    String url =
        run(List.of(
                "bash",
                scripts.resolve("start-cluster.sh").toString(),
                dir.toString(),
                Integer.toString(basePort)))
            .strip();
    String admin = "jdbc:postgresql://127.0.0.1:" + basePort + "/kiln?user=postgres";
    CitusTestCluster cluster = new CitusTestCluster(admin, url, "kiln");
    cluster.localDir = dir;
    return cluster;
  }

  /**
   * Stops the nodes and deletes their folder in one shell of its own: a JVM that its test runner
   * halts while the thousands of files of the databases are deleted leaves the shell to finish.
   */
  private static void stop(Path scripts, Path dir) {
    run(
        List.of(
            "bash",
            "-c",
            "\"$0\" --stop \"$1\"; rm -rf \"$1\"",
            scripts.resolve("start-cluster.sh").toString(),
            dir.toString()));
  }

  /** Runs a script and returns its standard output; a failure carries everything it printed. */
  private static String run(List<String> command) {
    try {
      Path out = Files.createTempFile("citus-test", ".out");
      Path err = Files.createTempFile("citus-test", ".err");
      try {
        Process process =
            new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        boolean finished = process.waitFor(SCRIPT_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        if (!finished) {
          process.destroyForcibly();
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        if (!finished || process.exitValue() != 0) {
          throw new IllegalStateException(
              "the Citus test cluster cannot be built or started: "
                  + String.join(" ", command)
                  + (finished ? " exited with " + process.exitValue() : " timed out")
                  + "\n"
                  + stdout
                  + Files.readString(err, StandardCharsets.UTF_8));
        }
        return stdout.lines().reduce((first, second) -> second).orElse("");
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    }
  }

  /** The clone's root: the first folder up from the working directory with build-bin/citus. */
  private static Path repositoryRoot() {
    Path start = Path.of("").toAbsolutePath();
    for (Path folder = start; folder != null; folder = folder.getParent()) {
      if (Files.isRegularFile(folder.resolve("build-bin/citus/start-cluster.sh"))) {
        return folder;
      }
    }
    throw new IllegalStateException("no build-bin/citus/start-cluster.sh above " + start);
  }

  private static Path temporaryFolder() {
    try {
      return Files.createTempDirectory("kiln-citus");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A port whose next two are free as well: the coordinator's, then the two workers'. */
  private static int threeFreePorts() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20_000, 40_000);
      if (free(base) && free(base + 1) && free(base + 2)) {
        return base;
      }
    }
    throw new IllegalStateException("found no three consecutive free ports for Citus");
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
