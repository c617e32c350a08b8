package dev.kiln.storage.sqlite;

import dev.kiln.segment.SqlDialect;
import dev.kiln.storage.jdbc.JdbcDialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

final class SqliteDialect implements JdbcDialect {
  /**
   * How SQLite words a statement beyond one of its limits ("Expression tree is too large", "parser
   * stack overflow", "Recursion limit", "too many SQL variables").
   */
  private static final Pattern SQL_LIMITS =
      Pattern.compile(
          "too large|too many|too big|stack overflow|recursion limit|at most \\d+",
          Pattern.CASE_INSENSITIVE);

  private final SqlDialect segments = new SqliteSegmentDialect();

  @Override
  public String migrationLocation() {
    return "classpath:db/migration/sqlite";
  }

  @Override
  public String jsonParameter() {
    return "?";
  }

  /** SQLite's binary JSON: filters read fields without parsing the whole text of each profile. */
  @Override
  public String documentParameter() {
    return "jsonb(?)";
  }

  @Override
  public String documentColumn(String column) {
    return "json(" + column + ")";
  }

  @Override
  public String lockForUpdate() {
    // One connection writes at a time (the write pool has one connection), so no row locks.
    return "";
  }

  /** Segments are never deleted (only archived), so rowids are never reused and only grow. */
  @Override
  public String segmentInsertionOrder() {
    return "rowid";
  }

  /**
   * The keys after the largest in use (or after {@code after}, taken earlier in the same
   * transaction and not inserted yet). The transaction holds SQLite's write lock, so no other
   * writer takes them.
   */
  @Override
  public long[] newUserIds(Connection connection, int count, long after) throws SQLException {
    long largest;
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT COALESCE(MAX(user_id), 0) FROM users")) {
      row.next();
      largest = Math.max(row.getLong(1), after);
    }
    return LongStream.rangeClosed(largest + 1, largest + count).toArray();
  }

  @Override
  public SqlDialect segmentDialect() {
    return segments;
  }

  /**
   * The regexp function gave up on a pattern that backtracks without end ({@link RegexpFunction}),
   * or SQLite refused the filter's SQL as beyond one of its limits (the depth of an expression, the
   * number of variables or arguments: SQLITE_ERROR with such words, or SQLITE_TOOBIG).
   */
  @Override
  public Optional<String> rejectedFilter(SQLException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (message.contains(RegexpFunction.TOO_COSTLY)) {
      return Optional.of(
          "has a regular expression too costly to evaluate: stacked quantifiers such as (.*a){12} make "
              + "a backtracking engine try without end on a text they almost match; simplify it (docs/segments.md)");
    }
    return isBeyondALimit(e, message)
        ? Optional.of(
            "is too large or too deeply nested for this store's database to evaluate; split it (docs/segments.md)")
        : Optional.empty();
  }

  private static boolean isBeyondALimit(SQLException e, String message) {
    if (!(e instanceof SQLiteException sqlite)) {
      return false;
    }
    return sqlite.getResultCode() == SQLiteErrorCode.SQLITE_TOOBIG
        || (sqlite.getResultCode() == SQLiteErrorCode.SQLITE_ERROR
            && SQL_LIMITS.matcher(message).find());
  }

  @Override
  public boolean isUniqueViolation(SQLException e) {
    return e instanceof SQLiteException sqlite
        && (sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
            || sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY);
  }
}
