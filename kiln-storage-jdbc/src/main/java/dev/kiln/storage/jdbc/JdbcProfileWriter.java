package dev.kiln.storage.jdbc;

import dev.kiln.core.profile.ChangeResult;
import dev.kiln.core.profile.NewUsers;
import dev.kiln.core.profile.ProfileChange;
import dev.kiln.core.profile.ProfileUpdate;
import dev.kiln.core.profile.RefusedUpdate;
import dev.kiln.core.profile.UserProfile;
import dev.kiln.core.storage.GroupCommitter;
import dev.kiln.core.storage.ProfileWriter;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The write path: requests queue in a {@link GroupCommitter}, and each batch of requests is applied
 * in one transaction through a {@link WriteSession}: find each user (locked), apply the pure
 * updates in order, write every changed user once, commit. Where several nodes write one database,
 * a transaction that loses a race with another node's runs again, a bounded number of times.
 */
final class JdbcProfileWriter implements ProfileWriter, AutoCloseable {
  private final WritePool writes;
  private final JdbcDialect dialect;
  private final UserRows users;
  private final ActivityRows activities;
  private final Clock clock;
  private final GroupCommitter<List<ProfileChange>, List<ChangeResult>> committer;

  JdbcProfileWriter(
      WritePool writes,
      JdbcDialect dialect,
      UserRows users,
      ActivityRows activities,
      Clock clock,
      int maxRequestsPerCommit) {
    this.writes = writes;
    this.dialect = dialect;
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
    return RaceRetries.run(dialect, "commit the request", () -> commitOnce(requests, now));
  }

  /**
   * Applies the batch in one transaction. Run again after a lost race, it reads every user afresh,
   * so the updates apply to what the other writer committed.
   */
  private List<List<ChangeResult>> commitOnce(List<List<ProfileChange>> requests, Instant now)
      throws SQLException {
    return writes.inTransaction(
        connection -> {
          try (StatementCache sql = new StatementCache(connection)) {
            WriteSession session = new WriteSession(sql, dialect, users, activities);
            session.prefetch(
                requests.stream().flatMap(List::stream).map(ProfileChange::lookup).toList());
            List<List<ChangeResult>> results = new ArrayList<>(requests.size());
            for (List<ProfileChange> request : requests) {
              List<ChangeResult> requestResults = new ArrayList<>(request.size());
              for (ProfileChange change : request) {
                requestResults.add(applyOne(session, change, now));
              }
              results.add(requestResults);
            }
            session.finish();
            return results;
          }
        });
  }

  private static ChangeResult applyOne(WriteSession session, ProfileChange change, Instant now)
      throws SQLException {
    Optional<Long> existing = session.resolve(change.lookup());
    long userId;
    ChangeResult result;
    try {
      if (existing.isPresent()) {
        userId = existing.get();
        session.update(userId, change.update().apply(session.current(userId), now).updatedAt(now));
        result = ChangeResult.UPDATED;
      } else {
        Optional<UserProfile> created =
            change.createIfMissing() ? NewUsers.create(change.lookup(), now) : Optional.empty();
        if (created.isEmpty()) {
          return ChangeResult.NO_USER;
        }
        userId = session.create(change.update().apply(created.get(), now).updatedAt(now));
        result = ChangeResult.CREATED;
      }
    } catch (RefusedUpdate refused) {
      return ChangeResult.refused(
          refused.getMessage()); // thrown by the pure update, before the session changed
    }
    session.append(userId, change.activities());
    String email = session.current(userId).email();
    if (change.sameEmailUpdate() != null && email != null) {
      applyToSameEmail(session, change.sameEmailUpdate(), email, userId, now);
    }
    return result;
  }

  private static void applyToSameEmail(
      WriteSession session, ProfileUpdate update, String email, long userId, Instant now)
      throws SQLException {
    for (long other : session.othersWithEmail(email, userId)) {
      session.update(other, update.apply(session.current(other), now).updatedAt(now));
    }
  }
}
