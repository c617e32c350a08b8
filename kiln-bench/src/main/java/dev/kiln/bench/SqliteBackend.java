package dev.kiln.bench;

import dev.kiln.storage.sqlite.SqliteStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** SQLite, Kiln's embedded default: each scenario's store is a folder of its own. */
final class SqliteBackend implements Backend {

  @Override
  public String label() {
    return "SQLite";
  }

  @Override
  public String key(String sqliteKey) {
    return sqliteKey;
  }

  @Override
  public Store create(String scenario, Path work) throws IOException {
    Path dataDir = Files.createDirectories(work.resolve(scenario + "-sqlite"));
    return new Store(
        dataDir, Map.of("KILN_STORAGE", "sqlite"), () -> SqliteStorage.newBuilder(dataDir).build());
  }
}
