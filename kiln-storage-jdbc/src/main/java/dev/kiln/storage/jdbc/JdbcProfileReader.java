package dev.kiln.storage.jdbc;

import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import dev.kiln.core.storage.ProfileReader;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

final class JdbcProfileReader implements ProfileReader {
  private final DataSource reads;
  private final UserRows users;

  JdbcProfileReader(DataSource reads, UserRows users) {
    this.reads = reads;
    this.users = users;
  }

  @Override
  public Optional<UserProfile> find(UserLookup lookup) {
    try {
      return Transactions.readOnly(
              reads,
              connection -> {
                try (StatementCache sql = new StatementCache(connection)) {
                  return users.find(sql, lookup, false);
                }
              })
          .map(UserRows.StoredUser::profile);
    } catch (SQLException e) {
      throw StorageFailures.unavailable("read the user", e);
    }
  }
}
