package dev.kiln.storage.jdbc;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.segment.Cancellation;
import dev.kiln.segment.CompiledFilter;
import dev.kiln.segment.Filter;
import dev.kiln.segment.FilterCompiler;
import dev.kiln.segment.SegmentQueries;
import dev.kiln.segment.SegmentResolver;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Segment filters compiled to SQL and run on a pool of their own (so API-key lookups, reads and
 * writes never wait behind them), each query stopped at its time bound: nothing is loaded into
 * memory.
 */
final class JdbcSegmentQueries implements SegmentQueries {
  private static final String COUNT = "SELECT COUNT(*) FROM users u WHERE ";

  private final DataSource evaluations;
  private final DataSource reads;
  private final JdbcDialect dialect;
  private final UserRows users;
  private final EvaluationTimeouts timeouts;

  JdbcSegmentQueries(
      DataSource evaluations,
      DataSource reads,
      JdbcDialect dialect,
      UserRows users,
      EvaluationTimeouts timeouts) {
    this.evaluations = evaluations;
    this.reads = reads;
    this.dialect = dialect;
    this.users = users;
    this.timeouts = timeouts;
  }

  @Override
  public long count(
      Filter filter, SegmentResolver segments, Instant now, Cancellation cancellation) {
    CompiledFilter compiled = compile(filter, segments, now);
    return evaluate(
        "evaluate the segment",
        timeouts.count(),
        cancellation,
        (connection, stopper) -> {
          try (PreparedStatement statement = connection.prepareStatement(COUNT + compiled.sql())) {
            bind(statement, compiled.parameters());
            stopper.watch(statement);
            try (ResultSet row = statement.executeQuery()) {
              row.next();
              return row.getLong(1);
            }
          }
        });
  }

  @Override
  public List<Member> members(
      Filter filter, SegmentResolver segments, Instant now, long afterKey, int limit) {
    CompiledFilter compiled = compile(filter, segments, now);
    List<Object> parameters = compiled.parameters();
    return evaluate(
        "read the segment's members",
        timeouts.exportPage(),
        Cancellation.never(),
        (connection, stopper) -> {
          try (StatementCache sql = new StatementCache(connection)) {
            return users
                .select(
                    sql,
                    "(" + compiled.sql() + ") AND u.user_id > ? ORDER BY u.user_id LIMIT ?",
                    statement -> {
                      bind(statement, parameters);
                      statement.setLong(parameters.size() + 1, afterKey);
                      statement.setInt(parameters.size() + 2, limit);
                      stopper.watch(statement);
                    })
                .stream()
                .map(user -> new Member(user.userId(), user::decode))
                .toList();
          }
        });
  }

  /**
   * Has the database plan the count without running it: SQLite and PostgreSQL both parse and plan
   * an {@code EXPLAIN}, so whatever they would refuse in the filter's SQL (too deep, too many
   * arguments, an unsupported expression) they refuse here, in a millisecond or so on the read
   * pool.
   */
  @Override
  public void checkEvaluable(Filter filter, SegmentResolver segments, Instant now) {
    CompiledFilter compiled = compile(filter, segments, now);
    try {
      Transactions.readOnly(
          reads,
          connection -> {
            try (PreparedStatement statement =
                connection.prepareStatement("EXPLAIN " + COUNT + compiled.sql())) {
              bind(statement, compiled.parameters());
              statement.executeQuery().close();
              return null;
            }
          });
    } catch (SQLException e) {
      throw refusedOrUnavailable("check the segment's filter", e);
    }
  }

  private CompiledFilter compile(Filter filter, SegmentResolver segments, Instant now) {
    return FilterCompiler.compile(filter, dialect.segmentDialect(), segments, now);
  }

  /**
   * Work on an evaluation connection whose statements the stopper stops at {@code timeout} or on
   * cancellation.
   */
  @FunctionalInterface
  private interface Evaluation<T> {
    T run(Connection connection, StatementStopper stopper) throws SQLException;
  }

  private <T> T evaluate(
      String whatFailed, Duration timeout, Cancellation cancellation, Evaluation<T> evaluation) {
    try (StatementStopper stopper = StatementStopper.start(timeout, cancellation)) {
      try {
        return Transactions.readOnly(
            evaluations, connection -> evaluation.run(connection, stopper));
      } catch (SQLException e) {
        throw stopped(stopper).orElseGet(() -> refusedOrUnavailable(whatFailed, e));
      }
    }
  }

  /** Why the evaluation was stopped, if it was: too slow is the caller's filter's fault. */
  private static Optional<KilnException> stopped(StatementStopper stopper) {
    return stopper
        .stopped()
        .map(
            reason ->
                switch (reason) {
                  case TIMED_OUT ->
                      new KilnException(
                          ErrorCode.INVALID_INPUT,
                          "the segment's filter took longer than "
                              + seconds(stopper.timeout())
                              + " to evaluate, this server's bound; narrow it (fewer regular expressions or "
                              + "event conditions, shorter windows) or ask the operator to raise the bound");
                  case CANCELLED ->
                      new KilnException(
                          ErrorCode.INVALID_INPUT,
                          "the evaluation was stopped: its client went away");
                });
  }

  /**
   * A filter the database refused (too large, an unsupported regex) is the caller's to mend;
   * anything else is the store's.
   */
  private KilnException refusedOrUnavailable(String whatFailed, SQLException e) {
    return dialect
        .rejectedFilter(e)
        .map(
            reason ->
                new KilnException(ErrorCode.INVALID_INPUT, "the segment's filter " + reason, e))
        .orElseGet(() -> StorageFailures.unavailable(whatFailed, e));
  }

  private static String seconds(Duration timeout) {
    long seconds = timeout.toSeconds();
    return seconds == 1 ? "1 second" : seconds + " seconds";
  }

  private static void bind(PreparedStatement statement, List<Object> parameters)
      throws SQLException {
    for (int i = 0; i < parameters.size(); i++) {
      statement.setObject(i + 1, parameters.get(i));
    }
  }
}
