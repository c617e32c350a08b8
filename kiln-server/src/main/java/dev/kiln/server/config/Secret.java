package dev.kiln.server.config;

import java.util.Objects;

/**
 * A setting that is never logged or echoed (a key, a password in a URL): printing it shows no
 * value.
 */
public record Secret(String value) {
  public Secret {
    Objects.requireNonNull(value, "value == null");
  }

  @Override
  public String toString() {
    return "Secret[hidden]";
  }
}
