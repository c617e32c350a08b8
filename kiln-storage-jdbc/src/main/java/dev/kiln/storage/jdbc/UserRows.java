package dev.kiln.storage.jdbc;

import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL for one user: find by any identifier, insert, update. Rows live in {@code users} (one per
 * user, attributes in a JSON document) and {@code user_aliases}; {@code user_id} is internal and
 * never leaves the store.
 */
final class UserRows {
  private static final String USER_COLUMNS =
      "u.user_id, u.braze_id, u.external_id, u.random_bucket, u.created_at, u.updated_at, u.profile";
  // Braze: an email or phone shared by several users resolves to the most recently updated
  // identified user, else to the most recently updated one.
  private static final String NEWEST_IDENTIFIED_FIRST =
      " ORDER BY CASE WHEN u.external_id IS NULL THEN 1 ELSE 0 END, u.updated_at DESC, u.user_id DESC LIMIT 1";

  private final JdbcDialect dialect;

  UserRows(JdbcDialect dialect) {
    this.dialect = dialect;
  }

  /** A profile and the internal key of its row. */
  record StoredUser(long userId, UserProfile profile) {}

  Optional<StoredUser> find(Connection connection, UserLookup lookup, boolean forUpdate) throws SQLException {
    String lock = forUpdate ? dialect.lockForUpdate() : "";
    String sql = switch (lookup) {
      case UserLookup.ExternalId ignored -> "SELECT " + USER_COLUMNS + " FROM users u WHERE u.external_id = ?" + lock;
      case UserLookup.BrazeId ignored -> "SELECT " + USER_COLUMNS + " FROM users u WHERE u.braze_id = ?" + lock;
      case UserLookup.Alias ignored -> "SELECT " + USER_COLUMNS
          + " FROM user_aliases a JOIN users u ON u.user_id = a.user_id WHERE a.alias_label = ? AND a.alias_name = ?" + lock;
      case UserLookup.Email ignored -> "SELECT " + USER_COLUMNS + " FROM users u WHERE u.email = ?" + NEWEST_IDENTIFIED_FIRST + lock;
      case UserLookup.Phone ignored -> "SELECT " + USER_COLUMNS + " FROM users u WHERE u.phone = ?" + NEWEST_IDENTIFIED_FIRST + lock;
    };
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      bindLookup(statement, lookup);
      try (ResultSet row = statement.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        long userId = row.getLong("user_id");
        return Optional.of(new StoredUser(userId, toProfile(row, aliasesOf(connection, userId))));
      }
    }
  }

  long insert(Connection connection, UserProfile profile) throws SQLException {
    String sql = "INSERT INTO users (braze_id, external_id, email, phone, random_bucket, created_at, updated_at, profile)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, " + dialect.jsonParameter() + ")";
    try (PreparedStatement statement = connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
      statement.setString(1, profile.brazeId());
      JdbcValues.setNullableString(statement, 2, profile.externalId());
      JdbcValues.setNullableString(statement, 3, profile.email());
      JdbcValues.setNullableString(statement, 4, profile.phone());
      statement.setInt(5, profile.randomBucket());
      statement.setLong(6, profile.createdAt().toEpochMilli());
      statement.setLong(7, profile.updatedAt().toEpochMilli());
      statement.setString(8, encodeDocument(profile));
      statement.executeUpdate();
      try (ResultSet keys = statement.getGeneratedKeys()) {
        keys.next();
        long userId = keys.getLong(1);
        insertAliases(connection, userId, profile.aliases());
        return userId;
      }
    }
  }

  void update(Connection connection, StoredUser before, UserProfile after) throws SQLException {
    String sql = "UPDATE users SET external_id = ?, email = ?, phone = ?, updated_at = ?, profile = "
        + dialect.jsonParameter() + " WHERE user_id = ?";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      JdbcValues.setNullableString(statement, 1, after.externalId());
      JdbcValues.setNullableString(statement, 2, after.email());
      JdbcValues.setNullableString(statement, 3, after.phone());
      statement.setLong(4, after.updatedAt().toEpochMilli());
      statement.setString(5, encodeDocument(after));
      statement.setLong(6, before.userId());
      statement.executeUpdate();
    }
    if (!before.profile().aliases().equals(after.aliases())) {
      replaceAliases(connection, before.userId(), after.aliases());
    }
  }

  private static void bindLookup(PreparedStatement statement, UserLookup lookup) throws SQLException {
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

  private static List<UserAlias> aliasesOf(Connection connection, long userId) throws SQLException {
    String sql = "SELECT alias_name, alias_label FROM user_aliases WHERE user_id = ? ORDER BY alias_label";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setLong(1, userId);
      try (ResultSet rows = statement.executeQuery()) {
        List<UserAlias> aliases = new ArrayList<>();
        while (rows.next()) {
          aliases.add(new UserAlias(rows.getString(1), rows.getString(2)));
        }
        return aliases;
      }
    }
  }

  private static void replaceAliases(Connection connection, long userId, List<UserAlias> aliases) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("DELETE FROM user_aliases WHERE user_id = ?")) {
      statement.setLong(1, userId);
      statement.executeUpdate();
    }
    insertAliases(connection, userId, aliases);
  }

  private static void insertAliases(Connection connection, long userId, List<UserAlias> aliases) throws SQLException {
    if (aliases.isEmpty()) {
      return;
    }
    String sql = "INSERT INTO user_aliases (alias_label, alias_name, user_id) VALUES (?, ?, ?)";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (UserAlias alias : aliases) {
        statement.setString(1, alias.aliasLabel());
        statement.setString(2, alias.aliasName());
        statement.setLong(3, userId);
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  /** Every user other than {@code userId} whose email is {@code email}, locked for update. */
  List<StoredUser> othersWithEmail(Connection connection, String email, long userId) throws SQLException {
    String sql = "SELECT " + USER_COLUMNS + " FROM users u WHERE u.email = ? AND u.user_id <> ? ORDER BY u.user_id" + dialect.lockForUpdate();
    List<StoredUser> users = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, email);
      statement.setLong(2, userId);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          long otherId = rows.getLong("user_id");
          users.add(new StoredUser(otherId, toProfile(rows, aliasesOf(connection, otherId))));
        }
      }
    }
    return users;
  }

  private static UserProfile toProfile(ResultSet row, List<UserAlias> aliases) throws SQLException {
    ProfileDocumentCodec.Document document = ProfileDocumentCodec.decode(row.getString("profile"));
    return new UserProfile(
        row.getString("braze_id"),
        row.getString("external_id"),
        aliases,
        row.getInt("random_bucket"),
        Instant.ofEpochMilli(row.getLong("created_at")),
        Instant.ofEpochMilli(row.getLong("updated_at")),
        document.attributes(),
        document.customAttributes(),
        document.customEvents(),
        document.purchases(),
        document.totalRevenue());
  }

  private static String encodeDocument(UserProfile profile) {
    return ProfileDocumentCodec.encode(profile);
  }
}
