package dev.kiln.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.core.auth.ApiKey;
import dev.kiln.core.auth.ApiKeySecrets;
import dev.kiln.core.auth.IpRange;
import dev.kiln.core.auth.Permission;
import dev.kiln.core.storage.ProfileStorage;
import dev.kiln.server.KilnServer;
import dev.kiln.server.config.KilnConfig;
import dev.kiln.server.config.StorageFactory;
import dev.kiln.server.http.ApiRoute;
import dev.kiln.server.http.Json;
import dev.kiln.storage.jdbc.JdbcProfileStorage;
import dev.kiln.storage.postgres.CitusTestCluster;
import dev.kiln.storage.postgres.PostgresTestServer;
import dev.kiln.storage.sqlite.SqliteStorage;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kiln server on a random loopback port over a real store, for HTTP-level tests: SQLite in
 * its data folder, or, when the system property {@value #STORAGE_PROPERTY} is {@code postgres}, a
 * database of its own on the tests' PostgreSQL, or when it is {@code citus}, on the tests' Citus
 * cluster (the build runs the HTTP suites once per backend). {@link #key()} is a secret with every
 * permission; {@link #createKey} makes narrower ones. Rate limits are off unless a test turns them
 * on ({@code KILN_RATE_LIMITS_ENABLED=true}): suites that send thousands of requests test what they
 * are about, ITRateLimits tests the limits.
 */
public final class RunningKiln implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  public static final String STORAGE_PROPERTY = "kiln.test.storage";
  private static final Map<Path, String> DATABASES = new ConcurrentHashMap<>();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private Path dataDir;
  private final Map<String, String> extraEnv;
  private final String allPermissionsKey = ApiKeySecrets.generate();
  private KilnServer server;
  private int port; // kept after a stop, so late requests meet a refused connection, as clients do
  private JdbcProfileStorage storage;

  private RunningKiln(Path dataDir, Map<String, String> extraEnv) {
    this.dataDir = dataDir;
    this.extraEnv = extraEnv;
  }

  /**
   * The settings with the store the build chose for this run, unless the test names one itself. On
   * PostgreSQL each data folder has a database of its own, so a server started again on the same
   * folder (a restart) finds what the first one stored.
   */
  private static Map<String, String> withTestStorage(Path dataDir, Map<String, String> env) {
    if (env.containsKey("KILN_STORAGE") || !onPostgres()) {
      return env;
    }
    Map<String, String> withPostgres = new HashMap<>(env);
    withPostgres.put("KILN_STORAGE", "postgres");
    withPostgres.put(
        "KILN_POSTGRES_URL",
        DATABASES.computeIfAbsent(
            dataDir,
            folder ->
                onCitus()
                    ? CitusTestCluster.shared().newDatabase()
                    : PostgresTestServer.shared().newDatabase()));
    return withPostgres;
  }

  /**
   * Whether this run of the HTTP suites is on PostgreSQL: plain, or Citus, which Kiln reaches
   * through its coordinator as it reaches any PostgreSQL.
   */
  public static boolean onPostgres() {
    return testStorage().equals("postgres") || onCitus();
  }

  /** Whether this run of the HTTP suites is the one on a Citus cluster. */
  public static boolean onCitus() {
    return testStorage().equals("citus");
  }

  private static String testStorage() {
    return System.getProperty(STORAGE_PROPERTY, "sqlite");
  }

  /**
   * One server for a whole test class, started before its first test and stopped after its last:
   * {@code @RegisterExtension static final RunningKiln kiln = RunningKiln.perClass();}
   */
  public static RunningKiln perClass() {
    return perClass(Map.of());
  }

  /** {@link #perClass()} with extra KILN_* settings. */
  public static RunningKiln perClass(Map<String, String> env) {
    return new RunningKiln(null, env);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dataDir = Files.createTempDirectory("kiln-it");
    boot();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** Starts a server over a new temporary data folder. */
  public static RunningKiln start() {
    return start(Map.of());
  }

  /** Starts a server over a new temporary data folder with extra KILN_* settings. */
  public static RunningKiln start(Map<String, String> env) {
    try {
      return startOn(Files.createTempDirectory("kiln-it"), env);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a server over an existing data folder, as a restart does. */
  public static RunningKiln startOn(Path dataDir, Map<String, String> env) {
    RunningKiln kiln = new RunningKiln(dataDir, env);
    kiln.boot();
    return kiln;
  }

  private void boot() {
    Map<String, String> env = new HashMap<>(withTestStorage(dataDir, extraEnv));
    env.put("KILN_PORT", "0");
    env.put("KILN_HOST", "127.0.0.1");
    env.put("KILN_DATA_DIR", dataDir.toString());
    env.putIfAbsent("KILN_CONFIG", emptyConfigFile().toString());
    env.putIfAbsent("KILN_RATE_LIMITS_ENABLED", "false");
    KilnConfig config = KilnConfig.load(env);
    storage = StorageFactory.create(config);
    storage.migrate();
    storage
        .apiKeys()
        .replace(
            ApiKey.create(
                "all-permissions", EnumSet.allOf(Permission.class), List.of(), Instant.now()),
            ApiKeySecrets.hash(allPermissionsKey));
    server = KilnServer.start(config, storage, Optional.of(storage));
    port = server.port();
  }

  /** Stops the server gracefully and starts a new one on the same data folder. */
  public void restart() {
    server.close();
    boot();
  }

  public Path dataDir() {
    return dataDir;
  }

  /**
   * A JDBC URL of the server's database, for tests that change what no API can (the passing of
   * time).
   */
  public String jdbcUrl() {
    return storage instanceof SqliteStorage sqlite
        ? "jdbc:sqlite:" + sqlite.databaseFile()
        : DATABASES.get(dataDir);
  }

  public ProfileStorage storage() {
    return storage;
  }

  /** The API routes the running server serves behind a key. */
  public List<ApiRoute> routes() {
    return server.routes();
  }

  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port + pathAndQuery);
  }

  /** A secret with every permission. */
  public String key() {
    return allPermissionsKey;
  }

  /** Creates an active key and returns its secret. */
  public String createKey(String name, Set<Permission> permissions, List<String> allowedIps) {
    String secret = ApiKeySecrets.generate();
    storage
        .apiKeys()
        .create(
            ApiKey.create(
                name, permissions, allowedIps.stream().map(IpRange::parse).toList(), Instant.now()),
            ApiKeySecrets.hash(secret));
    return secret;
  }

  /** POSTs a JSON body with the all-permissions key. */
  public Response post(String path, String json) {
    return postAs(allPermissionsKey, path, json);
  }

  /** POSTs a JSON body with the key of this secret. */
  public Response postAs(String secret, String path, String json) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Authorization", "Bearer " + secret)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** GETs with the all-permissions key. */
  public Response get(String pathAndQuery) {
    return send(
        HttpRequest.newBuilder(uri(pathAndQuery))
            .header("Authorization", "Bearer " + allPermissionsKey)
            .GET());
  }

  public Response send(HttpRequest.Builder request) {
    return Response.send(CLIENT, request.build());
  }

  /**
   * Calls an API route: {@code {}} as the JSON body of a POST, no body for other methods; {@code
   * auth} adds a key or not.
   */
  public Response send(ApiRoute route, UnaryOperator<HttpRequest.Builder> auth) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(concretePath(route)));
    if (route.method().equals(HandlerType.POST)) {
      request
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{}"));
    } else {
      request.method(route.method().name(), HttpRequest.BodyPublishers.noBody());
    }
    return send(auth.apply(request));
  }

  /** The route's path with any path parameter ({name} or <name>) filled in. */
  public static String concretePath(ApiRoute route) {
    return route.path().replaceAll("\\{[^}]*}|<[^>]*>", "x");
  }

  /** Adds {@code Authorization: Bearer secret}. */
  public static UnaryOperator<HttpRequest.Builder> bearer(String secret) {
    return request -> request.header("Authorization", "Bearer " + secret);
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }

  private Path emptyConfigFile() {
    try {
      return Files.createTempFile("kiln-it", ".properties");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An HTTP response with its body, parsed as JSON on demand. */
  public record Response(int status, String body, Map<String, List<String>> headers) {
    /** Sends the request and reads the whole answer; a failure to connect fails the test. */
    public static Response send(HttpClient client, HttpRequest request) {
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body(), response.headers().map());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    public JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("response body is not JSON: " + body, e);
      }
    }

    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().getFirst())
          .findFirst()
          .orElse(null);
    }
  }
}
