package dev.kiln.storage.jdbc;

import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The lookup tables: every identifier of a user but user_id, keyed by the identifier, naming the
 * user (docs/ARCHITECTURE.md, "Identity layout"). Their primary keys are what keep an external_id,
 * braze_id or alias to one user, a key a distributed database can enforce where it cannot enforce a
 * unique column of users. Nothing ties them to users (no foreign key, which Citus refuses between
 * tables distributed by different columns), so every write of a user's identifiers keeps its rows
 * exact here, in the same transaction, holding that user's row lock: a lookup row naming a user
 * changes only while that user is locked.
 */
final class IdentifierRows {
  /** One lookup table: its name, the columns of its key but user_id, and a profile's keys. */
  private record Table(
      String name, List<String> keyColumns, Function<UserProfile, List<List<String>>> keysOf) {

    String insert() {
      return "INSERT INTO "
          + name
          + " ("
          + String.join(", ", keyColumns)
          + ", user_id) VALUES ("
          + "?, ".repeat(keyColumns.size())
          + "?)";
    }

    String delete() {
      return "DELETE FROM "
          + name
          + " WHERE "
          + String.join(" = ? AND ", keyColumns)
          + " = ?"
          + " AND user_id = ?";
    }

    Set<List<String>> keys(UserProfile profile) {
      return new LinkedHashSet<>(keysOf.apply(profile));
    }
  }

  private static final List<Table> TABLES =
      List.of(
          new Table("user_external_ids", List.of("external_id"), p -> single(p.externalId())),
          new Table("user_braze_ids", List.of("braze_id"), p -> single(p.brazeId())),
          new Table(
              "user_alias_ids",
              List.of("alias_name", "alias_label"),
              p -> p.aliases().stream().map(IdentifierRows::aliasKey).toList()),
          new Table("user_emails", List.of("email"), p -> single(p.email())),
          new Table("user_phones", List.of("phone"), p -> single(p.phone())));

  private static List<List<String>> single(String identifier) {
    return identifier == null ? List.of() : List.of(List.of(identifier));
  }

  private static List<String> aliasKey(UserAlias alias) {
    return List.of(alias.aliasName(), alias.aliasLabel());
  }

  /**
   * The user an external_id (primary or deprecated), braze_id or alias names now, read without a
   * lock: the caller locks the user by user_id, then checks it still holds the identifier.
   */
  Optional<Long> owner(StatementCache sql, UserLookup lookup) throws SQLException {
    PreparedStatement statement =
        switch (lookup) {
          case UserLookup.ExternalId id ->
              bound(sql, "SELECT user_id FROM user_external_ids WHERE external_id = ?", id.value());
          case UserLookup.BrazeId id ->
              bound(sql, "SELECT user_id FROM user_braze_ids WHERE braze_id = ?", id.value());
          case UserLookup.Alias alias ->
              bound(
                  sql,
                  "SELECT user_id FROM user_alias_ids WHERE alias_name = ? AND alias_label = ?",
                  alias.alias().aliasName(),
                  alias.alias().aliasLabel());
          case UserLookup.Email ignored ->
              throw new IllegalArgumentException("emails name several users: see holders");
          case UserLookup.Phone ignored ->
              throw new IllegalArgumentException("phones name several users: see holders");
        };
    List<Long> owners = userIds(statement);
    return owners.isEmpty() ? Optional.empty() : Optional.of(owners.getFirst());
  }

