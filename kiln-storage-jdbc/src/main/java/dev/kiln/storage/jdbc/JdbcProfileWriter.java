package dev.kiln.storage.jdbc;

import dev.kiln.core.profile.ChangeResult;
import dev.kiln.core.profile.NewUsers;
import dev.kiln.core.profile.ProfileChange;
import dev.kiln.core.profile.ProfileUpdate;
import dev.kiln.core.profile.UserProfile;
import dev.kiln.core.storage.GroupCommitter;
import dev.kiln.core.storage.ProfileWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The write path: requests queue in a {@link GroupCommitter}, and each batch of requests is applied
 * in one transaction: find the user (locked), apply the pure update, save.
 */
final class JdbcProfileWriter implements ProfileWriter, AutoCloseable {
  private final DataSource writes;
  private final UserRows users;
  private final ActivityRows activities;
  private final Clock clock;
  private final GroupCommitter<List<ProfileChange>, List<ChangeResult>> committer;

  JdbcProfileWriter(DataSource writes, UserRows users, ActivityRows activities, Clock clock, int maxRequestsPerCommit) {
    this.writes = writes;
    this.users = users;
    this.activities = activities;
    this.clock = clock;
    this.committer = new GroupCommitter<>("kiln-group-commit", this::commit, maxRequestsPerCommit);
  }

  @Override
  public List<ChangeResult> apply(List<ProfileChange> changes) {
    if (changes.isEmpty()) {
      return List.of();
    }
    return committer.submit(List.copyOf(changes));
  }

  @Override
  public void close() {
    committer.close();
  }

  private List<List<ChangeResult>> commit(List<List<ProfileChange>> requests) {
    Instant now = clock.instant();
    try {
      return inOneTransaction(requests, now);
    } catch (SQLException e) {
      throw StorageFailures.unavailable("commit the request", e);
    }
  }

  private List<List<ChangeResult>> inOneTransaction(List<List<ProfileChange>> requests, Instant now) throws SQLException {
    return Transactions.inTransaction(writes, connection -> {
      List<List<ChangeResult>> results = new ArrayList<>(requests.size());
      for (List<ProfileChange> request : requests) {
        List<ChangeResult> requestResults = new ArrayList<>(request.size());
        for (ProfileChange change : request) {
          requestResults.add(applyOne(connection, change, now));
        }
        results.add(requestResults);
      }
      return results;
    });
  }

  private ChangeResult applyOne(Connection connection, ProfileChange change, Instant now) throws SQLException {
    Optional<UserRows.StoredUser> existing = users.find(connection, change.lookup(), true);
    ChangeResult result;
    long userId;
    UserProfile saved;
    if (existing.isPresent()) {
      saved = change.update().apply(existing.get().profile(), now).updatedAt(now);
      users.update(connection, existing.get(), saved);
      userId = existing.get().userId();
      result = ChangeResult.UPDATED;
    } else {
      Optional<UserProfile> created = change.createIfMissing() ? NewUsers.create(change.lookup(), now) : Optional.empty();
      if (created.isEmpty()) {
        return ChangeResult.NO_USER;
      }
      saved = change.update().apply(created.get(), now).updatedAt(now);
      userId = users.insert(connection, saved);
      result = ChangeResult.CREATED;
    }
    activities.append(connection, userId, change.activities());
    if (change.sameEmailUpdate() != null && saved.email() != null) {
      applyToSameEmail(connection, change.sameEmailUpdate(), saved.email(), userId, now);
    }
    return result;
  }

  private void applyToSameEmail(Connection connection, ProfileUpdate update, String email, long userId, Instant now)
      throws SQLException {
    for (UserRows.StoredUser other : users.othersWithEmail(connection, email, userId)) {
      users.update(connection, other, update.apply(other.profile(), now).updatedAt(now));
    }
  }
}
