package dev.kiln.storage.postgres;

/**
 * Runs the shared storage contract suite (every suite of {@link ITPostgresStorage}) against a real
 * Citus cluster, a coordinator and two workers: each suite's store is a database of its own on
 * {@link CitusTestCluster}, which Kiln's migration lays out for Citus.
 */
class ITCitusStorage extends ITPostgresStorage {

  @Override
  String newDatabase() {
    return CitusTestCluster.shared().newDatabase();
  }

  /**
   * Waits on every node: on a distributed table a row lock is taken, and waited for, on the worker
   * holding the row's shard, where the coordinator's own session waits on the worker's answer.
   */
  @Override
  String waitingLocksQuery() {
    return "SELECT COUNT(*) FROM citus_stat_activity WHERE datname = current_database()"
        + " AND wait_event_type = 'Lock'";
  }
}
