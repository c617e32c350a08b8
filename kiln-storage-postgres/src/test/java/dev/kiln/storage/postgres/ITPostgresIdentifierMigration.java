package dev.kiln.storage.postgres;

import dev.kiln.storage.tests.ITIdentifierMigration;

/** The identifier lookup tables' migration (V5) on a populated PostgreSQL database at V4. */
class ITPostgresIdentifierMigration extends ITIdentifierMigration {

  @Override
  protected Database newDatabase() {
    String url = PostgresTestServer.shared().newDatabase();
    return new Database(url, () -> PostgresStorage.newBuilder(url).build());
  }

  @Override
  protected String migrationLocation() {
    return new PostgresDialect().migrationLocation();
  }

  @Override
  protected String previousVersion() {
    return "4";
  }

  @Override
  protected String documentParameter() {
    return new PostgresDialect().documentParameter();
  }

  @Override
  protected String documentText() {
    return "u.profile::text";
  }
}
