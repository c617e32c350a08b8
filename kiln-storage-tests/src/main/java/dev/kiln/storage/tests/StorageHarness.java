package dev.kiln.storage.tests;

import dev.kiln.core.storage.ProfileStorage;

/** How a backend's test opens, reopens and empties its store for the contract suites. */
public interface StorageHarness<T extends ProfileStorage> {

  /** A new storage over an empty database, not yet migrated. */
  T openEmpty();

  /** A second storage over the same database as the one {@link #openEmpty} made, as a restarted server builds it. */
  T reopen();

  /** Removes every row, keeping the schema: empties every table {@link SchemaTables#of} lists. */
  void clear() throws Exception;
}
