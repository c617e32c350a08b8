package dev.kiln.storage.jdbc;

import dev.kiln.segment.SqlDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * What differs between the SQL databases Kiln runs on. The shared code asks the dialect instead of
 * testing which database it talks to.
 */
public interface JdbcDialect {

  /** Where this dialect's Flyway migrations live, such as {@code classpath:db/migration/sqlite}. */
  String migrationLocation();

  /**
   * The placeholder for a JSON document parameter given as text, e.g. {@code ?} or {@code CAST(? AS
   * jsonb)}.
   */
  String jsonParameter();

  /**
   * The placeholder for a profile document (users.profile), given as text. Databases with a binary
   * JSON form store it that way, so segment filters do not parse the text of every profile again.
   */
  default String documentParameter() {
    return jsonParameter();
  }

  /** The profile document column read back as JSON text. */
  default String documentColumn(String column) {
    return column;
  }

  /**
   * The clause that locks a profile row read for update until the transaction ends, so nodes
   * sharing one database never lose each other's read-modify-write. Empty where the database allows
   * one writer at a time anyway.
   */
  String lockForUpdate();

  /**
   * The clause that locks the rows a SELECT picks and skips rows another transaction holds, so
   * nodes claiming work from one queue never take the same job. Empty with a single writer.
   */
  default String skipLockedRows() {
    return "";
  }

  /**
   * A column of {@code segments} that grows with each insert (SQLite's {@code rowid}, an identity
   * column elsewhere): it orders segments created within the same millisecond as they were created.
   */
  String segmentInsertionOrder();

  /**
   * {@code count} new, unused user keys, all greater than {@code after} (the last this transaction
   * took, or 0). New users are written at the end of their transaction, in one batch, so their keys
   * are taken beforehand: keys taken but not used are gaps, which nothing minds.
   */
  long[] newUserIds(Connection connection, int count, long after) throws SQLException;

  /** How segment filters are written in this database's SQL. */
  SqlDialect segmentDialect();

  /** Whether the failure is a unique-constraint violation (a name or an identifier taken). */
  boolean isUniqueViolation(SQLException e);

  /**
   * Whether a write transaction that failed this way may simply run again: it lost a race with
   * another node (a deadlock, or the same new user inserted by both). Never with a single writer.
   */
  default boolean isWorthRetrying(SQLException e) {
    return false;
  }

  /**
   * Why the database refused a segment filter that Kiln accepted (a regular expression its regex
   * engine does not support, or one too costly to evaluate), when that is what happened: the
   * caller's filter is at fault, not the store. Worded to follow "the segment's filter".
   */
  default Optional<String> rejectedFilter(SQLException e) {
    return Optional.empty();
  }
}
