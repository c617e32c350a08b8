package dev.kiln.server.config;

import dev.kiln.core.storage.ProfileStorage;
import dev.kiln.storage.jdbc.EvaluationTimeouts;
import dev.kiln.storage.postgres.PostgresStorage;
import dev.kiln.storage.sqlite.SqliteStorage;

/** Builds the storage the configuration names. Builds only: no I/O until the storage is used. */
public final class StorageFactory {
  private StorageFactory() {}

  public static ProfileStorage create(KilnConfig config) {
    return switch (config.storage()) {
      case "sqlite" -> SqliteStorage.newBuilder(config.dataDir())
          .evaluationConnections(config.segmentEvaluationConnections())
          .evaluationTimeouts(evaluationTimeouts(config))
          .build();
      case "postgres" -> postgres(config);
      default -> throw new IllegalStateException("KilnConfig validates the storage name");
    };
  }

  /** The node's connections: a third write, segment evaluations have theirs, the rest read (lookups). */
  private static PostgresStorage postgres(KilnConfig config) {
    return PostgresStorage.newBuilder(config.postgresUrl().orElseThrow())
        .readConnections(config.postgresReadConnections())
        .writeConnections(config.postgresWriteConnections())
        .evaluationConnections(config.segmentEvaluationConnections())
        .evaluationTimeouts(evaluationTimeouts(config))
        .build();
  }

  private static EvaluationTimeouts evaluationTimeouts(KilnConfig config) {
    return new EvaluationTimeouts(config.segmentQueryTimeout(), config.exportQueryTimeout());
  }
}
