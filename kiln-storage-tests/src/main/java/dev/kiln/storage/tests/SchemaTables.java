package dev.kiln.storage.tests;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one list of tables a harness empties ({@link StorageHarness#clear()}), on every backend:
 * every table of the migrated schema but Flyway's record of the migrations, read from the
 * database's own catalogue. A table a new migration adds is cleared without anyone listing it; the
 * lists once kept by hand differed, and SQLite's missed {@code segments}.
 */
public final class SchemaTables {
  /** Flyway's table of applied migrations: kept, so a cleared store is still a migrated one. */
  static final String MIGRATION_HISTORY = "flyway_schema_history";

  private SchemaTables() {}

  /** The tables of the connection's schema, by name, without Flyway's. */
  public static List<String> of(Connection connection) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (ResultSet rows =
        connection
            .getMetaData()
            .getTables(
                connection.getCatalog(), connection.getSchema(), "%", new String[] {"TABLE"})) {
      while (rows.next()) {
        String table = rows.getString("TABLE_NAME");
        if (!table.equalsIgnoreCase(MIGRATION_HISTORY)) {
          tables.add(table);
        }
      }
    }
    return tables;
  }
}
