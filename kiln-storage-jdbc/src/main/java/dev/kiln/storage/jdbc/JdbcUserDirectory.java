package dev.kiln.storage.jdbc;

import dev.kiln.core.identity.OperationResult;
import dev.kiln.core.identity.UserOperation;
import dev.kiln.core.storage.UserDirectory;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * User management on a JDBC store: one transaction per request on the write pool, beside the group
 * commits of /users/track (on SQLite they take turns on its one write connection). Where several
 * nodes share the database, the rows it reads are locked, and a transaction that loses a race runs
 * again from the start.
 */
final class JdbcUserDirectory implements UserDirectory {
  private final WritePool writes;
  private final JdbcDialect dialect;
  private final UserRows users;
  private final ActivityRows activities;
  private final Clock clock;

  JdbcUserDirectory(
      WritePool writes, JdbcDialect dialect, UserRows users, ActivityRows activities, Clock clock) {
    this.writes = writes;
    this.dialect = dialect;
    this.users = users;
    this.activities = activities;
    this.clock = clock;
  }

  @Override
  public List<OperationResult> apply(List<UserOperation> operations) {
    if (operations.isEmpty()) {
      return List.of();
    }
    Instant now = clock.instant();
    return RaceRetries.run(dialect, "change the users", () -> applyOnce(operations, now));
  }

  private List<OperationResult> applyOnce(List<UserOperation> operations, Instant now)
      throws SQLException {
    return writes.inTransaction(
        connection -> {
          try (StatementCache sql = new StatementCache(connection)) {
            JdbcIdentityTransaction transaction =
                new JdbcIdentityTransaction(sql, dialect, users, activities);
            List<OperationResult> results = new ArrayList<>(operations.size());
            for (UserOperation operation : operations) {
              results.add(operation.applyTo(transaction, now));
            }
            return results;
          } catch (JdbcIdentityTransaction.Failure failure) {
            throw failure.getCause();
          }
        });
  }
}
