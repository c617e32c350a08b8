package dev.kiln.server.config;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.core.ratelimit.RateLimit;
import dev.kiln.core.ratelimit.RateLimitGroup;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Kiln's configuration: environment first, then the config file, then defaults. The config file is
 * {@code KILN_CONFIG} when set, else {@code kiln.properties} in the working folder when present.
 * Every value is parsed and checked once, here, at start, so a typo fails at start with a message
 * naming the key; the settings are then plain values, grouped by the area they configure.
 */
public final class KilnConfig {
  /** Variables read by the launcher script or logging rather than by this class. */
  private static final Set<String> OTHER_VARIABLES =
      Set.of("KILN_CONFIG", "KILN_JAVA_OPTS", "KILN_LOG_LEVEL", "KILN_JDK_SEARCH_DIRS");

  private final Path dataDir;
  private final Optional<Secret> bootstrapApiKey;
  private final Http http;
  private final Segments segments;
  private final Storage storage;
  private final RateLimits rateLimits;
  private final Exports exports;
  private final Callbacks callbacks;
  private final S3 s3;

  /**
   * The HTTP server: where it listens, what bodies it takes, and how long it waits.
   *
   * @param publicUrl the base of links Kiln hands out, when the operator gave one
   * @param readTimeout how long a request may go without sending a byte before it is cut off with
   *     408
   * @param minRequestBytesPerSecond the slowest a request body may arrive, on average, before it is
   *     cut off with 408; 0 for no minimum
   * @param maxArrivingBodyBytes the most bytes the bodies still arriving may hold together, over
   *     every connection: the memory a flood of unfinished bodies can take. Past it, a body is
   *     refused with 503 instead of buffered.
   */
  public record Http(
      String host,
      int port,
      Optional<String> publicUrl,
      long maxBodyBytes,
      Duration readTimeout,
      long minRequestBytesPerSecond,
      long maxArrivingBodyBytes,
      Duration shutdownTimeout) {
    /** The base of links Kiln hands out; defaults to this server on localhost. */
    public String publicUrl(int boundPort) {
      return publicUrl.orElse("http://localhost:" + boundPort);
    }
  }

  /**
   * The store and this node's connections to it.
   *
   * @param postgresMaxConnections the most connections this node opens to PostgreSQL, all roles
   *     together
   * @param evaluationConnections connections that evaluate segments: one per concurrent size, and
   *     one for this node's export worker
   */
  public record Storage(
      StorageKind kind,
      Optional<Secret> postgresUrl,
      int postgresMaxConnections,
      int evaluationConnections) {
    /** A third of the node's PostgreSQL connections write (at least one). */
    public int postgresWriteConnections() {
      return writeConnectionsOutOf(postgresMaxConnections);
    }

    /**
     * What is left for reads (API keys, profiles, segment definitions) once writes and evaluations
     * have theirs.
     */
    public int postgresReadConnections() {
      return readConnectionsOutOf(postgresMaxConnections);
    }

    /** The fewest connections that leave at least one for reads. */
    public int fewestPostgresConnections() {
      int connections = evaluationConnections + 2;
      while (readConnectionsOutOf(connections) < 1) {
        connections++;
      }
      return connections;
    }

    private int readConnectionsOutOf(int connections) {
      return connections - writeConnectionsOutOf(connections) - evaluationConnections;
    }

    private static int writeConnectionsOutOf(int connections) {
      return Math.max(1, connections / 3);
    }
  }

  /**
   * @param limits each group's limit: Braze's default unless {@code KILN_RATE_LIMITS} names another
   * @param resetInSecondsRemaining whether X-RateLimit-Reset counts seconds from now rather than
   *     giving an epoch second
   */
  public record RateLimits(
      boolean enabled, Map<RateLimitGroup, RateLimit> limits, boolean resetInSecondsRemaining) {
    public RateLimits {
      limits = Map.copyOf(limits);
    }
  }

  /**
   * @param file the segments file to apply at start, if any
   * @param evaluations how many /segments/size evaluations this node runs at once; more are
   *     answered 429
   * @param queryTimeout how long the database may evaluate one /segments/size before it is stopped
   *     with a 400
   */
  public record Segments(Optional<Path> file, int evaluations, Duration queryTimeout) {}

  /**
   * Segment exports.
   *
   * @param queryTimeout how long the database may take to read one file's worth of an export's
   *     members before the export fails
   * @param urlValidity how long a local export's download link works once the export is ready
   * @param urlSigningKey the operator's URL signing key, if set
   * @param maxAttempts how many runs of an export may fail on a store that may recover before the
   *     export fails
   * @param retryDelay the wait before an export whose run failed is tried again; it doubles with
   *     each failed run
   */
  public record Exports(
      Duration queryTimeout,
      Duration urlValidity,
      Optional<Secret> urlSigningKey,
      Duration lease,
      int maxAttempts,
      Duration retryDelay) {}

  /**
   * Export callbacks.
   *
   * @param threads how many callbacks a node sends at once: the bound on threads that mute
   *     endpoints can hold
   */
  public record Callbacks(boolean allowPrivate, int threads) {}

