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
 * Every value is checked here, so a typo fails at start with a message naming the key.
 */
public final class KilnConfig {
  /** Variables read by the launcher script or logging rather than by this class. */
  private static final Set<String> OTHER_VARIABLES =
      Set.of("KILN_CONFIG", "KILN_JAVA_OPTS", "KILN_LOG_LEVEL", "KILN_JDK_SEARCH_DIRS");

  private final Map<Setting, String> values;

  private KilnConfig(Map<Setting, String> values) {
    this.values = values;
  }

  public static KilnConfig fromEnvironment() {
    return load(System.getenv());
  }

  /** Reads the settings from {@code env} and the config file it names (or the default one). */
  public static KilnConfig load(Map<String, String> env) {
    Properties file = readConfigFile(env);
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    for (Setting setting : Setting.values()) {
      String value = Optional.ofNullable(env.get(setting.environmentVariable()))
          .or(() -> Optional.ofNullable(file.getProperty(setting.propertyName())))
          .map(String::trim)
          .orElse(setting.defaultValue());
      values.put(setting, value);
    }
    rejectUnknownKeys(file);
    rejectUnknownVariables(env);
    KilnConfig config = new KilnConfig(values);
    config.validate();
    return config;
  }

  public int port() {
    return intValue(Setting.PORT, 0, 65_535);
  }

  public String host() {
    return values.get(Setting.HOST);
  }

  public Path dataDir() {
    return Path.of(values.get(Setting.DATA_DIR));
  }

  public String storage() {
    return values.get(Setting.STORAGE);
  }

  public Optional<String> postgresUrl() {
    return nonEmpty(Setting.POSTGRES_URL);
  }

  /** The most connections this node opens to PostgreSQL, reads and writes together. */
  public int postgresMaxConnections() {
    return intValue(Setting.POSTGRES_MAX_CONNECTIONS, 2, 1000);
  }

  /** A third of the node's PostgreSQL connections write (at least one). */
  public int postgresWriteConnections() {
    return Math.max(1, postgresMaxConnections() / 3);
  }

  /** What is left for reads (API keys, profiles, segment definitions) once writes and evaluations have theirs. */
  public int postgresReadConnections() {
    return postgresMaxConnections() - postgresWriteConnections() - segmentEvaluationConnections();
  }

  /** The base of links Kiln hands out; defaults to this server on localhost. */
  public String publicUrl(int boundPort) {
    return nonEmpty(Setting.PUBLIC_URL).orElse("http://localhost:" + boundPort);
  }

  /** The operator's bootstrap key secret ({@code KILN_API_KEY}), if set. */
  public Optional<String> bootstrapApiKey() {
    return nonEmpty(Setting.API_KEY);
  }

  /** The segments file to apply at start ({@code KILN_SEGMENTS_FILE}), if any. */
  public Optional<Path> segmentsFile() {
    return nonEmpty(Setting.SEGMENTS_FILE).map(Path::of);
  }

  /** How many /segments/size evaluations this node runs at once; more are answered 429 at once. */
  public int segmentEvaluations() {
    return intValue(Setting.SEGMENT_EVALUATIONS, 1, 64);
  }

  /** How long the database may evaluate one /segments/size before it is stopped with a 400. */
  public Duration segmentQueryTimeout() {
    return Duration.ofSeconds(intValue(Setting.SEGMENT_QUERY_TIMEOUT_SECONDS, 1, 3600));
  }

  /** How long the database may take to read one file's worth of an export's members before the export fails. */
  public Duration exportQueryTimeout() {
    return Duration.ofSeconds(intValue(Setting.EXPORT_QUERY_TIMEOUT_SECONDS, 1, 86_400));
  }

  /** Connections that evaluate segments: one per concurrent size, and one for this node's export worker. */
  public int segmentEvaluationConnections() {
    return segmentEvaluations() + 1;
  }

  public long maxBodyBytes() {
    return intValue(Setting.MAX_BODY_BYTES, 1024, Integer.MAX_VALUE);
  }

