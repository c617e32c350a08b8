package dev.kiln.storage.jdbc;

import dev.kiln.core.profile.ActivityRecord;
import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One transaction of the write path. Every user it touches is read once, changed in memory by as
 * many objects as name it, and written once at the end; raw events and purchases are written in one
 * batch. Under Zipf-shaped traffic a batch of requests names the same busy users again and again,
 * so this turns hundreds of document reads and writes into a few.
 *
 * <p>Lookups by external_id, braze_id and alias are remembered for the session: a user keeps them
 * while the session runs (the write path never changes them for an existing user). Emails and
 * phones can change in memory, so lookups by them combine what the database holds with the
 * session's own changes, which are not written yet.
 */
final class WriteSession {
  /** How many keys for new users one query takes: a request of 75 new users needs two queries. */
  private static final int IDS_PER_ALLOCATION = 64;

  private final StatementCache sql;
  private final JdbcDialect dialect;
  private final UserRows users;
  private final ActivityRows activities;
  private final Map<UserLookup, Long> resolved = new HashMap<>();
  private final Set<UserLookup> absent = new HashSet<>();
  private final Map<Long, Entry> loaded = new HashMap<>();
  // Loaded users by their current email and phone, so contact lookups need not scan every user.
  private final Map<UserLookup, Set<Long>> loadedByContact = new HashMap<>();
  private final Set<Long> dirty = new LinkedHashSet<>();
  private final Set<Long> created = new LinkedHashSet<>();
  private final ArrayDeque<Long> unusedIds = new ArrayDeque<>();
  private long lastIdTaken;
  private final List<ActivityRows.Pending> pendingActivities = new ArrayList<>();

  WriteSession(StatementCache sql, JdbcDialect dialect, UserRows users, ActivityRows activities) {
    this.sql = sql;
    this.dialect = dialect;
    this.users = users;
    this.activities = activities;
  }

  /** A user as last written and as changed since. */
  private static final class Entry {
    final UserRows.StoredUser written;
    UserProfile current;

    Entry(UserRows.StoredUser written) {
      this.written = written;
      this.current = written.profile();
    }
  }

  /**
   * Reads (and locks) at once every user that {@code lookups} name by external_id, the identifier
   * nearly every request uses, so resolving them one by one later costs no query: on a database
   * server each query is a round trip. The ids are resolved together, primary and deprecated ones
   * alike; ids that name nobody are remembered as absent. Users already loaded keep their state.
   */
  void prefetch(List<UserLookup> lookups) throws SQLException {
    List<String> externalIds =
        lookups.stream()
            .filter(
                lookup -> lookup instanceof UserLookup.ExternalId && !resolved.containsKey(lookup))
            .map(lookup -> ((UserLookup.ExternalId) lookup).value())
            .distinct()
            .toList();
    UserRows.Prefetched found = users.findByExternalIds(sql, externalIds, loaded.keySet());
    found.read().forEach(this::put);
    for (String externalId : externalIds) {
      UserLookup.ExternalId lookup = new UserLookup.ExternalId(externalId);
      Long owner = found.owners().get(externalId);
      if (owner == null) {
        absent.add(lookup);
      } else {
        resolved.put(lookup, owner);
      }
    }
  }

  /** The internal key of the user the lookup names, if there is one. */
  Optional<Long> resolve(UserLookup lookup) throws SQLException {
    Long known = resolved.get(lookup);
    if (known != null) {
      return Optional.of(known);
    }
    if (absent.contains(lookup)) {
      return Optional
          .empty(); // not there when prefetched; a user this session creates is in resolved
    }
    if (lookup instanceof UserLookup.Email || lookup instanceof UserLookup.Phone) {
      return resolveContact(lookup);
    }
    Optional<UserRows.StoredUser> found = users.find(sql, lookup, true);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    long userId = found.get().userId();
    if (!loaded.containsKey(userId)) { // a loaded user's in-memory state is newer
      put(found.get());
    }
    resolved.put(lookup, userId);
    return Optional.of(userId);
  }

  UserProfile current(long userId) {
    return loaded.get(userId).current;
  }

  void update(long userId, UserProfile next) {
    Entry entry = loaded.get(userId);
    unindex(userId, entry.current);
    entry.current = next;
    index(userId, next);
    dirty.add(userId);
  }

  /**
   * A new user, given a key now and inserted by {@link #finish} with every other new user of the
   * session, in one batch. Its identifiers were looked up absent; the lookup tables' primary keys
   * check them again at the insert, against another node that created the same user meanwhile.
   */
  long create(UserProfile profile) throws SQLException {
    long userId = newUserId();
    put(new UserRows.StoredUser(userId, profile));
    created.add(userId);
    remember(profile, userId);
    return userId;
  }

