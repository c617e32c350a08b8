package dev.kiln.storage.jdbc;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.segment.CompiledFilter;
import dev.kiln.segment.Filter;
import dev.kiln.segment.FilterCompiler;
import dev.kiln.segment.SegmentQueries;
import dev.kiln.segment.SegmentResolver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/** Segment filters compiled to SQL and run on the read pool: nothing is loaded into memory. */
final class JdbcSegmentQueries implements SegmentQueries {
  private final DataSource reads;
  private final JdbcDialect dialect;
  private final UserRows users;

  JdbcSegmentQueries(DataSource reads, JdbcDialect dialect, UserRows users) {
    this.reads = reads;
    this.dialect = dialect;
    this.users = users;
  }

  @Override
  public long count(Filter filter, SegmentResolver segments, Instant now) {
    CompiledFilter compiled = FilterCompiler.compile(filter, dialect.segmentDialect(), segments, now);
    String sql = "SELECT COUNT(*) FROM users u WHERE " + compiled.sql();
    try {
      return Transactions.readOnly(reads, connection -> {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
          bind(statement, compiled.parameters());
          try (ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getLong(1);
          }
        }
      });
    } catch (SQLException e) {
      throw failure("evaluate the segment", e);
    }
  }

  @Override
  public List<Member> members(Filter filter, SegmentResolver segments, Instant now, long afterKey, int limit) {
    CompiledFilter compiled = FilterCompiler.compile(filter, dialect.segmentDialect(), segments, now);
    List<Object> parameters = compiled.parameters();
    try {
      return Transactions.readOnly(reads, connection -> {
        try (StatementCache sql = new StatementCache(connection)) {
          return users.select(sql, "(" + compiled.sql() + ") AND u.user_id > ? ORDER BY u.user_id LIMIT ?", statement -> {
            bind(statement, parameters);
            statement.setLong(parameters.size() + 1, afterKey);
            statement.setInt(parameters.size() + 2, limit);
          }).stream().map(user -> new Member(user.userId(), user::decode)).toList();
        }
      });
    } catch (SQLException e) {
      throw failure("read the segment's members", e);
    }
  }

  private KilnException failure(String whatFailed, SQLException e) {
    return dialect.rejectedFilter(e)
        .map(reason -> new KilnException(ErrorCode.INVALID_INPUT, "the segment's filter " + reason, e))
        .orElseGet(() -> StorageFailures.unavailable(whatFailed, e));
  }

  private static void bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
    for (int i = 0; i < parameters.size(); i++) {
      statement.setObject(i + 1, parameters.get(i));
    }
  }
}