  /** How long a request may go without sending a byte before it is cut off with 408. */
  public Duration readTimeout() {
    return Duration.ofSeconds(intValue(Setting.READ_TIMEOUT_SECONDS, 1, 3600));
  }

  /** The slowest a request body may arrive, on average, before it is cut off with 408; 0 for no minimum. */
  public long minRequestBytesPerSecond() {
    return intValue(Setting.MIN_REQUEST_BYTES_PER_SECOND, 0, Integer.MAX_VALUE);
  }

  /**
   * The most bytes the bodies still arriving may hold together, over every connection: the memory a
   * flood of unfinished bodies can take. Past it, a body is refused with 503 instead of buffered.
   */
  public long maxArrivingBodyBytes() {
    return intValue(Setting.MAX_ARRIVING_BODY_BYTES, 1024, Integer.MAX_VALUE);
  }

  public boolean rateLimitsEnabled() {
    return booleanValue(Setting.RATE_LIMITS_ENABLED);
  }

  /** Each group's limit: Braze's default unless {@code KILN_RATE_LIMITS} names another. */
  public Map<RateLimitGroup, RateLimit> rateLimits() {
    Map<RateLimitGroup, RateLimit> limits = new EnumMap<>(RateLimitGroup.class);
    for (RateLimitGroup group : RateLimitGroup.values()) {
      limits.put(group, group.brazeDefault());
    }
    try {
      limits.putAll(RateLimitGroup.parseLimits(values.get(Setting.RATE_LIMITS)));
    } catch (KilnException e) {
      throw invalid(Setting.RATE_LIMITS, "'" + values.get(Setting.RATE_LIMITS) + "' is not valid: " + e.getMessage());
    }
    return limits;
  }

  /** Whether X-RateLimit-Reset counts seconds from now rather than giving an epoch second. */
  public boolean rateLimitResetInSecondsRemaining() {
    String text = values.get(Setting.RATE_LIMIT_RESET);
    return switch (text) {
      case "epoch-seconds" -> false;
      case "seconds-remaining" -> true;
      default -> throw invalid(Setting.RATE_LIMIT_RESET, "must be epoch-seconds or seconds-remaining, not '" + text + "'");
    };
  }

  public Duration shutdownTimeout() {
    return Duration.ofSeconds(intValue(Setting.SHUTDOWN_TIMEOUT_SECONDS, 0, 3600));
  }

  /** How long a local export's download link works once the export is ready. */
  public Duration exportUrlValidity() {
    return Duration.ofHours(intValue(Setting.EXPORT_URL_HOURS, 1, 24 * 30));
  }

  /** The operator's URL signing key, if set. */
  public Optional<String> urlSigningKey() {
    return nonEmpty(Setting.URL_SIGNING_KEY);
  }

  public Duration exportLease() {
    return Duration.ofSeconds(intValue(Setting.EXPORT_LEASE_SECONDS, 1, 3600));
  }

  public boolean callbackAllowPrivate() {
    return booleanValue(Setting.CALLBACK_ALLOW_PRIVATE);
  }

  /** How many runs of an export may fail on a store that may recover before the export fails. */
  public int exportMaxAttempts() {
    return intValue(Setting.EXPORT_MAX_ATTEMPTS, 1, 100);
  }

  /** The wait before an export whose run failed is tried again; it doubles with each failed run. */
  public Duration exportRetryDelay() {
    return Duration.ofSeconds(intValue(Setting.EXPORT_RETRY_SECONDS, 1, 3600));
  }

  /** How many callbacks a node sends at once: the bound on threads that mute endpoints can hold. */
  public int callbackThreads() {
    return intValue(Setting.CALLBACK_THREADS, 1, 64);
  }

  /** The bucket exports go to, if the operator has one. */
  public Optional<String> s3Bucket() {
    return nonEmpty(Setting.S3_BUCKET);
  }

  public String s3Region() {
    return values.get(Setting.S3_REGION);
  }

  public Optional<String> s3Endpoint() {
    return nonEmpty(Setting.S3_ENDPOINT);
  }

