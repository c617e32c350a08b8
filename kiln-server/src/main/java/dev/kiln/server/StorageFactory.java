package dev.kiln.server;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.core.storage.ProfileStorage;
import dev.kiln.storage.sqlite.SqliteStorage;

/** Builds the storage the configuration names. Builds only: no I/O until the storage is used. */
public final class StorageFactory {
  private StorageFactory() {}

  public static ProfileStorage create(KilnConfig config) {
    return switch (config.storage()) {
      case "sqlite" -> SqliteStorage.newBuilder(config.dataDir()).build();
      case "postgres" -> throw new KilnException(ErrorCode.INVALID_INPUT,
          "KILN_STORAGE=postgres is not available in this build yet; use the default, sqlite");
      default -> throw new IllegalStateException("KilnConfig validates the storage name");
    };
  }
}
