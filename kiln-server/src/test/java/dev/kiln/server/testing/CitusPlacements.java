package dev.kiln.server.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where Kiln's rows live on a Citus cluster, read from its coordinator's metadata ({@code
 * pg_dist_partition}, {@code citus_shards}, {@code get_shard_id_for_distribution_column}). A worker
 * is named {@code host:port}, as the coordinator registered it.
 */
public final class CitusPlacements {
  private static final Set<String> TRANSFER_MODES = Set.of("block_writes", "force_logical", "auto");

  private final String coordinatorUrl;

  public CitusPlacements(String coordinatorUrl) {
    this.coordinatorUrl = coordinatorUrl;
  }

  public Set<String> distributedTables() {
    return new TreeSet<>(strings("SELECT logicalrelid::regclass::text FROM pg_dist_partition"));
  }

  /** How many users rows each worker holds. */
  public Map<String, Long> usersPerWorker() {
    Map<Long, String> workerOfShard = new TreeMap<>();
    query(
        "SELECT shardid, nodename || ':' || nodeport FROM citus_shards"
            + " WHERE table_name = 'users'::regclass",
        List.of(),
        row -> workerOfShard.put(row.getLong(1), row.getString(2)));
    Map<String, Long> users = new TreeMap<>();
    query(
        "SELECT get_shard_id_for_distribution_column('users', user_id), count(*) FROM users"
            + " GROUP BY 1",
        List.of(),
        row -> users.merge(workerOfShard.get(row.getLong(1)), row.getLong(2), Long::sum));
    return users;
  }

  /** The users shard that holds the user of this external_id. */
  public long usersShardOf(String externalId) {
    List<String> shards =
        strings(
            "SELECT get_shard_id_for_distribution_column('users', user_id)::text"
                + " FROM user_external_ids WHERE external_id = ?",
            externalId);
    if (shards.size() != 1) {
      throw new AssertionError("no single user holds external_id " + externalId + ": " + shards);
    }
    return Long.parseLong(shards.getFirst());
  }

  /** The workers that hold a shard: one placement each (Kiln's tables have no replicas). */
  public Set<String> workersOfShard(long shard) {
    return new TreeSet<>(
        strings(
            "SELECT nodename || ':' || nodeport FROM citus_shards WHERE shardid = ?::bigint",
            Long.toString(shard)));
  }

  /**
   * The workers a track of this existing user writes to: those of its users row (with its colocated
   * events) and of its external_id lookup row.
   */
  public Set<String> workersOfUser(String externalId) {
    Set<String> workers = new TreeSet<>(workersOfShard(usersShardOf(externalId)));
    workers.addAll(
        strings(
            "SELECT nodename || ':' || nodeport FROM citus_shards WHERE shardid ="
                + " get_shard_id_for_distribution_column('user_external_ids', ?::text)",
            externalId));
    return workers;
  }

  /**
   * Moves a shard with its colocated shards from one worker to another ({@code
   * citus_move_shard_placement}, as the tables' owner); returns when the move is done.
   */
  public void moveShard(long shard, String from, String to, String transferMode) {
    if (!TRANSFER_MODES.contains(transferMode)) {
      throw new IllegalArgumentException("no shard_transfer_mode " + transferMode);
    }
    String[] source = from.split(":");
    String[] target = to.split(":");
    // The mode is written as a literal: a parameter would need a cast to citus's enum type, and
    // Kiln's role may not use the citus schema.
    strings(
        "SELECT citus_move_shard_placement(?::bigint, ?, ?::int, ?, ?::int,"
            + " shard_transfer_mode => '"
            + transferMode
            + "')::text",
        Long.toString(shard),
        source[0],
        source[1],
        target[0],
        target[1]);
  }

  /** Runs a statement on the coordinator, as Kiln's user. */
  public List<String> strings(String sql, String... parameters) {
    List<String> values = new ArrayList<>();
    query(sql, List.of(parameters), row -> values.add(row.getString(1)));
    return values;
  }

  private interface RowReader {
    void read(ResultSet row) throws SQLException;
  }

  private void query(String sql, List<String> parameters, RowReader reader) {
    try (Connection connection = DriverManager.getConnection(coordinatorUrl);
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.size(); i++) {
        statement.setString(i + 1, parameters.get(i));
      }
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          reader.read(rows);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          sql + " failed on the Citus coordinator: " + e.getMessage(), e);
    }
  }
}
