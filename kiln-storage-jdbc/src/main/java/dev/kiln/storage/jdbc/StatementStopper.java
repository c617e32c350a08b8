package dev.kiln.storage.jdbc;

import dev.kiln.segment.Cancellation;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the statements of one evaluation from another thread when its time is up or its caller is
 * gone, and remembers why. {@link Statement#cancel()} is the one way both drivers offer: pgjdbc
 * sends PostgreSQL a cancel request (the statement fails with SQLState 57014), sqlite-jdbc calls
 * {@code sqlite3_interrupt} (SQLITE_INTERRUPT). sqlite-jdbc's {@code setQueryTimeout} only sets the
 * busy timeout, which does not bound a running query. A stop never reaches a statement once the
 * evaluation is closed, so it cannot hit the connection's next user.
 */
final class StatementStopper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatementStopper.class);

  enum Reason {
    TIMED_OUT,
    CANCELLED
  }

  private final Duration timeout;
  private final CompletableFuture<Void> timer;
  private final Cancellation.Registration cancellation;
  private Statement statement;
  private Reason stopped;
  private boolean closed;

  private StatementStopper(Duration timeout, Cancellation cancellation) {
    this.timeout = timeout;
    this.timer =
        CompletableFuture.runAsync(
            () -> stop(Reason.TIMED_OUT),
            CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS));
    this.cancellation = cancellation.onCancel(() -> stop(Reason.CANCELLED));
  }

  static StatementStopper start(Duration timeout, Cancellation cancellation) {
    return new StatementStopper(timeout, cancellation);
  }

  /**
   * The statement about to run, stopped with the evaluation; fails at once if it is stopped
   * already.
   */
  synchronized void watch(Statement next) throws SQLException {
    if (stopped != null) {
      throw new SQLException("kiln: the evaluation was stopped before its statement ran");
    }
    statement = next;
  }

  Duration timeout() {
    return timeout;
  }

  synchronized Optional<Reason> stopped() {
    return Optional.ofNullable(stopped);
  }

  private synchronized void stop(Reason reason) {
    if (closed || stopped != null) {
      return;
    }
    stopped = reason;
    if (statement != null) {
      try {
        statement.cancel();
      } catch (SQLException e) {
        LOG.warn("a segment query could not be stopped ({}); it runs until it ends", reason, e);
      }
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    timer.cancel(false);
    cancellation.close();
  }
}
