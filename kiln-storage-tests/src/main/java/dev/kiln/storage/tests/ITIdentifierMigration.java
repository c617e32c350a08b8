package dev.kiln.storage.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.profile.ChangeResult;
import dev.kiln.core.profile.ProfileChange;
import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import dev.kiln.core.storage.ProfileStorage;
import dev.kiln.core.track.AttributesUpdate;
import dev.kiln.core.track.CustomAttributeOp;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The migration to identifier lookup tables on a populated database: built at the schema version
 * before it (Flyway's target), filled through that schema (users with external ids, deprecated ids,
 * aliases, shared emails and phones, events and purchases), then migrated by the storage as a
 * server starting on it does. Every identifier must name the same user afterwards, and no row may
 * be lost or changed.
 */
public abstract class ITIdentifierMigration {
  private static final int USERS = 60;

  /** A new, empty database: its JDBC URL, and a storage over it, not yet migrated. */
  public record Database(String url, Supplier<ProfileStorage> storage) {}

  protected abstract Database newDatabase();

  /** The backend's migration folder, for Flyway. */
  protected abstract String migrationLocation();

  /** The last schema version before the lookup tables. */
  protected abstract String previousVersion();

  /** The placeholder of a JSON document parameter of the backend (users.profile, properties). */
  protected abstract String documentParameter();

  /** users.profile read back as JSON text. */
  protected abstract String documentText();

  /** One user of the old database, as written there. */
  private record OldUser(
      long userId,
      String brazeId,
      String externalId,
      String email,
      String phone,
      List<UserAlias> aliases,
      String deprecatedId,
      int events,
      int purchases) {}

  private static List<OldUser> population() {
    List<OldUser> users = new ArrayList<>();
    for (int i = 1; i <= USERS; i++) {
      List<UserAlias> aliases = new ArrayList<>();
      if (i % 3 == 0) {
        aliases.add(new UserAlias("alias-" + i, "crm"));
      }
      if (i % 6 == 0) {
        aliases.add(new UserAlias("shop-" + i, "shop"));
      }
      String externalId = i % 4 == 0 ? null : "user-" + i;
      users.add(
          new OldUser(
              i,
              "braze-" + i,
              externalId,
              i % 3 == 0 ? null : "shared" + (i % 7) + "@example.com", // several users each
              i % 2 == 0 ? "+1555000" + (i % 5) : null,
              aliases,
              externalId != null && i % 5 == 0 ? "old-" + i : null,
              i % 4,
              i % 3));
    }
    return users;
  }

  @Test
  void everyIdentifierNamesTheSameUserAndNoRowIsLostAfterTheMigration() throws Exception {
    Database database = newDatabase();
    Flyway.configure()
        .dataSource(database.url(), null, null)
        .locations(migrationLocation())
        .target(previousVersion())
        .load()
        .migrate();
    List<OldUser> users = population();
    try (Connection db = DriverManager.getConnection(database.url())) {
      for (OldUser user : users) {
        insertOld(db, user);
      }
    }
    Map<String, Long> countsBefore = counts(database.url());
    List<List<Object>> usersBefore = userRows(database.url());

    ProfileStorage storage = database.storage().get();
    try {
      storage.migrate();

      for (OldUser user : users) {
        assertNames(storage, new UserLookup.BrazeId(user.brazeId()), user);
        if (user.externalId() != null) {
          assertNames(storage, new UserLookup.ExternalId(user.externalId()), user);
        }
        if (user.deprecatedId() != null) {
          assertNames(storage, new UserLookup.ExternalId(user.deprecatedId()), user);
        }
        for (UserAlias alias : user.aliases()) {
          assertNames(storage, new UserLookup.Alias(alias), user);
        }
        if (user.email() != null) {
          assertThat(storage.profileReader().find(new UserLookup.Email(user.email())))
              .get()
              .extracting(UserProfile::email)
              .isEqualTo(user.email());
        }
        if (user.phone() != null) {
          assertThat(storage.profileReader().find(new UserLookup.Phone(user.phone())))
              .get()
              .extracting(UserProfile::phone)
              .isEqualTo(user.phone());
        }
      }
      assertThat(userRows(database.url())).isEqualTo(usersBefore);
      Map<String, Long> countsAfter = counts(database.url());
      for (String table : List.of("users", "user_aliases", "custom_events", "purchases")) {
        assertThat(countsAfter.get(table)).as(table).isEqualTo(countsBefore.get(table));
      }
      assertThat(countsAfter)
          .containsEntry("user_external_ids", countsBefore.get("external_ids"))
          .containsEntry("user_braze_ids", countsBefore.get("users"))
          .containsEntry("user_alias_ids", countsBefore.get("user_aliases"))
          .containsEntry("user_emails", countsBefore.get("emails"))
          .containsEntry("user_phones", countsBefore.get("phones"));

      // The write path finds migrated users by their ids: an update, not a second user.
      ProfileChange change =
          new ProfileChange(
              new UserLookup.ExternalId("old-5"),
              true,
              new AttributesUpdate(
                  Map.of(), Map.of(), Map.of("migrated", new CustomAttributeOp.Set(true)), false));
      assertThat(storage.profileWriter().apply(List.of(change)))
          .containsExactly(ChangeResult.UPDATED);
      assertThat(counts(database.url()).get("users")).isEqualTo(countsBefore.get("users"));
    } finally {
      storage.close();
    }
  }