  private long newUserId() throws SQLException {
    if (unusedIds.isEmpty()) {
      long after = lastIdTaken;
      for (long id : dialect.newUserIds(sql.connection(), IDS_PER_ALLOCATION, after)) {
        unusedIds.add(id);
        lastIdTaken = Math.max(lastIdTaken, id);
      }
    }
    return unusedIds.removeFirst();
  }

  void append(long userId, List<ActivityRecord> records) {
    records.forEach(record -> pendingActivities.add(new ActivityRows.Pending(userId, record)));
  }

  /** Every other user whose email is {@code email} now, loaded into the session. */
  List<Long> othersWithEmail(String email, long userId) throws SQLException {
    UserLookup.Email contact = new UserLookup.Email(email);
    Set<Long> others = new LinkedHashSet<>();
    for (UserRows.ContactHolder holder : users.holders(sql, contact)) {
      others.add(holder.userId());
    }
    for (long other : others) {
      load(other);
    }
    // As they are now, locked: a holder that gave the email up meanwhile, or in this session, is
    // none.
    others.removeIf(other -> !holdsNow(other, contact));
    others.addAll(loadedByContact.getOrDefault(contact, Set.of()));
    others.remove(userId);
    return List.copyOf(others);
  }

  /** Writes every changed user and every pending raw row. The caller then commits. */
  void finish() throws SQLException {
    Map<Long, UserProfile> newUsers = new LinkedHashMap<>();
    for (long userId : created) {
      newUsers.put(userId, loaded.get(userId).current);
    }
    users.insertAll(sql, newUsers);
    List<UserRows.Change> changes = new ArrayList<>(dirty.size());
    for (long userId : dirty) {
      if (!created.contains(userId)) { // inserted as it is now, just above
        Entry entry = loaded.get(userId);
        changes.add(new UserRows.Change(entry.written, entry.current));
      }
    }
    users.updateAll(sql, changes);
    created.clear();
    dirty.clear();
    activities.append(sql, pendingActivities);
    pendingActivities.clear();
  }

  /**
   * Braze's rule over the users holding the email or phone: the most recently updated identified
   * user, else the most recently updated one. Users changed in this session count as they are now.
   */
  private Optional<Long> resolveContact(UserLookup contact) throws SQLException {
    List<UserRows.ContactHolder> holders = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    for (UserRows.ContactHolder holder : users.holders(sql, contact)) {
      if (!loaded.containsKey(holder.userId())) {
        holders.add(holder);
        seen.add(holder.userId());
      }
    }
    for (long userId : loadedByContact.getOrDefault(contact, Set.of())) {
      if (seen.add(userId)) {
        UserProfile now = loaded.get(userId).current;
        holders.add(
            new UserRows.ContactHolder(
                userId, now.externalId() != null, now.updatedAt().toEpochMilli()));
      }
    }
    Optional<Long> chosen =
        holders.stream().max(UserRows.BRAZE_PREFERENCE).map(UserRows.ContactHolder::userId);
    if (chosen.isPresent()) {
      load(chosen.get());
      if (!holdsNow(chosen.get(), contact)) {
        // It changed its email or phone after the holders were read: choose again, from the start.
        throw new LostRace("the holder of an email or phone changed it before it was locked");
      }
    }
    return chosen;
  }

  private boolean holdsNow(long userId, UserLookup contact) {
    return loadedByContact.getOrDefault(contact, Set.of()).contains(userId);
  }

  private void load(long userId) throws SQLException {
    if (!loaded.containsKey(userId)) {
      put(users.byId(sql, userId));
    }
  }

  private void put(UserRows.StoredUser user) {
    loaded.put(user.userId(), new Entry(user));
    index(user.userId(), user.profile());
  }

  private void index(long userId, UserProfile profile) {
    for (UserLookup contact : contacts(profile)) {
      loadedByContact.computeIfAbsent(contact, key -> new HashSet<>()).add(userId);
    }
  }

  private void unindex(long userId, UserProfile profile) {
    for (UserLookup contact : contacts(profile)) {
      Set<Long> holders = loadedByContact.get(contact);
      if (holders != null) {
        holders.remove(userId);
      }
    }
  }

  private static List<UserLookup> contacts(UserProfile profile) {
    List<UserLookup> contacts = new ArrayList<>(2);
    if (profile.email() != null) {
      contacts.add(new UserLookup.Email(profile.email()));
    }
    if (profile.phone() != null) {
      contacts.add(new UserLookup.Phone(profile.phone()));
    }
    return contacts;
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
}
