package dev.kiln.storage.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.core.CheckResult;
import dev.kiln.core.storage.ProfileStorage;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the storage contract suite. A backend subclasses each suite once, as a {@code @Nested}
 * class of its own test, giving it a {@link StorageHarness} that opens, clears and reopens its
 * store.
 *
 * <p>The store is opened once per suite and cleared before each test, unless the suite says
 * otherwise. If it cannot be reached the suite stops with the backend's own reason rather than a
 * cascade of failures (a failure, never a skip).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ITStorage<T extends ProfileStorage> {
  private final StorageHarness<T> harness;
  protected T storage;

  protected ITStorage(StorageHarness<T> harness) {
    this.harness = harness;
  }

  /**
   * A second storage over the same database as {@code storage}, as a restarted server builds it.
   */
  protected T reopen() {
    return harness.reopen();
  }

  /** Removes every row, keeping the schema. */
  protected void clear() throws Exception {
    harness.clear();
  }

  /**
   * The clock the store stamps its rows with. A suite that needs time to pass between two writes
   * returns a {@link TestClock} and moves it, rather than sleeping.
   */
  protected Clock clock() {
    return Clock.systemUTC();
  }

  @BeforeAll
  void openStorage() {
    storage = harness.openEmpty(clock());
    storage.migrate();
    CheckResult check = storage.check();
    assertTrue(check.ok(), () -> "storage not usable: " + check.reason());
  }

  /**
   * Whether each test starts from an empty store. A suite that builds its data once for all its
   * tests (an expensive generated population, say) answers false.
   */
  protected boolean clearBeforeEachTest() {
    return true;
  }

  @BeforeEach
  void clearStorage() throws Exception {
    if (clearBeforeEachTest()) {
      clear();
    }
  }

  @AfterAll
  void closeStorage() {
    if (storage != null) {
      storage.close();
    }
  }
}
