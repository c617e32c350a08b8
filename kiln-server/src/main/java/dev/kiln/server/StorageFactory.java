package dev.kiln.server;

import dev.kiln.core.storage.ProfileStorage;
import dev.kiln.storage.postgres.PostgresStorage;
import dev.kiln.storage.sqlite.SqliteStorage;

/** Builds the storage the configuration names. Builds only: no I/O until the storage is used. */
public final class StorageFactory {
  private StorageFactory() {}

  public static ProfileStorage create(KilnConfig config) {
    return switch (config.storage()) {
      case "sqlite" -> SqliteStorage.newBuilder(config.dataDir()).build();
      case "postgres" -> postgres(config);
      default -> throw new IllegalStateException("KilnConfig validates the storage name");
    };
  }

  /** Two thirds of the node's connections read (exports, segments, lookups); the rest write. */
  private static PostgresStorage postgres(KilnConfig config) {
    int connections = config.postgresMaxConnections();
    int reads = connections * 2 / 3;
    return PostgresStorage.newBuilder(config.postgresUrl().orElseThrow())
        .readConnections(reads)
        .writeConnections(connections - reads)
        .build();
  }
}
