package dev.kiln.storage.jdbc;

import dev.kiln.core.profile.ActivityRecord;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** Appends raw custom events and purchases: one JDBC batch per table per transaction. */
final class ActivityRows {
  private final JdbcDialect dialect;

  ActivityRows(JdbcDialect dialect) {
    this.dialect = dialect;
  }

  /** A raw row waiting for the end of its transaction. */
  record Pending(long userId, ActivityRecord record) {}

  void append(StatementCache sql, List<Pending> pending) throws SQLException {
    PreparedStatement events = null;
    PreparedStatement purchases = null;
    for (Pending row : pending) {
      switch (row.record()) {
        case ActivityRecord.CustomEvent event -> {
          events = events != null ? events : sql.prepare(
              "INSERT INTO custom_events (user_id, name, time, app_id, properties) VALUES (?, ?, ?, ?, " + dialect.jsonParameter() + ")");
          bindEvent(events, row.userId(), event);
        }
        case ActivityRecord.Purchase purchase -> {
          purchases = purchases != null ? purchases : sql.prepare(
              "INSERT INTO purchases (user_id, product_id, currency, price, quantity, time, app_id, properties)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, " + dialect.jsonParameter() + ")");
          bindPurchase(purchases, row.userId(), purchase);
        }
      }
    }
    if (events != null) {
      events.executeBatch();
    }
    if (purchases != null) {
      purchases.executeBatch();
    }
  }

  private static void bindEvent(PreparedStatement statement, long userId, ActivityRecord.CustomEvent event) throws SQLException {
    statement.setLong(1, userId);
    statement.setString(2, event.name());
    statement.setLong(3, event.time().toEpochMilli());
    JdbcValues.setNullableString(statement, 4, event.appId());
    statement.setString(5, ProfileDocumentCodec.toJson(event.properties()));
    statement.addBatch();
  }

  private static void bindPurchase(PreparedStatement statement, long userId, ActivityRecord.Purchase purchase)
      throws SQLException {
    statement.setLong(1, userId);
    statement.setString(2, purchase.productId());
    statement.setString(3, purchase.currency());
    statement.setString(4, purchase.price().toPlainString());
    statement.setInt(5, purchase.quantity());
    statement.setLong(6, purchase.time().toEpochMilli());
    JdbcValues.setNullableString(statement, 7, purchase.appId());
    statement.setString(8, ProfileDocumentCodec.toJson(purchase.properties()));
    statement.addBatch();
  }
}
