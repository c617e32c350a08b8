package dev.kiln.storage.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Kiln's tables on a Citus cluster (docs/scaling.md). When the database has the citus extension,
 * Kiln distributes its per-user tables itself, right after its migrations, in one transaction:
 * users and the tables of one user's rows (custom_events, purchases, user_aliases) by user_id in
 * one colocation group, so a user's writes stay on one worker and deletes cascade there; each
 * identifier lookup table by its identifier, colocated with each other, so a lookup is routed to
 * one shard. The small tables (api keys, segments, export jobs, rate-limit buckets) stay plain
 * tables on the coordinator: nothing joins them with per-user rows, and there they keep real {@code
 * SKIP LOCKED} and one-node commits (a reference table would lock whole and commit on every node).
 */
final class CitusLayout {
  /**
   * Every table Kiln distributes, in the order they must be: a colocation group's first table
   * before the others.
   */
  static final List<Distribution> DISTRIBUTED =
      List.of(
          new Distribution("users", "user_id", "none"),
          new Distribution("custom_events", "user_id", "users"),
          new Distribution("purchases", "user_id", "users"),
          new Distribution("user_aliases", "user_id", "users"),
          new Distribution("user_external_ids", "external_id", "none"),
          new Distribution("user_braze_ids", "braze_id", "user_external_ids"),
          new Distribution("user_alias_ids", "alias_name", "user_external_ids"),
          new Distribution("user_emails", "email", "user_external_ids"),
          new Distribution("user_phones", "phone", "user_external_ids"));

  /**
   * Taken for the transaction that distributes, so nodes starting together do it once: the others
   * wait, then find the tables distributed. An arbitrary constant, Kiln's own.
   */
  private static final long DISTRIBUTION_LOCK = 0x6b696c6e_63697475L;

  /** A table distributed by {@code column}, in the colocation group of {@code colocateWith}. */
  record Distribution(String table, String column, String colocateWith) {}

  private CitusLayout() {}

  /**
   * Distributes Kiln's tables if the database has the citus extension and they are not yet: all of
   * them or none, in one transaction. A database where only some are (distributed by hand) is
   * refused with the list, as Kiln cannot tell what else was changed.
   */
  static void distribute(DataSource database) throws SQLException {
    try (Connection connection = database.getConnection()) {
      if (!hasCitus(connection)) {
        return;
      }
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        lock(connection);
        List<String> done = distributedTables(connection);
        if (done.isEmpty()) {
          distributeAll(connection);
        } else if (done.size() != DISTRIBUTED.size()) {
          throw new SQLException(
              "only some of Kiln's tables are distributed ("
                  + String.join(", ", done)
                  + "): Kiln distributes all of "
                  + DISTRIBUTED.stream().map(Distribution::table).toList()
                  + " itself, in one step, on a database where none is");
        }
        connection.commit();
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    }
  }

  private static void distributeAll(Connection connection) throws SQLException {
    for (Distribution table : DISTRIBUTED) {
      try (PreparedStatement distribute =
          connection.prepareStatement(
              "SELECT create_distributed_table(?, ?, colocate_with => ?)")) {
        distribute.setString(1, table.table());
        distribute.setString(2, table.column());
        distribute.setString(3, table.colocateWith());
        distribute.execute();
      }
    }
    // The rows a table held before are now copied to its shards; the coordinator's copy goes.
    for (Distribution table : DISTRIBUTED) {
      try (PreparedStatement truncate =
          connection.prepareStatement("SELECT truncate_local_data_after_distributing_table(?)")) {
        truncate.setString(1, table.table());
        truncate.execute();
      }
    }
  }

  private static void lock(Connection connection) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
      lock.setLong(1, DISTRIBUTION_LOCK);
      lock.execute();
    }
  }

  private static boolean hasCitus(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet found =
            statement.executeQuery("SELECT 1 FROM pg_extension WHERE extname = 'citus'")) {
      return found.next();
    }
  }

  /**
   * Which of Kiln's distributed tables Citus knows as distributed, in {@link #DISTRIBUTED} order.
   */
  private static List<String> distributedTables(Connection connection) throws SQLException {
    List<String> distributed = new ArrayList<>();
    try (PreparedStatement known =
        connection.prepareStatement(
            "SELECT 1 FROM pg_dist_partition WHERE logicalrelid = to_regclass(?)")) {
      for (Distribution table : DISTRIBUTED) {
        known.setString(1, table.table());
        try (ResultSet found = known.executeQuery()) {
          if (found.next()) {
            distributed.add(table.table());
          }
        }
      }
    }
    return distributed;
  }

  /**
   * The layout in words, for {@code kiln doctor}: plain PostgreSQL, or Citus with its workers and
   * how far Kiln's tables are distributed.
   */
  static String describe(Connection connection) throws SQLException {
    if (!hasCitus(connection)) {
      return "plain PostgreSQL (no citus extension): every table on this one server";
    }
    String cluster =
        "Citus " + citusVersion(connection) + " with " + workers(connection) + " workers";
    List<String> distributed = distributedTables(connection);
    if (distributed.isEmpty()) {
      return cluster + "; Kiln's tables are not distributed yet (`kiln migrate` distributes them)";
    }
    if (distributed.size() < DISTRIBUTED.size()) {
      return cluster + "; only some of Kiln's tables are distributed: " + distributed;
    }
    return cluster
        + "; distributed by user_id, colocated: users, custom_events, purchases, user_aliases;"
        + " by their identifier: user_external_ids, user_braze_ids, user_alias_ids, user_emails,"
        + " user_phones; the other tables on the coordinator";
  }

  private static String citusVersion(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet version =
            statement.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'citus'")) {
      version.next();
      return version.getString(1);
    }
  }

  /** How many workers hold shards (the coordinator aside). */
  private static int workers(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet count =
            statement.executeQuery(
                "SELECT count(*) FROM pg_dist_node"
                    + " WHERE groupid <> 0 AND isactive AND noderole = 'primary'")) {
      count.next();
      return count.getInt(1);
    }
  }
}
