package dev.kiln.storage.jdbc;

import dev.kiln.core.identity.IdentityTransaction;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The primitives of user management inside one JDBC transaction. Every write goes to the database
 * at once, so later reads of the transaction see it; user management requests carry at most 50
 * items, and being plain matters more here than batching.
 */
final class JdbcIdentityTransaction implements IdentityTransaction {
  private final StatementCache sql;
  private final JdbcDialect dialect;
  private final UserRows users;
  private final ActivityRows activities;
  // Users as last read or written in this transaction, by braze_id: what save() changes from.
  private final Map<String, UserRows.StoredUser> known = new HashMap<>();

  JdbcIdentityTransaction(
      StatementCache sql, JdbcDialect dialect, UserRows users, ActivityRows activities) {
    this.sql = sql;
    this.dialect = dialect;
    this.users = users;
    this.activities = activities;
  }

  /**
   * A database failure inside a primitive, carried out of the SPI's unchecked methods and unwrapped
   * by the caller.
   */
  static final class Failure extends RuntimeException {
    Failure(SQLException cause) {
      super(cause);
    }

    @Override
    public synchronized SQLException getCause() {
      return (SQLException) super.getCause();
    }
  }

  @FunctionalInterface
  private interface Sql<T> {
    T run() throws SQLException;
  }

  private static <T> T unchecked(Sql<T> work) {
    try {
      return work.run();
    } catch (SQLException e) {
      throw new Failure(e);
    }
  }

  @Override
  public Optional<UserProfile> find(UserLookup lookup) {
    return unchecked(() -> users.find(sql, lookup, true)).map(this::remember);
  }

  @Override
  public List<UserProfile> holders(UserLookup contact) {
    return unchecked(
        () -> {
          List<UserProfile> holders = new ArrayList<>();
          // Locked in key order, as the write path locks users, so two writers seldom wait on each
          // other in a cycle.
          List<Long> keys =
              users.holders(sql, contact).stream()
                  .map(UserRows.ContactHolder::userId)
                  .sorted()
                  .toList();
          for (long userId : keys) {
            UserRows.StoredUser holder = users.byId(sql, userId);
            // Locked now: one that gave the email or phone up since it was read holds it no more.
            if (UserRows.holdsContact(holder.profile(), contact)) {
              holders.add(remember(holder));
            }
          }
          return holders;
        });
  }

  @Override
  public void create(UserProfile user) {
    unchecked(
        () -> {
          long userId = dialect.newUserIds(sql.connection(), 1, 0)[0];
          users.insertAll(sql, Map.of(userId, user));
          return remember(new UserRows.StoredUser(userId, user));
        });
  }

  @Override
  public void save(UserProfile user) {
    UserRows.StoredUser before = stored(user);
    unchecked(
        () -> {
          users.updateAll(sql, List.of(new UserRows.Change(before, user)));
          return remember(new UserRows.StoredUser(before.userId(), user));
        });
  }

  @Override
  public void moveActivity(UserProfile from, UserProfile to) {
    long source = stored(from).userId();
    long target = stored(to).userId();
    unchecked(
        () -> {
          activities.move(sql, source, target);
          return null;
        });
  }

  @Override
  public void delete(UserProfile user) {
    UserRows.StoredUser stored = stored(user);
    unchecked(
        () -> {
          users.delete(sql, stored);
          return null;
        });
    known.remove(user.brazeId());
  }

  @Override
  public void deprecate(String externalId, UserProfile owner) {
    long userId = stored(owner).userId();
    unchecked(
        () -> {
          users.deprecate(sql, externalId, userId);
          return null;
        });
  }

  @Override
  public void removeDeprecated(String externalId) {
    unchecked(
        () -> {
          users.removeDeprecated(sql, externalId);
          return null;
        });
  }

  private UserProfile remember(UserRows.StoredUser user) {
    known.put(user.profile().brazeId(), user);
    return user.profile();
  }

  private UserRows.StoredUser stored(UserProfile user) {
    UserRows.StoredUser stored = known.get(user.brazeId());
    if (stored == null) {
      throw new IllegalStateException(
          "user " + user.brazeId() + " was not read in this transaction");
    }
    return stored;
  }
}
