package dev.kiln.storage.postgres;

import dev.kiln.segment.SqlDialect;
import dev.kiln.storage.jdbc.JdbcDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

final class PostgresDialect implements JdbcDialect {
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String SERIALIZATION_FAILURE = "40001";
  private static final String DEADLOCK_DETECTED = "40P01";
  private static final String INVALID_REGULAR_EXPRESSION = "2201B";
  private static final String PROGRAM_LIMIT_EXCEEDED = "54";
  private static final String SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION = "42";
  private static final Set<String> LOST_RACES =
      Set.of(DEADLOCK_DETECTED, SERIALIZATION_FAILURE, UNIQUE_VIOLATION);

  private final SqlDialect segments = new PostgresSegmentDialect();

  @Override
  public String migrationLocation() {
    return "classpath:db/migration/postgres";
  }

  @Override
  public String jsonParameter() {
    return "CAST(? AS jsonb)";
  }

  /** Only the profile row is locked; an alias row read beside it is never written by the lookup. */
  @Override
  public String lockForUpdate() {
    return " FOR UPDATE OF u";
  }

  @Override
  public String skipLockedRows() {
    return " FOR UPDATE SKIP LOCKED";
  }

  @Override
  public String segmentInsertionOrder() {
    return "seq";
  }

  /**
   * From the identity sequence of users.user_id, which never hands a key out twice, whichever node
   * asks.
   */
  @Override
  public long[] newUserIds(Connection connection, int count, long after) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT nextval(pg_get_serial_sequence('users', 'user_id')) FROM generate_series(1, ?)")) {
      statement.setInt(1, count);
      long[] ids = new long[count];
      try (ResultSet rows = statement.executeQuery()) {
        for (int i = 0; rows.next(); i++) {
          ids[i] = rows.getLong(1);
        }
      }
      return ids;
    }
  }

  @Override
  public SqlDialect segmentDialect() {
    return segments;
  }

  @Override
  public boolean isUniqueViolation(SQLException e) {
    return UNIQUE_VIOLATION.equals(e.getSQLState());
  }

  /**
   * Nodes writing the same users at once: a deadlock between two group commits, or two nodes
   * creating the same new user (the loser's insert violates the unique index). Run again, the
   * transaction finds the rows the other node committed.
   */
  @Override
  public boolean isWorthRetrying(SQLException e) {
    return e.getSQLState() != null && LOST_RACES.contains(e.getSQLState());
  }

  /**
   * A regular expression PostgreSQL's engine refused (2201B, e.g. too complex), or SQL it refused
   * as beyond a limit (class 54: too many arguments, stack depth, statement too complex) or could
   * not compile (class 42). Kiln writes the SQL, so when a filter's query fails so, its shape is at
   * fault.
   */
  @Override
  public Optional<String> rejectedFilter(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.equals(INVALID_REGULAR_EXPRESSION)) {
      return Optional.of(
          "has a regular expression this store's database does not support or finds too complex (docs/segments.md)");
    }
    return state.startsWith(PROGRAM_LIMIT_EXCEEDED)
            || state.startsWith(SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION)
        ? Optional.of(
            "is too large or too deeply nested for this store's database to evaluate; split it (docs/segments.md)")
        : Optional.empty();
  }
}
