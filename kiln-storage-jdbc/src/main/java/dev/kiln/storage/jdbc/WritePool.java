package dev.kiln.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write connections, through which every write transaction runs. A connection whose transaction
 * failed goes back to the pool rolled back, or, when even the rollback failed and its state is
 * unknown, is closed and replaced: SQLite rolls a transaction back by itself on some errors (a full
 * disk), and its driver then no longer begins transactions on that connection, so each statement
 * would commit on its own and every later commit fail, until a restart.
 *
 * <p>It also remembers whether writes are failing, for the health check: a connection that answers
 * {@code SELECT 1} may still be unable to commit (a full disk). A failure counts until a write
 * succeeds, or for {@link #FAILURE_MEMORY_SECONDS} after the last one when no write comes to prove
 * the store well again: a node a load balancer took out of rotation on /health gets no writes.
 */
final class WritePool {
  private static final Logger LOG = LoggerFactory.getLogger(WritePool.class);
  static final long FAILURE_MEMORY_SECONDS = 30;

  private final HikariDataSource pool;
  private final JdbcDialect dialect;
  private volatile boolean failing;
  private volatile long lastFailureNanos;

  WritePool(HikariDataSource pool, JdbcDialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
  }

  /** Runs the work in one transaction: commit on success, roll back on any failure. */
  <T> T inTransaction(Transactions.Work<T> work) throws SQLException {
    try {
      T result = run(work);
      if (failing) {
        failing = false;
        LOG.info("writes to the store succeed again");
      }
      return result;
    } catch (SQLException e) {
      // a lost race or the caller's conflict is no fault of the store
      if (!RaceRetries.isLostRace(dialect, e) && !dialect.isUniqueViolation(e)) {
        recordFailure(e);
      }
      throw e;
    }
  }

  /**
   * Why writes are failing now, if they are; worded for /health, which needs no key (details go to
   * the log).
   */
  Optional<String> failure() {
    boolean recent =
        System.nanoTime() - lastFailureNanos < TimeUnit.SECONDS.toNanos(FAILURE_MEMORY_SECONDS);
    return failing && recent
        ? Optional.of(
            "writes to the store are failing (a full disk?); the server log has the details")
        : Optional.empty();
  }

  private <T> T run(Transactions.Work<T> work) throws SQLException {
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        rollbackOrEvict(connection, e);
        throw e;
      }
    }
  }

  private void rollbackOrEvict(Connection connection, Throwable original) {
    try {
      connection.rollback();
    } catch (SQLException rollbackFailure) {
      original.addSuppressed(rollbackFailure);
      pool.evictConnection(connection); // closed now; the pool opens a fresh one for the next write
    }
  }

  private void recordFailure(SQLException e) {
    lastFailureNanos = System.nanoTime();
    if (!failing) {
      failing = true;
      LOG.warn(
          "a write to the store failed; /health reports the store failing until a write succeeds",
          e);
    }
  }
}
