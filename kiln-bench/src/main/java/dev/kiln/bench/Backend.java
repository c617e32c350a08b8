package dev.kiln.bench;

import java.nio.file.Path;

/**
 * A storage backend the stored scenarios run on. Each scenario asks it for a new, empty store of
 * its own, so no scenario sees another's rows, and the same scenario code runs on every backend.
 */
sealed interface Backend permits SqliteBackend, PostgresBackend, CitusBackend {

  /** The name in the report's rows: "SQLite", "PostgreSQL". */
  String label();

  /**
   * The JSON key of this backend's figures. SQLite's keep the keys they had before there were two
   * backends, so earlier results stay comparable; the others get a suffix ({@code
   * stored_postgres}).
   */
  String key(String sqliteKey);

  /**
   * A new, empty store for {@code scenario}, its files (server log, recordings, export bundles)
   * under {@code work}.
   */
  Store create(String scenario, Path work) throws Exception;

  /** A report row's name: the scenario, then the backend it ran on. */
  default String rowName(String scenario) {
    return scenario + " (" + label() + ")";
  }
}