  /** The operator's bucket for exports: exports go there when {@code bucket} is set. */
  public record S3(
      Optional<String> bucket,
      String region,
      Optional<String> endpoint,
      boolean pathStyle,
      Optional<String> accessKeyId,
      Optional<Secret> secretAccessKey) {}

  private KilnConfig(Values values) {
    dataDir = Path.of(values.text(Setting.DATA_DIR));
    bootstrapApiKey = values.secret(Setting.API_KEY);
    http = http(values);
    segments = segments(values);
    storage = storage(values, segments);
    rateLimits = rateLimits(values);
    exports = exports(values);
    callbacks =
        new Callbacks(
            values.bool(Setting.CALLBACK_ALLOW_PRIVATE),
            values.integer(Setting.CALLBACK_THREADS, 1, 64));
    s3 =
        new S3(
            values.nonEmpty(Setting.S3_BUCKET),
            values.text(Setting.S3_REGION),
            values.nonEmpty(Setting.S3_ENDPOINT),
            values.bool(Setting.S3_PATH_STYLE),
            values.nonEmpty(Setting.S3_ACCESS_KEY_ID),
            values.secret(Setting.S3_SECRET_ACCESS_KEY));
  }

  public static KilnConfig fromEnvironment() {
    return load(System.getenv());
  }

