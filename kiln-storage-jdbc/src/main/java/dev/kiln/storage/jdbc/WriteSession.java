package dev.kiln.storage.jdbc;

import dev.kiln.core.profile.ActivityRecord;
import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One transaction of the write path. Every user it touches is read once, changed in memory by as
 * many objects as name it, and written once at the end; raw events and purchases are written in one
 * batch. Under Zipf-shaped traffic a batch of requests names the same busy users again and again, so
 * this turns hundreds of document reads and writes into a few.
 *
 * <p>Lookups by external_id, braze_id and alias are remembered for the session: a user keeps them
 * while the session runs (the write path never changes them for an existing user). Lookups by email
 * or phone ask the database, after writing out any in-memory change to those fields, so Braze's
 * "most recently updated" rule sees the session's own changes.
 */
final class WriteSession {
  private final StatementCache sql;
  private final UserRows users;
  private final ActivityRows activities;
  private final Map<UserLookup, Long> resolved = new HashMap<>();
  private final Map<Long, Entry> loaded = new LinkedHashMap<>();
  private final List<ActivityRows.Pending> pendingActivities = new ArrayList<>();

  WriteSession(StatementCache sql, UserRows users, ActivityRows activities) {
    this.sql = sql;
    this.users = users;
    this.activities = activities;
  }

  /** A user as loaded and as changed since, and whether the change still has to be written. */
  private static final class Entry {
    UserRows.StoredUser written;
    UserProfile current;

    Entry(UserRows.StoredUser written) {
      this.written = written;
      this.current = written.profile();
    }

    boolean dirty() {
      return !current.equals(written.profile());
    }
  }

  /** The internal key of the user the lookup names, if there is one. */
  Optional<Long> resolve(UserLookup lookup) throws SQLException {
    Long known = resolved.get(lookup);
    if (known != null) {
      return Optional.of(known);
    }
    if (lookup instanceof UserLookup.Email || lookup instanceof UserLookup.Phone) {
      flush();
    }
    Optional<UserRows.StoredUser> found = users.find(sql, lookup, true);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    long userId = found.get().userId();
    loaded.putIfAbsent(userId, new Entry(found.get())); // a loaded user's in-memory state is newer
    if (isStable(lookup)) {
      resolved.put(lookup, userId);
    }
    return Optional.of(userId);
  }

  UserProfile current(long userId) {
    return loaded.get(userId).current;
  }

  void update(long userId, UserProfile next) {
    loaded.get(userId).current = next;
  }

  /** Inserts a new user now, so unique identifiers are checked and it has a key. */
  long create(UserProfile profile) throws SQLException {
    long userId = users.insert(sql, profile);
    loaded.put(userId, new Entry(new UserRows.StoredUser(userId, profile)));
    remember(profile, userId);
    return userId;
  }

  void append(long userId, List<ActivityRecord> records) {
    records.forEach(record -> pendingActivities.add(new ActivityRows.Pending(userId, record)));
  }

  /** Every other user with this email, loaded into the session. */
  List<Long> othersWithEmail(String email, long userId) throws SQLException {
    flush();
    List<Long> others = users.othersWithEmail(sql, email, userId);
    for (long other : others) {
      if (!loaded.containsKey(other)) {
        loaded.put(other, new Entry(users.byId(sql, other)));
      }
    }
    return others;
  }

  /** Writes every changed user and every pending raw row. The caller then commits. */
  void finish() throws SQLException {
    flush();
    activities.append(sql, pendingActivities);
    pendingActivities.clear();
  }

  private void flush() throws SQLException {
    for (Map.Entry<Long, Entry> user : loaded.entrySet()) {
      Entry entry = user.getValue();
      if (entry.dirty()) {
        users.update(sql, entry.written, entry.current);
        entry.written = new UserRows.StoredUser(user.getKey(), entry.current);
      }
    }
  }

  private void remember(UserProfile profile, long userId) {
    resolved.put(new UserLookup.BrazeId(profile.brazeId()), userId);
    if (profile.externalId() != null) {
      resolved.put(new UserLookup.ExternalId(profile.externalId()), userId);
    }
    for (UserAlias alias : profile.aliases()) {
      resolved.put(new UserLookup.Alias(alias), userId);
    }
  }

  private static boolean isStable(UserLookup lookup) {
    return lookup instanceof UserLookup.ExternalId || lookup instanceof UserLookup.BrazeId || lookup instanceof UserLookup.Alias;
  }
}
