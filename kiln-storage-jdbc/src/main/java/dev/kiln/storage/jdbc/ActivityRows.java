package dev.kiln.storage.jdbc;

import dev.kiln.core.profile.ActivityRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** Appends raw custom events and purchases, batched per statement. */
final class ActivityRows {
  private final JdbcDialect dialect;

  ActivityRows(JdbcDialect dialect) {
    this.dialect = dialect;
  }

  void append(Connection connection, long userId, List<ActivityRecord> records) throws SQLException {
    List<ActivityRecord.CustomEvent> events = records.stream()
        .filter(ActivityRecord.CustomEvent.class::isInstance).map(ActivityRecord.CustomEvent.class::cast).toList();
    List<ActivityRecord.Purchase> purchases = records.stream()
        .filter(ActivityRecord.Purchase.class::isInstance).map(ActivityRecord.Purchase.class::cast).toList();
    if (!events.isEmpty()) {
      appendEvents(connection, userId, events);
    }
    if (!purchases.isEmpty()) {
      appendPurchases(connection, userId, purchases);
    }
  }

  private void appendEvents(Connection connection, long userId, List<ActivityRecord.CustomEvent> events) throws SQLException {
    String sql = "INSERT INTO custom_events (user_id, name, time, app_id, properties) VALUES (?, ?, ?, ?, "
        + dialect.jsonParameter() + ")";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (ActivityRecord.CustomEvent event : events) {
        statement.setLong(1, userId);
        statement.setString(2, event.name());
        statement.setLong(3, event.time().toEpochMilli());
        JdbcValues.setNullableString(statement, 4, event.appId());
        statement.setString(5, ProfileDocumentCodec.toJson(event.properties()));
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  private void appendPurchases(Connection connection, long userId, List<ActivityRecord.Purchase> purchases) throws SQLException {
    String sql = "INSERT INTO purchases (user_id, product_id, currency, price, quantity, time, app_id, properties)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, " + dialect.jsonParameter() + ")";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (ActivityRecord.Purchase purchase : purchases) {
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
      statement.executeBatch();
    }
  }
}
