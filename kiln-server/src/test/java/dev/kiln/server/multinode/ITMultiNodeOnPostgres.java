package dev.kiln.server.multinode;

import dev.kiln.storage.postgres.PostgresTestServer;

/** {@link ITMultiNode}'s three nodes on one plain PostgreSQL database. */
class ITMultiNodeOnPostgres extends ITMultiNode {
  @Override
  protected String newDatabase() {
    return PostgresTestServer.shared().newDatabase();
  }
}
