package dev.kiln.storage.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** One statement in its own transaction, for the small tables (segments, export jobs). */
final class SingleStatements {
  private SingleStatements() {}

  @FunctionalInterface
  interface Binding {
    void bind(PreparedStatement statement) throws SQLException;
  }

  @FunctionalInterface
  interface RowReader<T> {
    T read(ResultSet row) throws SQLException;
  }

  /** Runs an INSERT, UPDATE or DELETE; answers the rows it changed. */
  static int write(WritePool writes, String what, String sql, Binding binding) {
    try {
      return writes.inTransaction(
          connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
              binding.bind(statement);
              return statement.executeUpdate();
            }
          });
    } catch (SQLException e) {
      throw StorageFailures.unavailable(what, e);
    }
  }

  static <T> List<T> query(
      DataSource reads, String what, String sql, Binding binding, RowReader<T> reader) {
    try {
      return Transactions.readOnly(
          reads,
          connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
              binding.bind(statement);
              List<T> found = new ArrayList<>();
              try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                  found.add(reader.read(rows));
                }
              }
              return found;
            }
          });
    } catch (SQLException e) {
      throw StorageFailures.unavailable(what, e);
    }
  }
}
