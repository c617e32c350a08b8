package dev.kiln.storage.tests;

import dev.kiln.core.storage.ProfileStorage;
import java.time.Clock;

/** How a backend's test opens, reopens and empties its store for the contract suites. */
public interface StorageHarness<T extends ProfileStorage> {

  /**
   * A new storage over an empty database, not yet migrated, stamping its rows with {@code clock}.
   */
  T openEmpty(Clock clock);

  /**
   * A second storage over the same database as the one {@link #openEmpty} made, with the same
   * clock, as a restarted server builds it.
   */
  T reopen();

  /** Removes every row, keeping the schema: empties every table {@link SchemaTables#of} lists. */
  void clear() throws Exception;
}
