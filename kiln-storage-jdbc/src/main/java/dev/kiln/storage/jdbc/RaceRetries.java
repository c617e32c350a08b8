package dev.kiln.storage.jdbc;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a write transaction again when it lost a race with another writer's (a deadlock, the same
 * new user inserted by both, or a user merged or deleted between being found and being locked:
 * {@link LostRace}), a bounded number of times. The transaction must read everything afresh each
 * time, so it applies to what the other writer committed.
 */
final class RaceRetries {
  private static final Logger LOG = LoggerFactory.getLogger(RaceRetries.class);
  private static final int MAX_ATTEMPTS = 10;

  private RaceRetries() {}

  @FunctionalInterface
  interface Transaction<T> {
    T run() throws SQLException;
  }

  /**
   * The transaction's result; a failure not worth retrying, or the last one, is {@code
   * STORAGE_UNAVAILABLE}.
   */
  static <T> T run(JdbcDialect dialect, String whatItDoes, Transaction<T> transaction) {
    for (int attempt = 1; ; attempt++) {
      try {
        return transaction.run();
      } catch (SQLException e) {
        if (attempt == MAX_ATTEMPTS || !isLostRace(dialect, e)) {
          throw StorageFailures.unavailable(whatItDoes, e);
        }
        LOG.debug(
            "a transaction lost a race with another writer (attempt {}), running it again",
            attempt,
            e);
        pauseBeforeRetry(attempt);
      }
    }
  }

  /**
   * Whether the failure is a race lost to another writer, which running the transaction again
   * resolves.
   */
  static boolean isLostRace(JdbcDialect dialect, SQLException e) {
    return e instanceof LostRace || dialect.isWorthRetrying(e);
  }

  /**
   * A random pause growing with the attempts, so two writers that collided do not collide again.
   */
  private static void pauseBeforeRetry(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10L * attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KilnException(ErrorCode.UNAVAILABLE, "interrupted while committing", e);
    }
  }
}
