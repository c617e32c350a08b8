package dev.kiln.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.profile.ActivityRecord;
import dev.kiln.core.profile.ProfileChange;
import dev.kiln.core.profile.ProfileUpdate;
import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.track.ActivityUpdates;
import dev.kiln.core.track.AttributesUpdate;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On a database with the citus extension, Kiln's migration distributes its per-user tables by
 * user_id, colocated, and its identifier lookup tables by their identifier, and the rows Kiln
 * writes land on both workers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ITCitusLayout {
  private static final List<String> PER_USER_TABLES =
      List.of("users", "custom_events", "purchases", "user_aliases");
  private static final int USERS = 64; // over 32 shards on 2 workers: rows on each, surely

  private final CitusTestCluster cluster = CitusTestCluster.shared();
  private String url;
  private PostgresStorage storage;

  @BeforeAll
  void writeUsers() {
    url = cluster.newDatabase();
    storage = PostgresStorage.newBuilder(url).build();
    storage.migrate();
    storage
        .profileWriter()
        .apply(IntStream.range(0, USERS).mapToObj(ITCitusLayout::everyIdentifier).toList());
  }

  @AfterAll
  void close() {
    if (storage != null) {
      storage.close();
    }
  }

  /** A user with an external id, an alias, an email, a phone, an event and a purchase. */
  private static ProfileChange everyIdentifier(int index) {
    Instant time = Instant.parse("2026-12-01T00:00:00Z").plusSeconds(index);
    AttributesUpdate attributes =
        new AttributesUpdate(
            Map.of("email", "user" + index + "@example.com", "phone", "+1555010" + index),
            Map.of(),
            Map.of(),
            false);
    UserAlias alias = new UserAlias("alias-" + index, "label");
    List<ProfileUpdate> updates =
        List.of(
            attributes,
            (profile, now) -> profile.withAlias(alias),
            ActivityUpdates.event("opened", time),
            ActivityUpdates.purchase("shoe", time, 1, BigDecimal.TEN));
    ProfileUpdate all =
        (profile, now) -> {
          var next = profile;
          for (ProfileUpdate update : updates) {
            next = update.apply(next, now);
          }
          return next;
        };
    List<ActivityRecord> activities =
        List.of(
            new ActivityRecord.CustomEvent("opened", time, null, Map.of()),
            new ActivityRecord.Purchase("shoe", "USD", BigDecimal.TEN, 1, time, null, Map.of()));
    return new ProfileChange(
        new UserLookup.ExternalId("user-" + index), true, all, activities, null);
  }

  @Test
  void thePerUserTablesAreDistributedByUserIdAndColocated() throws SQLException {
    List<String> colocations = new ArrayList<>();
    for (String table : PER_USER_TABLES) {
      assertThat(distributionColumn(table)).as(table).isEqualTo("user_id");
      colocations.add(
          single(
              "SELECT colocationid::text FROM pg_dist_partition WHERE logicalrelid = ?::regclass",
              table,
              "distributed"));
    }
    assertThat(colocations)
        .as("colocation of %s", PER_USER_TABLES)
        .containsOnly(colocations.getFirst());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "user_external_ids",
        "user_braze_ids",
        "user_alias_ids",
        "user_emails",
        "user_phones"
      })
  void eachLookupTableIsDistributedByItsIdentifier(String table) throws SQLException {
    String primaryKey =
        single(
            "SELECT string_agg(a.attname, ',') FROM pg_index i JOIN pg_attribute a"
                + " ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)"
                + " WHERE i.indrelid = ?::regclass AND i.indisprimary",
            table,
            "with a primary key");
    assertThat(distributionColumn(table))
        .as("%s's distribution column, of its primary key (%s)", table, primaryKey)
        .isNotEqualTo("user_id")
        .isIn(List.of(primaryKey.split(",")));
  }

  @ParameterizedTest
  @FieldSource("dev.kiln.storage.postgres.CitusTestCluster#KILN_DISTRIBUTED_TABLES")
  void kilnsRowsAreOnBothWorkers(String table) throws SQLException {
    Map<String, Long> rowsByWorker = new TreeMap<>();
    try (Connection connection = DriverManager.getConnection(url);
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT s.nodename || ':' || s.nodeport, SUM(r.result::bigint)"
                    + " FROM run_command_on_shards(?::regclass, 'SELECT COUNT(*) FROM %s') r"
                    + " JOIN citus_shards s ON s.shardid = r.shardid GROUP BY 1")) {
      statement.setString(1, table);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          rowsByWorker.put(rows.getString(1), rows.getLong(2));
        }
      }
    }
    assertThat(rowsByWorker.keySet())
        .as("the nodes with shards of %s", table)
        .containsExactlyInAnyOrderElementsOf(cluster.workers());
    assertThat(rowsByWorker.values())
        .as("%s's rows per worker: %s", table, rowsByWorker)
        .allMatch(rows -> rows > 0);
  }

  /**
   * A database Kiln filled while its tables were plain tables on the coordinator (Kiln before it
   * distributed them, or the citus extension added later) is distributed by the next migrate with
   * every row: found through Kiln, on the workers, none left behind on the coordinator.
   */
  @Test
  void aDatabaseFilledBeforeItsTablesWereDistributedKeepsEveryRow() throws SQLException {
    String filled = cluster.newDatabase();
    Flyway.configure()
        .dataSource(filled, null, null)
        .locations("classpath:db/migration/postgres")
        .load()
        .migrate(); // the schema, not distributed: what Kiln left before CitusLayout
    try (PostgresStorage before = PostgresStorage.newBuilder(filled).build()) {
      before
          .profileWriter()
          .apply(IntStream.range(0, USERS).mapToObj(ITCitusLayout::everyIdentifier).toList());
    }
    assertThat(count(filled, "SELECT COUNT(*) FROM pg_dist_partition")).isZero();

    try (PostgresStorage after = PostgresStorage.newBuilder(filled).build()) {
      after.migrate();
      assertThat(count(filled, "SELECT COUNT(*) FROM pg_dist_partition"))
          .isEqualTo(CitusTestCluster.KILN_DISTRIBUTED_TABLES.size());
      for (String table : CitusTestCluster.KILN_DISTRIBUTED_TABLES) {
        // The coordinator's own table, under the distributed one: its heap, not a query, which
        // Citus would send to the shards.
        assertThat(count(filled, "SELECT pg_relation_size('" + table + "')"))
            .as("bytes of %s's rows left on the coordinator", table)
            .isZero();
      }
      assertThat(count(filled, "SELECT COUNT(*) FROM users")).isEqualTo(USERS);
      assertThat(count(filled, "SELECT COUNT(*) FROM custom_events")).isEqualTo(USERS);
      assertThat(count(filled, "SELECT COUNT(*) FROM user_emails")).isEqualTo(USERS);
      for (int index : new int[] {0, USERS / 2, USERS - 1}) {
        assertThat(after.profileReader().find(new UserLookup.ExternalId("user-" + index)))
            .as("user-%s through Kiln", index)
            .hasValueSatisfying(
                user -> assertThat(user.email()).isEqualTo("user" + index + "@example.com"));
      }
    }
  }

  private static long count(String url, String query) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url);
        PreparedStatement statement = connection.prepareStatement(query);
        ResultSet rows = statement.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** The table's distribution column; fails when the table is not a distributed one. */
  private String distributionColumn(String table) throws SQLException {
    return single(
        "SELECT column_to_column_name(logicalrelid, partkey) FROM pg_dist_partition"
            + " WHERE logicalrelid = ?::regclass AND partmethod = 'h'",
        table,
        "hash-distributed (pg_dist_partition)");
  }

  /** The one value the query finds for the table, which it must find. */
  private String single(String query, String table, String expected) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url);
        PreparedStatement statement = connection.prepareStatement(query)) {
      statement.setString(1, table);
      try (ResultSet rows = statement.executeQuery()) {
        assertThat(rows.next()).as("%s is %s", table, expected).isTrue();
        return rows.getString(1);
      }
    }
  }
}
