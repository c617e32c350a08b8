package dev.kiln.storage.jdbc;

import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The SQL for users: find by any identifier, insert, update, delete. Rows live in {@code users}
 * (one per user, attributes in a JSON document) and {@code user_aliases}, and each identifier also
 * in its lookup table ({@link IdentifierRows}), kept in step here; {@code user_id} is internal and
 * never leaves the store.
 */
final class UserRows {
  private final String userColumns;

  /**
   * Braze: an email or phone shared by several users resolves to the most recently updated
   * identified user, else to the most recently updated one: the greatest holder by this order.
   */
  static final Comparator<ContactHolder> BRAZE_PREFERENCE =
      Comparator.comparing(ContactHolder::identified)
          .thenComparingLong(ContactHolder::updatedAtMillis)
          .thenComparingLong(ContactHolder::userId);

  /**
   * How many times a lookup resolves an identifier again when the user it found, once locked, no
   * longer holds it (a rename, merge or delete committed in between); past that the transaction
   * runs again from the start ({@link LostRace}).
   */
  private static final int RESOLVE_ATTEMPTS = 3;

  private final JdbcDialect dialect;
  private final IdentifierRows identifiers = new IdentifierRows();

  UserRows(JdbcDialect dialect) {
    this.dialect = dialect;
    this.userColumns =
        "u.user_id, u.braze_id, u.external_id, u.random_bucket, u.created_at, u.updated_at, "
            + dialect.documentColumn("u.profile")
            + " AS profile";
  }

  /** A profile and the internal key of its row. */
  record StoredUser(long userId, UserProfile profile) {}

  /**
   * The user the lookup names. The identifier is resolved through its lookup table without a lock;
   * with {@code forUpdate} the user is then locked by user_id alone (the one lock a distributed
   * database routes to one shard) and checked to hold the identifier still, else resolved again.
   */
  Optional<StoredUser> find(StatementCache sql, UserLookup lookup, boolean forUpdate)
      throws SQLException {
    for (int attempt = 1; attempt <= RESOLVE_ATTEMPTS; attempt++) {
      Optional<Long> owner = owner(sql, lookup);
      if (owner.isEmpty()) {
        return Optional.empty();
      }
      Optional<StoredUser> user = read(sql, owner.get(), forUpdate);
      if (user.isPresent() && (!forUpdate || holds(sql, user.get(), lookup))) {
        return user;
      }
    }
    throw new LostRace("the user of a " + lookup.getClass().getSimpleName() + " kept moving");
  }

  private Optional<Long> owner(StatementCache sql, UserLookup lookup) throws SQLException {
    if (lookup instanceof UserLookup.Email || lookup instanceof UserLookup.Phone) {
      return holders(sql, lookup).stream().max(BRAZE_PREFERENCE).map(ContactHolder::userId);
    }
    return identifiers.owner(sql, lookup);
  }

  /**
   * Whether a user locked after its identifier was resolved still holds it. Its own row says so for
   * everything but a deprecated external_id, which only its lookup row names; that row is stable
   * now, as only a writer holding the user's lock changes it.
   */
  private boolean holds(StatementCache sql, StoredUser user, UserLookup lookup)
      throws SQLException {
    UserProfile profile = user.profile();
    return switch (lookup) {
      case UserLookup.ExternalId id ->
          id.value().equals(profile.externalId())
              || identifiers.owner(sql, lookup).equals(Optional.of(user.userId()));
      case UserLookup.BrazeId id -> id.value().equals(profile.brazeId());
      case UserLookup.Alias alias -> profile.aliases().contains(alias.alias());
      case UserLookup.Email ignored -> holdsContact(profile, lookup);
      case UserLookup.Phone ignored -> holdsContact(profile, lookup);
    };
  }

  /** Whether the profile's email (or phone) is the lookup's. */
  static boolean holdsContact(UserProfile profile, UserLookup contact) {
    return switch (contact) {
      case UserLookup.Email email -> email.value().equals(profile.email());
      case UserLookup.Phone phone -> phone.value().equals(profile.phone());
      default -> false;
    };
  }

