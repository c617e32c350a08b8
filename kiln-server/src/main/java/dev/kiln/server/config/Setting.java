package dev.kiln.server.config;

/**
 * Every configuration key. Each is read from the environment ({@code KILN_PORT}) first, then from
 * the config file ({@code port=}), then takes its default. {@code kiln.example.properties}
 * documents each one, and a test keeps that file and this list in step.
 */
public enum Setting {
  PORT("8080"),
  HOST("0.0.0.0"),
  DATA_DIR("./data"),
  STORAGE("sqlite"),
  POSTGRES_URL(""),
  POSTGRES_MAX_CONNECTIONS("12"),
  PUBLIC_URL(""),
  API_KEY(""),
  MAX_BODY_BYTES("4194304"),
  READ_TIMEOUT_SECONDS("30"),
  MIN_REQUEST_BYTES_PER_SECOND("1024"),
  MAX_ARRIVING_BODY_BYTES("268435456"),
  RATE_LIMITS_ENABLED("true"),
  RATE_LIMITS(""),
  RATE_LIMIT_RESET("epoch-seconds"),
  SEGMENTS_FILE(""),
  SEGMENT_EVALUATIONS("2"),
  SEGMENT_QUERY_TIMEOUT_SECONDS("30"),
  EXPORT_QUERY_TIMEOUT_SECONDS("600"),
  SHUTDOWN_TIMEOUT_SECONDS("30"),
  EXPORT_URL_HOURS("4"),
  URL_SIGNING_KEY(""),
  EXPORT_LEASE_SECONDS("30"),
  CALLBACK_ALLOW_PRIVATE("false"),
  EXPORT_MAX_ATTEMPTS("5"),
  EXPORT_RETRY_SECONDS("10"),
  CALLBACK_THREADS("4"),
  S3_BUCKET(""),
  S3_REGION("us-east-1"),
  S3_ENDPOINT(""),
  S3_PATH_STYLE("false"),
  S3_ACCESS_KEY_ID(""),
  S3_SECRET_ACCESS_KEY("");

  private final String defaultValue;

  Setting(String defaultValue) {
    this.defaultValue = defaultValue;
  }

  public String environmentVariable() {
    return "KILN_" + name();
  }

  public String propertyName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public String defaultValue() {
    return defaultValue;
  }

  /** Secrets are never logged or echoed. */
  public boolean secret() {
    return this == API_KEY
        || this == POSTGRES_URL
        || this == URL_SIGNING_KEY
        || this == S3_SECRET_ACCESS_KEY;
  }
}
