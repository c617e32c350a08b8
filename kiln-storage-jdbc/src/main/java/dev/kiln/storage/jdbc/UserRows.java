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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL for users: find by any identifier, insert, update. Rows live in {@code users} (one per
 * user, attributes in a JSON document) and {@code user_aliases}; {@code user_id} is internal and
 * never leaves the store.
 */
final class UserRows {
  private final String userColumns;
  // Braze: an email or phone shared by several users resolves to the most recently updated
  // identified user, else to the most recently updated one.
  private static final String NEWEST_IDENTIFIED_FIRST =
      " ORDER BY CASE WHEN u.external_id IS NULL THEN 1 ELSE 0 END, u.updated_at DESC, u.user_id DESC LIMIT 1";

  /** How many identifiers one lookup query takes. */
  private static final int LOOKUP_CHUNK = 64;

  private static final String PLACEHOLDERS =
      String.join(", ", Collections.nCopies(LOOKUP_CHUNK, "?"));

  private final JdbcDialect dialect;

  UserRows(JdbcDialect dialect) {
    this.dialect = dialect;
    this.userColumns =
        "u.user_id, u.braze_id, u.external_id, u.random_bucket, u.created_at, u.updated_at, "
            + dialect.documentColumn("u.profile")
            + " AS profile";
  }

  /** A profile and the internal key of its row. */
  record StoredUser(long userId, UserProfile profile) {}

  Optional<StoredUser> find(StatementCache sql, UserLookup lookup, boolean forUpdate)
      throws SQLException {
    String lock = forUpdate ? dialect.lockForUpdate() : "";
    String query =
        switch (lookup) {
          case UserLookup.ExternalId ignored ->
              "SELECT " + userColumns + " FROM users u WHERE u.external_id = ?" + lock;
          case UserLookup.BrazeId ignored ->
              "SELECT " + userColumns + " FROM users u WHERE u.braze_id = ?" + lock;
          case UserLookup.Alias ignored ->
              "SELECT "
                  + userColumns
                  + " FROM user_aliases a JOIN users u ON u.user_id = a.user_id WHERE a.alias_label = ? AND a.alias_name = ?"
                  + lock;
          case UserLookup.Email ignored ->
              "SELECT "
                  + userColumns
                  + " FROM users u WHERE u.email = ?"
                  + NEWEST_IDENTIFIED_FIRST
                  + lock;
          case UserLookup.Phone ignored ->
              "SELECT "
                  + userColumns
                  + " FROM users u WHERE u.phone = ?"
                  + NEWEST_IDENTIFIED_FIRST
                  + lock;
        };
    PreparedStatement statement = sql.prepare(query);
    bindLookup(statement, lookup);
    Optional<StoredUser> found = readOne(sql, statement);
    if (found.isEmpty() && lookup instanceof UserLookup.ExternalId id) {
      Long owner = deprecatedOwners(sql, List.of(id.value())).get(id.value());
      return owner == null ? found : Optional.of(byId(sql, owner, forUpdate));
    }
    return found;
  }

  /** The user with this internal key, locked for update. */
  StoredUser byId(StatementCache sql, long userId) throws SQLException {
    return byId(sql, userId, true);
  }

  private StoredUser byId(StatementCache sql, long userId, boolean forUpdate) throws SQLException {
    String lock = forUpdate ? dialect.lockForUpdate() : "";
    PreparedStatement statement =
        sql.prepare("SELECT " + userColumns + " FROM users u WHERE u.user_id = ?" + lock);
    statement.setLong(1, userId);
    // Found by another query of this transaction moments ago (an email's holders, a deprecated
    // external_id).
    return readOne(sql, statement)
        .orElseThrow(
            () ->
                new LostRace(
                    "user " + userId + " was merged or deleted before it could be locked"));
  }

