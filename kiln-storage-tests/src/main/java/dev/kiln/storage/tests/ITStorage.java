package dev.kiln.storage.tests;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.core.CheckResult;
import dev.kiln.core.storage.ProfileStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the storage contract suite. A backend subclasses each suite once, as a {@code @Nested}
 * class of its own test, and answers how to open, clear and reopen its store.
 *
 * <p>The store is opened once per suite and cleared before each test. If it cannot be reached the
 * suite stops with the backend's own reason rather than a cascade of failures.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ITStorage<T extends ProfileStorage> {
  protected T storage;

  /** A new storage over an empty database, not yet migrated. */
  protected abstract T newStorage();

  /** A second storage over the same database as {@code storage}, as a restarted server builds it. */
  protected abstract T reopen();

  /** Removes every row, keeping the schema. */
  protected abstract void clear() throws Exception;

  @BeforeAll
  void openStorage() {
    storage = newStorage();
    storage.migrate();
    CheckResult check = storage.check();
    assumeTrue(check.ok(), () -> "storage not usable: " + check.reason());
  }

  @BeforeEach
  void clearStorage() throws Exception {
    clear();
  }

  @AfterAll
  void closeStorage() {
    if (storage != null) {
      storage.close();
    }
  }
}