  /** Reads the settings from {@code env} and the config file it names (or the default one). */
  public static KilnConfig load(Map<String, String> env) {
    Properties file = readConfigFile(env);
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    for (Setting setting : Setting.values()) {
      String value =
          Optional.ofNullable(env.get(setting.environmentVariable()))
              .or(() -> Optional.ofNullable(file.getProperty(setting.propertyName())))
              .map(String::trim)
              .orElse(setting.defaultValue());
      values.put(setting, value);
    }
    rejectUnknownKeys(file);
    rejectUnknownVariables(env);
    return new KilnConfig(new Values(values));
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The operator's bootstrap key secret ({@code KILN_API_KEY}), if set. */
  public Optional<Secret> bootstrapApiKey() {
    return bootstrapApiKey;
  }

  public Http http() {
    return http;
  }

  public Storage storage() {
    return storage;
  }

  public RateLimits rateLimits() {
    return rateLimits;
  }

  public Segments segments() {
    return segments;
  }

  public Exports exports() {
    return exports;
  }

  public Callbacks callbacks() {
    return callbacks;
  }

  public S3 s3() {
    return s3;
  }

  private static Http http(Values values) {
    long maxBodyBytes = values.integer(Setting.MAX_BODY_BYTES, 1024, Integer.MAX_VALUE);
    long maxArrivingBodyBytes =
        values.integer(Setting.MAX_ARRIVING_BODY_BYTES, 1024, Integer.MAX_VALUE);
    if (maxArrivingBodyBytes < maxBodyBytes) {
      throw invalid(
          Setting.MAX_ARRIVING_BODY_BYTES,
          "must be at least KILN_MAX_BODY_BYTES ("
              + maxBodyBytes
              + "), not '"
              + maxArrivingBodyBytes
              + "'");
    }
    return new Http(
        values.text(Setting.HOST),
        values.integer(Setting.PORT, 0, 65_535),
        values.nonEmpty(Setting.PUBLIC_URL),
        maxBodyBytes,
        values.seconds(Setting.READ_TIMEOUT_SECONDS, 1, 3600),
        values.integer(Setting.MIN_REQUEST_BYTES_PER_SECOND, 0, Integer.MAX_VALUE),
        maxArrivingBodyBytes,
        values.seconds(Setting.SHUTDOWN_TIMEOUT_SECONDS, 0, 3600));
  }

  private static Segments segments(Values values) {
    return new Segments(
        values.nonEmpty(Setting.SEGMENTS_FILE).map(Path::of),
        values.integer(Setting.SEGMENT_EVALUATIONS, 1, 64),
        values.seconds(Setting.SEGMENT_QUERY_TIMEOUT_SECONDS, 1, 3600));
  }

  private static Storage storage(Values values, Segments segments) {
    String name = values.text(Setting.STORAGE);
    StorageKind kind =
        StorageKind.fromConfigName(name)
            .orElseThrow(
                () ->
                    invalid(Setting.STORAGE, "must be 'sqlite' or 'postgres', not '" + name + "'"));
    Storage storage =
        new Storage(
            kind,
            values.secret(Setting.POSTGRES_URL),
            values.integer(Setting.POSTGRES_MAX_CONNECTIONS, 2, 1000),
            segments.evaluations() + 1);
    if (kind == StorageKind.POSTGRES && storage.postgresUrl().isEmpty()) {
      throw invalid(Setting.POSTGRES_URL, "must be set when storage is postgres");
    }
    if (kind == StorageKind.POSTGRES && storage.postgresReadConnections() < 1) {
      throw invalid(
          Setting.POSTGRES_MAX_CONNECTIONS,
          "must be at least "
              + storage.fewestPostgresConnections()
              + " with "
              + Setting.SEGMENT_EVALUATIONS.environmentVariable()
              + "="
              + segments.evaluations()
              + ": a third of them write, one per segment evaluation and one for exports"
              + " evaluate, and at least one must be left for reads");
    }
    return storage;
  }

  private static RateLimits rateLimits(Values values) {
    Map<RateLimitGroup, RateLimit> limits = new EnumMap<>(RateLimitGroup.class);
    for (RateLimitGroup group : RateLimitGroup.values()) {
      limits.put(group, group.brazeDefault());
    }
    String given = values.text(Setting.RATE_LIMITS);
    try {
      limits.putAll(RateLimitGroup.parseLimits(given));
    } catch (KilnException e) {
      throw invalid(Setting.RATE_LIMITS, "'" + given + "' is not valid: " + e.getMessage());
    }
    String reset = values.text(Setting.RATE_LIMIT_RESET);
    boolean secondsRemaining =
        switch (reset) {
          case "epoch-seconds" -> false;
          case "seconds-remaining" -> true;
          default ->
              throw invalid(
                  Setting.RATE_LIMIT_RESET,
                  "must be epoch-seconds or seconds-remaining, not '" + reset + "'");
        };
    return new RateLimits(values.bool(Setting.RATE_LIMITS_ENABLED), limits, secondsRemaining);
  }

  private static Exports exports(Values values) {
    Optional<Secret> signingKey = values.secret(Setting.URL_SIGNING_KEY);
    if (signingKey.filter(key -> key.value().length() < 32).isPresent()) {
      throw invalid(Setting.URL_SIGNING_KEY, "must have at least 32 characters");
    }
    return new Exports(
        values.seconds(Setting.EXPORT_QUERY_TIMEOUT_SECONDS, 1, 86_400),
        Duration.ofHours(values.integer(Setting.EXPORT_URL_HOURS, 1, 24 * 30)),
        signingKey,
        values.seconds(Setting.EXPORT_LEASE_SECONDS, 1, 3600),
        values.integer(Setting.EXPORT_MAX_ATTEMPTS, 1, 100),
        values.seconds(Setting.EXPORT_RETRY_SECONDS, 1, 3600));
  }

  /**
   * The settings as given, trimmed, before parsing; each parser names the setting in what it
   * refuses.
   */
  private record Values(Map<Setting, String> given) {
    String text(Setting setting) {
      return given.get(setting);
    }

    Optional<String> nonEmpty(Setting setting) {
      String value = given.get(setting);
      return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    Optional<Secret> secret(Setting setting) {
      return nonEmpty(setting).map(Secret::new);
    }

    int integer(Setting setting, int min, int max) {
      String text = given.get(setting);
      try {
        int value = Integer.parseInt(text);
        if (value >= min && value <= max) {
          return value;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw invalid(
          setting, "must be a whole number from " + min + " to " + max + ", not '" + text + "'");
    }

    Duration seconds(Setting setting, int min, int max) {
      return Duration.ofSeconds(integer(setting, min, max));
    }

    boolean bool(Setting setting) {
      String text = given.get(setting);
      if (text.equals("true") || text.equals("false")) {
        return Boolean.parseBoolean(text);
      }
      throw invalid(setting, "must be true or false, not '" + text + "'");
    }
  }

  private static Properties readConfigFile(Map<String, String> env) {
    Properties properties = new Properties();
    String named = env.get("KILN_CONFIG");
    Path file = Path.of(named == null ? "kiln.properties" : named);
    if (named == null && !Files.exists(file)) {
      return properties;
    }
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
      return properties;
    } catch (IOException e) {
      throw new KilnException(
          ErrorCode.INVALID_INPUT, "cannot read the config file " + file.toAbsolutePath(), e);
    }
  }

  private static void rejectUnknownKeys(Properties file) {
    for (String key : file.stringPropertyNames()) {
      boolean known = Arrays.stream(Setting.values()).anyMatch(s -> s.propertyName().equals(key));
      if (!known) {
        throw new KilnException(
            ErrorCode.INVALID_INPUT,
            "unknown key '" + key + "' in the config file; see kiln.example.properties");
      }
    }
  }

  /** A misspelt variable (KILN_PROT) would otherwise be ignored without a word. */
  private static void rejectUnknownVariables(Map<String, String> env) {
    for (String name : env.keySet()) {
      boolean known =
          OTHER_VARIABLES.contains(name)
              || Arrays.stream(Setting.values())
                  .anyMatch(s -> s.environmentVariable().equals(name));
      if (name.startsWith("KILN_") && !known) {
        throw new KilnException(
            ErrorCode.INVALID_INPUT,
            "unknown environment variable "
                + name
                + "; see kiln.example.properties for the settings");
      }
    }
  }

  private static KilnException invalid(Setting setting, String problem) {
    return new KilnException(
        ErrorCode.INVALID_INPUT,
        setting.environmentVariable()
            + " ("
            + setting.propertyName()
            + " in the config file) "
            + problem);
  }
}