  public boolean s3PathStyle() {
    return booleanValue(Setting.S3_PATH_STYLE);
  }

  public Optional<String> s3AccessKeyId() {
    return nonEmpty(Setting.S3_ACCESS_KEY_ID);
  }

  public Optional<String> s3SecretAccessKey() {
    return nonEmpty(Setting.S3_SECRET_ACCESS_KEY);
  }

  private void validate() {
    port();
    maxBodyBytes();
    readTimeout();
    minRequestBytesPerSecond();
    if (maxArrivingBodyBytes() < maxBodyBytes()) {
      throw invalid(Setting.MAX_ARRIVING_BODY_BYTES, "must be at least KILN_MAX_BODY_BYTES (" + maxBodyBytes() + "), not '"
          + maxArrivingBodyBytes() + "'");
    }
    shutdownTimeout();
    exportUrlValidity();
    exportLease();
    callbackAllowPrivate();
    exportMaxAttempts();
    exportRetryDelay();
    callbackThreads();
    s3PathStyle();
    rateLimitsEnabled();
    rateLimits();
    rateLimitResetInSecondsRemaining();
    if (urlSigningKey().filter(key -> key.length() < 32).isPresent()) {
      throw invalid(Setting.URL_SIGNING_KEY, "must have at least 32 characters");
    }
    if (!storage().equals("sqlite") && !storage().equals("postgres")) {
      throw invalid(Setting.STORAGE, "must be 'sqlite' or 'postgres', not '" + storage() + "'");
    }
    segmentEvaluations();
    segmentQueryTimeout();
    exportQueryTimeout();
    postgresMaxConnections();
    if (storage().equals("postgres") && postgresUrl().isEmpty()) {
      throw invalid(Setting.POSTGRES_URL, "must be set when storage is postgres");
    }
    if (storage().equals("postgres") && postgresReadConnections() < 1) {
      throw invalid(Setting.POSTGRES_MAX_CONNECTIONS, "must be at least " + (segmentEvaluationConnections() + 2)
          + " with " + Setting.SEGMENT_EVALUATIONS.environmentVariable() + "=" + segmentEvaluations()
          + ": a connection per segment evaluation and one for exports, besides reads and writes");
    }
  }

  private int intValue(Setting setting, int min, int max) {
    String text = values.get(setting);
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(setting, "must be a whole number from " + min + " to " + max + ", not '" + text + "'");
  }

  private boolean booleanValue(Setting setting) {
    String text = values.get(setting);
    if (text.equals("true") || text.equals("false")) {
      return Boolean.parseBoolean(text);
    }
    throw invalid(setting, "must be true or false, not '" + text + "'");
  }

  private Optional<String> nonEmpty(Setting setting) {
    String value = values.get(setting);
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
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
      throw new KilnException(ErrorCode.INVALID_INPUT, "cannot read the config file " + file.toAbsolutePath(), e);
    }
  }

  private static void rejectUnknownKeys(Properties file) {
    for (String key : file.stringPropertyNames()) {
      boolean known = Arrays.stream(Setting.values()).anyMatch(s -> s.propertyName().equals(key));
      if (!known) {
        throw new KilnException(ErrorCode.INVALID_INPUT, "unknown key '" + key + "' in the config file; see kiln.example.properties");
      }
    }
  }

  /** A misspelt variable (KILN_PROT) would otherwise be ignored without a word. */
  private static void rejectUnknownVariables(Map<String, String> env) {
    for (String name : env.keySet()) {
      boolean known = OTHER_VARIABLES.contains(name)
          || Arrays.stream(Setting.values()).anyMatch(s -> s.environmentVariable().equals(name));
      if (name.startsWith("KILN_") && !known) {
        throw new KilnException(ErrorCode.INVALID_INPUT,
            "unknown environment variable " + name + "; see kiln.example.properties for the settings");
      }
    }
  }

  private static KilnException invalid(Setting setting, String problem) {
    return new KilnException(ErrorCode.INVALID_INPUT,
        setting.environmentVariable() + " (" + setting.propertyName() + " in the config file) " + problem);
  }
}
