package dev.kiln.server.config;

import dev.kiln.storage.jdbc.EvaluationTimeouts;
import dev.kiln.storage.jdbc.JdbcProfileStorage;
import dev.kiln.storage.postgres.PostgresStorage;
import dev.kiln.storage.sqlite.SqliteStorage;

/**
 * Builds the storage the configuration names. Builds only: no I/O until the storage is used. Every
 * backend it builds keeps segments too ({@link JdbcProfileStorage} is a {@code SegmentStorage}),
 * which its return type says, so no caller has to probe for them.
 */
public final class StorageFactory {
  private StorageFactory() {}

  public static JdbcProfileStorage create(KilnConfig config) {
    return switch (config.storage().kind()) {
      case SQLITE ->
          SqliteStorage.newBuilder(config.dataDir())
              .evaluationConnections(config.storage().evaluationConnections())
              .evaluationTimeouts(evaluationTimeouts(config))
              .build();
      case POSTGRES -> postgres(config);
    };
  }

  /**
   * The node's connections: a third write, segment evaluations have theirs, the rest read
   * (lookups).
   */
  private static PostgresStorage postgres(KilnConfig config) {
    return PostgresStorage.newBuilder(config.storage().postgresUrl().orElseThrow().value())
        .readConnections(config.storage().postgresReadConnections())
        .writeConnections(config.storage().postgresWriteConnections())
        .evaluationConnections(config.storage().evaluationConnections())
        .evaluationTimeouts(evaluationTimeouts(config))
        .build();
  }

  private static EvaluationTimeouts evaluationTimeouts(KilnConfig config) {
    return new EvaluationTimeouts(
        config.segments().queryTimeout(), config.exports().queryTimeout());
  }
}
