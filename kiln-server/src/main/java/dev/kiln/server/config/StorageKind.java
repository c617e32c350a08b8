package dev.kiln.server.config;

import java.util.Arrays;
import java.util.Optional;

/** The backends Kiln can store its data in ({@code KILN_STORAGE}). */
public enum StorageKind {
  /** Embedded, one node: the data folder holds the database. */
  SQLITE("sqlite"),
  /** Several nodes on one database ({@code KILN_POSTGRES_URL}). */
  POSTGRES("postgres");

  private final String configName;

  StorageKind(String configName) {
    this.configName = configName;
  }

  /** The name in the configuration and in what Kiln prints. */
  public String configName() {
    return configName;
  }

  static Optional<StorageKind> fromConfigName(String name) {
    return Arrays.stream(values()).filter(kind -> kind.configName.equals(name)).findFirst();
  }
}
