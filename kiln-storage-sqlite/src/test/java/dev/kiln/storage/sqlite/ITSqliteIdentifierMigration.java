package dev.kiln.storage.sqlite;

import dev.kiln.storage.tests.ITIdentifierMigration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The identifier lookup tables' migration (V9) on a populated SQLite file at V8. */
class ITSqliteIdentifierMigration extends ITIdentifierMigration {

  @Override
  protected Database newDatabase() {
    try {
      Path dir = Files.createTempDirectory("kiln-sqlite-migration-it");
      return new Database(
          "jdbc:sqlite:" + dir.resolve(SqliteStorage.DATABASE_FILE),
          () -> SqliteStorage.newBuilder(dir).build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected String migrationLocation() {
    return new SqliteDialect().migrationLocation();
  }

  @Override
  protected String previousVersion() {
    return "8";
  }

  @Override
  protected String documentParameter() {
    return new SqliteDialect().documentParameter();
  }

  @Override
  protected String documentText() {
    return new SqliteDialect().documentColumn("u.profile");
  }
}