  /**
   * The users that deprecated external_ids name (renamed users' old ids), by id: one query per
   * {@value #LOOKUP_CHUNK} ids. The ids are seldom deprecated ones; the users are read by the
   * caller.
   */
  Map<String, Long> deprecatedOwners(StatementCache sql, List<String> externalIds)
      throws SQLException {
    Map<String, Long> owners = new HashMap<>();
    for (int from = 0; from < externalIds.size(); from += LOOKUP_CHUNK) {
      List<String> chunk =
          externalIds.subList(from, Math.min(externalIds.size(), from + LOOKUP_CHUNK));
      PreparedStatement statement =
          sql.prepare(
              "SELECT external_id, user_id FROM deprecated_external_ids WHERE external_id IN ("
                  + PLACEHOLDERS
                  + ")");
      bindPadded(statement, chunk);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          owners.put(rows.getString(1), rows.getLong(2));
        }
      }
    }
    return owners;
  }

  /**
   * A user holding an email or phone, with what Braze's "most recently updated identified" rule
   * needs.
   */
  record ContactHolder(long userId, boolean identified, long updatedAtMillis) {}

  /** Every user whose email (or phone) is the lookup's. */
  List<ContactHolder> holders(StatementCache sql, UserLookup contact) throws SQLException {
    String column = contact instanceof UserLookup.Email ? "email" : "phone";
    PreparedStatement statement =
        sql.prepare(
            "SELECT u.user_id, u.external_id IS NOT NULL, u.updated_at FROM users u WHERE u."
                + column
                + " = ?");
    bindLookup(statement, contact);
    List<ContactHolder> holders = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        holders.add(new ContactHolder(rows.getLong(1), rows.getBoolean(2), rows.getLong(3)));
      }
    }
    return holders;
  }

  /** Inserts new users, their keys already taken, in one batch, then their aliases in another. */
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
    insertAliases(sql, aliases);
  }

  /** A user as read at the start of the transaction, and as it is to be written. */
  record Change(StoredUser before, UserProfile after) {}

  /**
   * Writes every changed user in one batch: one round trip to a database server, not one per user.
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
    for (Change change : changes) {
      if (!change.before().profile().aliases().equals(change.after().aliases())) {
        replaceAliases(sql, change.before().userId(), change.after().aliases());
      }
    }
  }

  /**
   * Every user whose external_id is one of {@code externalIds}, locked for update: one query per
   * {@value #LOOKUP_CHUNK} ids instead of one per id, and the rows locked in key order, so two
   * writers locking overlapping users seldom wait on each other in a cycle.
   */
  List<StoredUser> findByExternalIds(StatementCache sql, List<String> externalIds)
      throws SQLException {
    List<StoredUser> found = new ArrayList<>();
    for (int from = 0; from < externalIds.size(); from += LOOKUP_CHUNK) {
      List<String> chunk =
          externalIds.subList(from, Math.min(externalIds.size(), from + LOOKUP_CHUNK));
      PreparedStatement statement =
          sql.prepare(
              "SELECT "
                  + userColumns
                  + " FROM users u WHERE u.external_id IN ("
                  + PLACEHOLDERS
                  + ") ORDER BY u.user_id"
                  + dialect.lockForUpdate());
      bindPadded(statement, chunk);
      List<UndecodedUser> rows = readUsers(statement);
      if (!rows.isEmpty()) {
        PreparedStatement aliases =
            sql.prepare(
                "SELECT user_id, alias_name, alias_label FROM user_aliases WHERE user_id IN ("
                    + PLACEHOLDERS
                    + ") ORDER BY user_id, alias_label");
        bindPadded(aliases, rows.stream().map(UndecodedUser::userId).toList());
        addAliases(aliases, rows);
      }
      rows.forEach(user -> found.add(new StoredUser(user.userId(), user.decode())));
    }
    return found;
  }

  /**
   * Binds the values to the {@value #LOOKUP_CHUNK} placeholders, repeating the last one: one SQL
   * text for every list, so the statement is prepared once.
   */
  private static void bindPadded(PreparedStatement statement, List<?> values) throws SQLException {
    for (int i = 0; i < LOOKUP_CHUNK; i++) {
      statement.setObject(i + 1, values.get(Math.min(i, values.size() - 1)));
    }
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
    List<UndecodedUser> found = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        found.add(undecoded(rows));
      }
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

  private static void bindLookup(PreparedStatement statement, UserLookup lookup)
      throws SQLException {
    switch (lookup) {
      case UserLookup.ExternalId id -> statement.setString(1, id.value());
      case UserLookup.BrazeId id -> statement.setString(1, id.value());
      case UserLookup.Email email -> statement.setString(1, email.value());
      case UserLookup.Phone phone -> statement.setString(1, phone.value());
      case UserLookup.Alias alias -> {
        statement.setString(1, alias.alias().aliasLabel());
        statement.setString(2, alias.alias().aliasName());
      }
    }
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
