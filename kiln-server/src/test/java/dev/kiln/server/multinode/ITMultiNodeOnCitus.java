package dev.kiln.server.multinode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.server.testing.CitusPlacements;
import dev.kiln.storage.postgres.CitusTestCluster;
import org.junit.jupiter.api.AfterAll;

/**
 * {@link ITMultiNode}'s three nodes on the coordinator of a Citus cluster (a coordinator and two
 * workers). After the tests, Kiln's per-user and lookup tables are distributed and the users the
 * tests wrote are on both workers: the nodes worked on a distributed database, not on tables left
 * on the coordinator. It counts the users of the whole class: a run of one test that writes a
 * single user (-Dit.test=ITMultiNodeOnCitus#...) leaves them on one worker and fails it.
 */
class ITMultiNodeOnCitus extends ITMultiNode {
  private String databaseUrl;

  @Override
  protected String newDatabase() {
    databaseUrl = CitusTestCluster.shared().newDatabase();
    return databaseUrl;
  }

  /** Runs before ITMultiNode's own {@code @AfterAll} (JUnit runs a subclass's first). */
  @AfterAll
  void tablesWereDistributedAndUsersAreOnBothWorkers() {
    CitusPlacements placements = new CitusPlacements(databaseUrl);
    assertThat(placements.distributedTables())
        .as("tables distributed by Kiln (pg_dist_partition)")
        .containsAll(CitusTestCluster.KILN_DISTRIBUTED_TABLES);
    assertThat(placements.usersPerWorker())
        .as("users rows per worker after the run")
        .hasSize(2)
        .allSatisfy((worker, users) -> assertThat(users).as("users on %s", worker).isPositive());
  }
}
