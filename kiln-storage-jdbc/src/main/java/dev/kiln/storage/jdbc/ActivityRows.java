package dev.kiln.storage.jdbc;

import dev.kiln.core.profile.ActivityRecord;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** Appends raw custom events and purchases: one JDBC batch per table per transaction. */
final class ActivityRows {
  private static final String EVENT_COLUMNS = "name, time, app_id, properties";
  private static final String PURCHASE_COLUMNS =
      "product_id, currency, price, quantity, time, app_id, properties";

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
          events =
              events != null
                  ? events
                  : sql.prepare(
                      "INSERT INTO custom_events (user_id, "
                          + EVENT_COLUMNS
                          + ") VALUES (?, ?, ?, ?, "
                          + dialect.jsonParameter()
                          + ")");
          bindEvent(events, row.userId(), event);
        }
        case ActivityRecord.Purchase purchase -> {
          purchases =
              purchases != null
                  ? purchases
                  : sql.prepare(
                      "INSERT INTO purchases (user_id, "
                          + PURCHASE_COLUMNS
                          + ") VALUES (?, ?, ?, ?, ?, ?, ?, "
                          + dialect.jsonParameter()
                          + ")");
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

  /**
   * Gives every raw row of user {@code from} to user {@code to}. Copied and deleted rather than
   * updated in place: user_id is the distribution column on Citus, which cannot be updated.
   */
  void move(StatementCache sql, long from, long to) throws SQLException {
    for (String[] table :
        new String[][] {{"custom_events", EVENT_COLUMNS}, {"purchases", PURCHASE_COLUMNS}}) {
      PreparedStatement copy =
          sql.prepare(
              "INSERT INTO "
                  + table[0]
                  + " (user_id, "
                  + table[1]
                  + ") SELECT ?, "
                  + table[1]
                  + " FROM "
                  + table[0]
                  + " WHERE user_id = ?");
      copy.setLong(1, to);
      copy.setLong(2, from);
      copy.executeUpdate();
      PreparedStatement delete = sql.prepare("DELETE FROM " + table[0] + " WHERE user_id = ?");
      delete.setLong(1, from);
      delete.executeUpdate();
    }
  }

  private static void bindEvent(
      PreparedStatement statement, long userId, ActivityRecord.CustomEvent event)
      throws SQLException {
    statement.setLong(1, userId);
    statement.setString(2, event.name());
    statement.setLong(3, event.time().toEpochMilli());
    JdbcValues.setNullableString(statement, 4, event.appId());
    statement.setString(5, ProfileDocumentCodec.toJson(event.properties()));
    statement.addBatch();
  }

  private static void bindPurchase(
      PreparedStatement statement, long userId, ActivityRecord.Purchase purchase)
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