  /** The user with this internal key, locked for update. */
  StoredUser byId(StatementCache sql, long userId) throws SQLException {
    // Found by another query of this transaction moments ago (an email's holders, a deprecated
    // external_id).
    return read(sql, userId, true)
        .orElseThrow(
            () ->
                new LostRace(
                    "user " + userId + " was merged or deleted before it could be locked"));
  }

  private Optional<StoredUser> read(StatementCache sql, long userId, boolean forUpdate)
      throws SQLException {
    PreparedStatement statement = sql.prepare(byIdQuery(forUpdate));
    statement.setLong(1, userId);
    return readOne(sql, statement);
  }

  /**
   * One user by user_id; with {@code forUpdate} its row is locked. Every lock Kiln takes on users
   * is this one, one statement per user: a distributed database locks a row only where the
   * statement is routed to one shard by user_id.
   */
  private String byIdQuery(boolean forUpdate) {
    return "SELECT "
        + userColumns
        + " FROM users u WHERE u.user_id = ?"
        + (forUpdate ? dialect.lockForUpdate() : "");
  }

  /**
   * A user holding an email or phone, with what Braze's "most recently updated identified" rule
   * needs.
   */
  record ContactHolder(long userId, boolean identified, long updatedAtMillis) {}

  /**
   * Every user whose email (or phone) is the lookup's: found in its lookup table, then read from
   * users, where a holder that changed it since no longer matches. Nothing is locked.
   */
  List<ContactHolder> holders(StatementCache sql, UserLookup contact) throws SQLException {
    String column = contact instanceof UserLookup.Email ? "email" : "phone";
    String value =
        contact instanceof UserLookup.Email email
            ? email.value()
            : ((UserLookup.Phone) contact).value();
    List<ContactHolder> holders = new ArrayList<>();
    for (List<Long> chunk : PaddedIn.chunks(identifiers.contactHolders(sql, contact))) {
      PreparedStatement statement =
          sql.prepare(
              "SELECT u.user_id, u.external_id IS NOT NULL, u.updated_at FROM users u WHERE u."
                  + column
                  + " = ? AND u.user_id IN ("
                  + PaddedIn.PLACEHOLDERS
                  + ")");
      statement.setString(1, value);
      PaddedIn.bind(statement, 2, chunk);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          holders.add(new ContactHolder(rows.getLong(1), rows.getBoolean(2), rows.getLong(3)));
        }
      }
    }
    return holders;
  }

  /**
   * Inserts new users, their keys already taken, in one batch, then their lookup rows and aliases.
   */
  void insertAll(StatementCache sql, Map<Long, UserProfile> newUsers) throws SQLException {
    if (newUsers.isEmpty()) {
      return;
    }
    PreparedStatement statement =
        sql.prepare(
            "INSERT INTO users (user_id, braze_id, external_id, email, phone, random_bucket, created_at, updated_at, profile)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                + dialect.documentParameter()
                + ")");
    List<Map.Entry<Long, UserAlias>> aliases = new ArrayList<>();
    for (Map.Entry<Long, UserProfile> user : newUsers.entrySet()) {
      UserProfile profile = user.getValue();
      statement.setLong(1, user.getKey());
      statement.setString(2, profile.brazeId());
      JdbcValues.setNullableString(statement, 3, profile.externalId());
      JdbcValues.setNullableString(statement, 4, profile.email());
      JdbcValues.setNullableString(statement, 5, profile.phone());
      statement.setInt(6, profile.randomBucket());
      statement.setLong(7, profile.createdAt().toEpochMilli());
      statement.setLong(8, profile.updatedAt().toEpochMilli());
      statement.setString(9, ProfileDocumentCodec.encode(profile));
      statement.addBatch();
      profile.aliases().forEach(alias -> aliases.add(Map.entry(user.getKey(), alias)));
    }
    statement.executeBatch();
    identifiers.insert(sql, newUsers);
    insertAliases(sql, aliases);
  }

  /** A user as read at the start of the transaction, and as it is to be written. */
  record Change(StoredUser before, UserProfile after) {}

  /**
   * Writes every changed user in one batch: one round trip to a database server, not one per user.
   * Lookup rows follow the identifiers that changed.
   */
  void updateAll(StatementCache sql, List<Change> changes) throws SQLException {
    if (changes.isEmpty()) {
      return;
    }
    PreparedStatement statement =
        sql.prepare(
            "UPDATE users SET external_id = ?, email = ?, phone = ?, updated_at = ?, profile = "
                + dialect.documentParameter()
                + " WHERE user_id = ?");
    for (Change change : changes) {
      UserProfile after = change.after();
      JdbcValues.setNullableString(statement, 1, after.externalId());
      JdbcValues.setNullableString(statement, 2, after.email());
      JdbcValues.setNullableString(statement, 3, after.phone());
      statement.setLong(4, after.updatedAt().toEpochMilli());
      statement.setString(5, ProfileDocumentCodec.encode(after));
      statement.setLong(6, change.before().userId());
      statement.addBatch();
    }
    statement.executeBatch();
    identifiers.update(
        sql,
        changes.stream()
            .map(
                change ->
                    new IdentifierRows.Change(
                        change.before().userId(), change.before().profile(), change.after()))
            .toList());
    for (Change change : changes) {
      if (!change.before().profile().aliases().equals(change.after().aliases())) {
        replaceAliases(sql, change.before().userId(), change.after().aliases());
      }
    }
  }

  /** Deletes a user, its lookup rows first; its aliases, events and purchases go with the row. */
  void delete(StatementCache sql, StoredUser user) throws SQLException {
    identifiers.delete(sql, user.userId(), user.profile());
    PreparedStatement statement = sql.prepare("DELETE FROM users WHERE user_id = ?");
    statement.setLong(1, user.userId());
    statement.executeUpdate();
  }

  /** Keeps an external_id the user no longer holds as its primary one naming it. */
  void deprecate(StatementCache sql, String externalId, long userId) throws SQLException {
    identifiers.deprecate(sql, externalId, userId);
  }

  /** Lets a deprecated external_id go. */
  void removeDeprecated(StatementCache sql, String externalId) throws SQLException {
    identifiers.removeDeprecated(sql, externalId);
  }

  /**
   * What the prefetch found: the user each external_id names, and the users it locked and read to
   * know (not those the caller held already).
   */
  record Prefetched(Map<String, Long> owners, List<StoredUser> read) {}

  /**
   * The users that {@code externalIds} (primary or deprecated) name, locked for update. The ids are
   * resolved in one query per {@value PaddedIn#SIZE}, without a lock; then each user not in {@code
   * held} is locked by user_id, in key order, so two writers locking overlapping users seldom wait
   * on each other in a cycle. An id whose user, once locked, no longer holds it is resolved again.
   */
  Prefetched findByExternalIds(StatementCache sql, List<String> externalIds, Set<Long> held)
      throws SQLException {
    Map<String, Long> owners = new HashMap<>();
    Map<Long, StoredUser> read = new LinkedHashMap<>();
    List<String> pending = externalIds;
    for (int attempt = 1; !pending.isEmpty(); attempt++) {
      if (attempt > RESOLVE_ATTEMPTS) {
        throw new LostRace("the users of " + pending.size() + " external_ids kept moving");
      }
      Map<String, Long> found = identifiers.externalIdOwners(sql, pending);
      List<Long> toLock =
          found.values().stream()
              .distinct()
              .filter(userId -> !held.contains(userId) && !read.containsKey(userId))
              .sorted()
              .toList();
      lockAll(sql, toLock).forEach(user -> read.put(user.userId(), user));
      Set<Long> lockedNow = new HashSet<>(toLock);
      List<String> unsure = new ArrayList<>();
      found.forEach(
          (externalId, userId) -> {
            StoredUser user = read.get(userId);
            if (!lockedNow.contains(userId)) {
              owners.put(externalId, userId); // locked before the lookup: it cannot have moved
            } else if (user != null && externalId.equals(user.profile().externalId())) {
              owners.put(externalId, userId);
            } else {
              unsure.add(externalId); // deprecated, moved to another user, or its user deleted
            }
          });
      pending = new ArrayList<>();
      // Read again now that their users are locked: ids whose user is locked are settled.
      for (Map.Entry<String, Long> now : identifiers.externalIdOwners(sql, unsure).entrySet()) {
        if (held.contains(now.getValue()) || read.containsKey(now.getValue())) {
          owners.put(now.getKey(), now.getValue());
        } else {
          pending.add(now.getKey());
        }
      }
    }
    return new Prefetched(owners, List.copyOf(read.values()));
  }

  /**
   * Locks and reads the users (sorted by user_id), with their aliases; a user deleted meanwhile is
   * left out.
   */
  private List<StoredUser> lockAll(StatementCache sql, List<Long> userIds) throws SQLException {
    List<UndecodedUser> rows = new ArrayList<>();
    for (List<Long> chunk : PaddedIn.chunks(userIds)) {
      rows.addAll(locksRows() ? lockEach(sql, chunk) : readInOneQuery(sql, chunk));
    }
    for (List<UndecodedUser> chunk : PaddedIn.chunks(rows)) {
      PreparedStatement aliases =
          sql.prepare(
              "SELECT user_id, alias_name, alias_label FROM user_aliases WHERE user_id IN ("
                  + PaddedIn.PLACEHOLDERS
                  + ") ORDER BY user_id, alias_label");
      PaddedIn.bind(aliases, 1, chunk.stream().map(UndecodedUser::userId).toList());
      addAliases(aliases, chunk);
    }
    return rows.stream().map(user -> new StoredUser(user.userId(), user.decode())).toList();
  }

  /** Whether this database locks rows (several writers); else one writer runs at a time. */
  private boolean locksRows() {
    return !dialect.lockForUpdate().isEmpty();
  }

  /**
   * Locks each user with a statement of its own (the one lock a distributed database routes to one
   * shard), all of them sent in one round trip: one text of {@link PaddedIn#atLeast} statements,
   * the last user locked again to fill it, so a few texts serve every count and each is prepared
   * once.
   */
  private List<UndecodedUser> lockEach(StatementCache sql, List<Long> userIds) throws SQLException {
    int statements = PaddedIn.atLeast(userIds.size());
    PreparedStatement lock =
        sql.prepare(String.join("; ", Collections.nCopies(statements, byIdQuery(true))));
    PaddedIn.bind(lock, 1, userIds, statements);
    Map<Long, UndecodedUser> locked = new LinkedHashMap<>();
    for (boolean rows = lock.execute(); rows || lock.getUpdateCount() != -1; ) {
      if (rows) {
        try (ResultSet result = lock.getResultSet()) {
          readUsers(result).forEach(user -> locked.putIfAbsent(user.userId(), user));
        }
      }
      rows = lock.getMoreResults();
    }
    return List.copyOf(locked.values());
  }

  /** Reads the users in one query: where one writer runs at a time, nothing needs a lock. */
  private List<UndecodedUser> readInOneQuery(StatementCache sql, List<Long> userIds)
      throws SQLException {
    PreparedStatement read =
        sql.prepare(
            "SELECT "
                + userColumns
                + " FROM users u WHERE u.user_id IN ("
                + PaddedIn.PLACEHOLDERS
                + ") ORDER BY u.user_id");
    PaddedIn.bind(read, 1, userIds);
    return readUsers(read);
  }

  /**
   * The users of a query whose WHERE clause ({@code u} is {@code users}) the caller writes, ordered
   * by {@code user_id}, as rows not yet decoded: a caller streaming many users decodes them on
   * other threads. Their aliases come in one query for the whole range of keys.
   */
  List<UndecodedUser> select(
      StatementCache sql, String whereAndOrder, SingleStatements.Binding binding)
      throws SQLException {
    PreparedStatement statement =
        sql.prepare("SELECT " + userColumns + " FROM users u WHERE " + whereAndOrder);
    binding.bind(statement);
    List<UndecodedUser> found = readUsers(statement);
    if (!found.isEmpty()) {
      // One query for the aliases of users sorted by key, however many there are.
      PreparedStatement aliases =
          sql.prepare(
              "SELECT user_id, alias_name, alias_label FROM user_aliases WHERE user_id BETWEEN ? AND ? ORDER BY user_id, alias_label");
      aliases.setLong(1, found.getFirst().userId());
      aliases.setLong(2, found.getLast().userId());
      addAliases(aliases, found);
    }
    return found;
  }

  private static List<UndecodedUser> readUsers(PreparedStatement statement) throws SQLException {
    try (ResultSet rows = statement.executeQuery()) {
      return readUsers(rows);
    }
  }

  private static List<UndecodedUser> readUsers(ResultSet rows) throws SQLException {
    List<UndecodedUser> found = new ArrayList<>();
    while (rows.next()) {
      found.add(undecoded(rows));
    }
    return found;
  }

  /**
   * Runs an alias query (user_id, alias_name, alias_label) and gives each of {@code users} its
   * rows.
   */
  private static void addAliases(PreparedStatement statement, List<UndecodedUser> users)
      throws SQLException {
    Map<Long, UndecodedUser> byId = new HashMap<>();
    users.forEach(user -> byId.put(user.userId(), user));
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        UndecodedUser user = byId.get(rows.getLong(1));
        if (user != null) { // a user in the key range that is not a member
          user.aliases().add(new UserAlias(rows.getString(2), rows.getString(3)));
        }
      }
    }
  }

  /** A user row as read, its profile document still JSON text. */
  record UndecodedUser(
      long userId,
      String brazeId,
      String externalId,
      int randomBucket,
      long createdAtMillis,
      long updatedAtMillis,
      String document,
      List<UserAlias> aliases) {

    UserProfile decode() {
      ProfileDocumentCodec.Document decoded = ProfileDocumentCodec.decode(document);
      return new UserProfile(
          brazeId,
          externalId,
          List.copyOf(aliases),
          randomBucket,
          Instant.ofEpochMilli(createdAtMillis),
          Instant.ofEpochMilli(updatedAtMillis),
          decoded.attributes(),
          decoded.customAttributes(),
          decoded.customEvents(),
          decoded.purchases(),
          decoded.totalRevenue());
    }
  }

  private static Optional<StoredUser> readOne(StatementCache sql, PreparedStatement statement)
      throws SQLException {
    UndecodedUser user;
    try (ResultSet row = statement.executeQuery()) {
      if (!row.next()) {
        return Optional.empty();
      }
      user = undecoded(row);
    }
    user.aliases().addAll(aliasesOf(sql, user.userId()));
    return Optional.of(new StoredUser(user.userId(), user.decode()));
  }

  private static List<UserAlias> aliasesOf(StatementCache sql, long userId) throws SQLException {
    PreparedStatement statement =
        sql.prepare(
            "SELECT alias_name, alias_label FROM user_aliases WHERE user_id = ? ORDER BY alias_label");
    statement.setLong(1, userId);
    List<UserAlias> aliases = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        aliases.add(new UserAlias(rows.getString(1), rows.getString(2)));
      }
    }
    return aliases;
  }

  private static void replaceAliases(StatementCache sql, long userId, List<UserAlias> aliases)
      throws SQLException {
    PreparedStatement statement = sql.prepare("DELETE FROM user_aliases WHERE user_id = ?");
    statement.setLong(1, userId);
    statement.executeUpdate();
    insertAliases(sql, aliases.stream().map(alias -> Map.entry(userId, alias)).toList());
  }

  private static void insertAliases(StatementCache sql, List<Map.Entry<Long, UserAlias>> aliases)
      throws SQLException {
    if (aliases.isEmpty()) {
      return;
    }
    PreparedStatement statement =
        sql.prepare("INSERT INTO user_aliases (alias_label, alias_name, user_id) VALUES (?, ?, ?)");
    for (Map.Entry<Long, UserAlias> alias : aliases) {
      statement.setString(1, alias.getValue().aliasLabel());
      statement.setString(2, alias.getValue().aliasName());
      statement.setLong(3, alias.getKey());
      statement.addBatch();
    }
    statement.executeBatch();
  }

  /** A row of {@code userColumns}, its aliases still to be added (they live in their own table). */
  private static UndecodedUser undecoded(ResultSet row) throws SQLException {
    return new UndecodedUser(
        row.getLong("user_id"),
        row.getString("braze_id"),
        row.getString("external_id"),
        row.getInt("random_bucket"),
        row.getLong("created_at"),
        row.getLong("updated_at"),
        row.getString("profile"),
        new ArrayList<>());
  }
}