  private static void assertNames(ProfileStorage storage, UserLookup lookup, OldUser user) {
    Optional<UserProfile> found = storage.profileReader().find(lookup);
    assertThat(found)
        .as("%s", lookup)
        .get()
        .extracting(UserProfile::brazeId)
        .isEqualTo(user.brazeId());
    assertThat(found.get().aliases())
        .as("%s", lookup)
        .containsExactlyInAnyOrderElementsOf(user.aliases());
  }

  /** Writes a user through the old schema, as the previous version of Kiln left it. */
  private void insertOld(Connection db, OldUser user) throws SQLException {
    String attributes =
        "{"
            + (user.email() == null ? "" : "\"email\":\"" + user.email() + "\"")
            + (user.email() != null && user.phone() != null ? "," : "")
            + (user.phone() == null ? "" : "\"phone\":\"" + user.phone() + "\"")
            + "}";
    update(
        db,
        "INSERT INTO users (user_id, braze_id, external_id, email, phone, random_bucket, created_at, updated_at, profile)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
            + documentParameter()
            + ")",
        user.userId(),
        user.brazeId(),
        user.externalId(),
        user.email(),
        user.phone(),
        (int) (user.userId() % 10_000),
        1_600_000_000_000L,
        1_600_000_000_000L + user.userId(),
        "{\"attributes\":"
            + attributes
            + ",\"custom_attributes\":{\"n\":"
            + user.userId()
            + "},\"custom_events\":{},\"purchases\":{},\"total_revenue\":0}");
    for (UserAlias alias : user.aliases()) {
      update(
          db,
          "INSERT INTO user_aliases (alias_label, alias_name, user_id) VALUES (?, ?, ?)",
          alias.aliasLabel(),
          alias.aliasName(),
          user.userId());
    }
    if (user.deprecatedId() != null) {
      update(
          db,
          "INSERT INTO deprecated_external_ids (external_id, user_id) VALUES (?, ?)",
          user.deprecatedId(),
          user.userId());
    }
    for (int i = 0; i < user.events(); i++) {
      update(
          db,
          "INSERT INTO custom_events (user_id, name, time, app_id, properties) VALUES (?, ?, ?, NULL, "
              + documentParameter()
              + ")",
          user.userId(),
          "opened",
          1_600_000_000_000L + i,
          "{\"i\":" + i + "}");
    }
    for (int i = 0; i < user.purchases(); i++) {
      update(
          db,
          "INSERT INTO purchases (user_id, product_id, currency, price, quantity, time, app_id, properties)"
              + " VALUES (?, ?, 'USD', '9.99', 1, ?, NULL, "
              + documentParameter()
              + ")",
          user.userId(),
          "book",
          1_600_000_000_000L + i,
          "{}");
    }
  }

  /**
   * Row counts: the per-user tables, and before the migration how many lookup rows it must make.
   */
  private static Map<String, Long> counts(String url) throws SQLException {
    try (Connection db = DriverManager.getConnection(url)) {
      Map<String, String> queries = new LinkedHashMap<>();
      for (String table : List.of("users", "user_aliases", "custom_events", "purchases")) {
        queries.put(table, "SELECT COUNT(*) FROM " + table);
      }
      if (!tableExists(db, "user_external_ids")) {
        queries.put(
            "external_ids",
            "SELECT (SELECT COUNT(*) FROM users WHERE external_id IS NOT NULL)"
                + " + (SELECT COUNT(*) FROM deprecated_external_ids)");
        queries.put("emails", "SELECT COUNT(*) FROM users WHERE email IS NOT NULL");
        queries.put("phones", "SELECT COUNT(*) FROM users WHERE phone IS NOT NULL");
      } else {
        assertThat(tableExists(db, "deprecated_external_ids")).isFalse();
        for (String table :
            List.of(
                "user_external_ids",
                "user_braze_ids",
                "user_alias_ids",
                "user_emails",
                "user_phones")) {
          queries.put(table, "SELECT COUNT(*) FROM " + table);
        }
      }
      Map<String, Long> counts = new LinkedHashMap<>();
      for (Map.Entry<String, String> query : queries.entrySet()) {
        counts.put(query.getKey(), count(db, query.getValue()));
      }
      return counts;
    }
  }

  /** Every users row, its profile as JSON text, and its events and purchases, by user_id. */
  private List<List<Object>> userRows(String url) throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    try (Connection db = DriverManager.getConnection(url);
        PreparedStatement statement =
            db.prepareStatement(
                "SELECT u.user_id, u.braze_id, u.external_id, u.email, u.phone, u.random_bucket,"
                    + " u.created_at, u.updated_at, "
                    + documentText()
                    + ", (SELECT COUNT(*) FROM custom_events e WHERE e.user_id = u.user_id),"
                    + " (SELECT COUNT(*) FROM purchases p WHERE p.user_id = u.user_id)"
                    + " FROM users u ORDER BY u.user_id");
        ResultSet result = statement.executeQuery()) {
      while (result.next()) {
        List<Object> row = new ArrayList<>();
        for (int column = 1; column <= 11; column++) {
          row.add(String.valueOf(result.getObject(column)));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private static boolean tableExists(Connection db, String table) throws SQLException {
    return SchemaTables.of(db).stream().anyMatch(table::equalsIgnoreCase);
  }

  private static long count(Connection db, String query) throws SQLException {
    try (PreparedStatement statement = db.prepareStatement(query);
        ResultSet row = statement.executeQuery()) {
      row.next();
      return row.getLong(1);
    }
  }

  private static void update(Connection db, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = db.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      statement.executeUpdate();
    }
  }
}
