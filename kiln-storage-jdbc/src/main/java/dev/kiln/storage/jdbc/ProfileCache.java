package dev.kiln.storage.jdbc;

import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The write path's memory of recently committed users, so a busy user is not read and decoded
 * again by every commit. Only the writer thread uses it, and only for databases where that thread
 * is the only writer of users; if anything else commits to the database, the dialect's change
 * counter moves and the whole cache is dropped. Only committed states enter it.
 */
final class ProfileCache {
  private final int maxUsers;
  private final Map<Long, UserRows.StoredUser> users;
  private final Map<UserLookup, Long> lookups;
  private long lastChangeCounter = Long.MIN_VALUE;

  ProfileCache(int maxUsers) {
    this.maxUsers = maxUsers;
    this.users = lru(maxUsers);
    this.lookups = lru(maxUsers * 2);
  }

  boolean enabled() {
    return maxUsers > 0;
  }

  /**
   * Drops everything when the database was changed by another connection since the last call.
   *
   * @param changeCounter SQLite's {@code PRAGMA data_version} on the write connection
   */
  void checkExternalChanges(long changeCounter) {
    if (changeCounter != lastChangeCounter) {
      clear();
      lastChangeCounter = changeCounter;
    }
  }

  Optional<UserRows.StoredUser> user(long userId) {
    return Optional.ofNullable(users.get(userId));
  }

  Optional<Long> userId(UserLookup lookup) {
    return Optional.ofNullable(lookups.get(lookup));
  }

  /** Remembers a user as committed. */
  void put(UserRows.StoredUser user) {
    if (!enabled()) {
      return;
    }
    users.put(user.userId(), user);
    lookups.put(new UserLookup.BrazeId(user.profile().brazeId()), user.userId());
    if (user.profile().externalId() != null) {
      lookups.put(new UserLookup.ExternalId(user.profile().externalId()), user.userId());
    }
    for (UserAlias alias : user.profile().aliases()) {
      lookups.put(new UserLookup.Alias(alias), user.userId());
    }
  }

  void clear() {
    users.clear();
    lookups.clear();
  }

  private static <K, V> Map<K, V> lru(int capacity) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
      }
    };
  }
}
