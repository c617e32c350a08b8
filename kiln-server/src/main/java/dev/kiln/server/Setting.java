package dev.kiln.server;

/**
 * Every configuration key. Each is read from the environment ({@code KILN_PORT}) first, then from
 * the config file ({@code port=}), then takes its default. {@code kiln.example.properties} documents
 * each one, and a test keeps that file and this list in step.
 */
public enum Setting {
  PORT("8080"),
  HOST("0.0.0.0"),
  DATA_DIR("./data"),
  STORAGE("sqlite"),
  POSTGRES_URL(""),
  PUBLIC_URL(""),
  API_KEY(""),
  MAX_BODY_BYTES("4194304"),
  SEGMENTS_FILE(""),
  SHUTDOWN_TIMEOUT_SECONDS("30");

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
    return this == API_KEY || this == POSTGRES_URL;
  }
}