  /**
   * The users that external_ids (primary or deprecated) name, by id, read without a lock: one query
   * per {@value PaddedIn#SIZE} ids. Ids that name nobody are missing from the answer.
   */
  Map<String, Long> externalIdOwners(StatementCache sql, List<String> externalIds)
      throws SQLException {
    Map<String, Long> owners = new HashMap<>();
    for (List<String> chunk : PaddedIn.chunks(externalIds)) {
      PreparedStatement statement =
          sql.prepare(
              "SELECT external_id, user_id FROM user_external_ids WHERE external_id IN ("
                  + PaddedIn.PLACEHOLDERS
                  + ")");
      PaddedIn.bind(statement, 1, chunk);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          owners.put(rows.getString(1), rows.getLong(2));
        }
      }
    }
    return owners;
  }

  /** Every user holding the email (or phone), read without a lock. */
  List<Long> contactHolders(StatementCache sql, UserLookup contact) throws SQLException {
    return userIds(
        switch (contact) {
          case UserLookup.Email email ->
              bound(sql, "SELECT user_id FROM user_emails WHERE email = ?", email.value());
          case UserLookup.Phone phone ->
              bound(sql, "SELECT user_id FROM user_phones WHERE phone = ?", phone.value());
          default -> throw new IllegalArgumentException("not an email or phone: " + contact);
        });
  }

  /**
   * The lookup rows of new users. The external_id's, braze_id's or an alias's primary key refusing
   * one is the sign that another node created the same user meanwhile: the transaction lost a race
   * and runs again ({@link RaceRetries}).
   */
  void insert(StatementCache sql, Map<Long, UserProfile> newUsers) throws SQLException {
    for (Table table : TABLES) {
      List<Row> rows = new ArrayList<>();
      newUsers.forEach(
          (userId, profile) -> table.keys(profile).forEach(key -> rows.add(new Row(userId, key))));
      execute(sql, table.insert(), rows);
    }
  }

  /** A user whose identifiers may have changed: its lookup rows follow, in one batch per table. */
  record Change(long userId, UserProfile before, UserProfile after) {}

  void update(StatementCache sql, List<Change> changes) throws SQLException {
    for (Table table : TABLES) {
      List<Row> gone = new ArrayList<>();
      List<Row> added = new ArrayList<>();
      for (Change change : changes) {
        Set<List<String>> before = table.keys(change.before());
        Set<List<String>> after = table.keys(change.after());
        before.stream()
            .filter(key -> !after.contains(key))
            .forEach(key -> gone.add(new Row(change.userId(), key)));
        after.stream()
            .filter(key -> !before.contains(key))
            .forEach(key -> added.add(new Row(change.userId(), key)));
      }
      // Deleted first: a key a user gives up and takes back in one change is one row again.
      execute(sql, table.delete(), gone);
      execute(sql, table.insert(), added);
    }
  }

  /** Every lookup row of a user about to be deleted, its deprecated external_ids included. */
  void delete(StatementCache sql, long userId, UserProfile profile) throws SQLException {
    for (Table table : TABLES) {
      execute(
          sql, table.delete(), table.keys(profile).stream().map(k -> new Row(userId, k)).toList());
    }
    // Deprecated ids are not in the profile: found by user_id (on Citus a query of every shard,
    // acceptable for a delete).
    PreparedStatement deprecated =
        bound(sql, "DELETE FROM user_external_ids WHERE user_id = ? AND deprecated", userId);
    deprecated.executeUpdate();
  }

  /** Keeps an external_id the user no longer holds as its primary one naming it. */
  void deprecate(StatementCache sql, String externalId, long userId) throws SQLException {
    bound(
            sql,
            "INSERT INTO user_external_ids (external_id, user_id, deprecated) VALUES (?, ?, true)",
            externalId,
            userId)
        .executeUpdate();
  }

  /** Lets a deprecated external_id go; a primary one stays. */
  void removeDeprecated(StatementCache sql, String externalId) throws SQLException {
    bound(sql, "DELETE FROM user_external_ids WHERE external_id = ? AND deprecated", externalId)
        .executeUpdate();
  }

  /** A lookup row: the user and the values of the table's key columns. */
  private record Row(long userId, List<String> key) {}

  private static void execute(StatementCache sql, String statementText, List<Row> rows)
      throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    PreparedStatement statement = sql.prepare(statementText);
    for (Row row : rows) {
      for (int i = 0; i < row.key().size(); i++) {
        statement.setString(i + 1, row.key().get(i));
      }
      statement.setLong(row.key().size() + 1, row.userId());
      statement.addBatch();
    }
    statement.executeBatch();
  }

  private static PreparedStatement bound(StatementCache sql, String text, Object... parameters)
      throws SQLException {
    PreparedStatement statement = sql.prepare(text);
    for (int i = 0; i < parameters.length; i++) {
      statement.setObject(i + 1, parameters[i]);
    }
    return statement;
  }

  private static List<Long> userIds(PreparedStatement statement) throws SQLException {
    List<Long> userIds = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        userIds.add(rows.getLong(1));
      }
    }
    return Collections.unmodifiableList(userIds);
  }
}
