package dev.kiln.server.fuzz;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the store under the server, in SQL both backends run (kiln-storage-sqlite's migrations and
 * kiln-storage-postgres's V1 share their tables and columns): what a try wrote, found by keys above
 * the marks taken before it and by times at or after its start. Opening it adds indexes on the test
 * store's time and key columns so each of those lookups is a range scan, not a table scan; they
 * change no answer of the server.
 */
final class StoreProbe implements AutoCloseable {
  private static final List<String> PROBE_INDEXES = List.of(
      "CREATE INDEX IF NOT EXISTS fuzz_users_updated_at ON users (updated_at)",
      "CREATE INDEX IF NOT EXISTS fuzz_custom_events_id ON custom_events (event_id)",
      "CREATE INDEX IF NOT EXISTS fuzz_purchases_id ON purchases (purchase_id)",
      "CREATE INDEX IF NOT EXISTS fuzz_segments_updated_at ON segments (updated_at)",
      "CREATE INDEX IF NOT EXISTS fuzz_segments_archived_at ON segments (archived_at)",
      "CREATE INDEX IF NOT EXISTS fuzz_export_jobs_requested_at ON export_jobs (requested_at)");

  private final Connection db;

  private StoreProbe(Connection db) {
    this.db = db;
  }

  static StoreProbe open(String jdbcUrl) {
    try {
      Connection db = DriverManager.getConnection(jdbcUrl);
      try (Statement statement = db.createStatement()) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
          statement.execute("PRAGMA busy_timeout = 10000");
        }
        for (String index : PROBE_INDEXES) {
          statement.execute(index);
        }
      }
      return new StoreProbe(db);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open the store under the server", e);
    }
  }

  /** The largest keys of the tables that only grow, before a try. */
  record Marks(long user, long event, long purchase) {}

  record User(long id, String brazeId, String externalId, String email, String phone, List<String> aliasNames) {}

  record Activity(long userId, String name) {}

  /** What a try wrote: users created or changed, and raw events and purchases appended. */
  record UserChanges(Set<Long> newUserIds, List<User> touched, List<Activity> events, List<Activity> purchases) {
    boolean isEmpty() {
      return touched.isEmpty() && events.isEmpty() && purchases.isEmpty();
    }
  }

  record SegmentRow(String id, String name, Long archivedAt) {}

  record ExportJobRow(String objectPrefix, String segmentId) {}

  Marks marks() {
    return query("SELECT (SELECT COALESCE(MAX(user_id), 0) FROM users), (SELECT COALESCE(MAX(event_id), 0) FROM custom_events),"
        + " (SELECT COALESCE(MAX(purchase_id), 0) FROM purchases)", List.of(),
        row -> new Marks(row.getLong(1), row.getLong(2), row.getLong(3))).getFirst();
  }

  /** Users created after {@code marks} or written at or after {@code sinceMillis}, and activities appended since. */
  UserChanges userChangesSince(Marks marks, long sinceMillis) {
    String touchedUsers = "SELECT user_id FROM users WHERE updated_at >= ? OR user_id > ?";
    Map<Long, List<String>> aliases = query("SELECT user_id, alias_name FROM user_aliases WHERE user_id IN (" + touchedUsers + ")",
        List.of(sinceMillis, marks.user()), row -> Map.entry(row.getLong(1), row.getString(2))).stream()
        .collect(Collectors.groupingBy(Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
    List<User> touched = query("SELECT user_id, braze_id, external_id, email, phone FROM users WHERE updated_at >= ? OR user_id > ?",
        List.of(sinceMillis, marks.user()), row -> new User(row.getLong(1), row.getString(2), row.getString(3), row.getString(4),
            row.getString(5), aliases.getOrDefault(row.getLong(1), List.of())));
    Set<Long> created = touched.stream().map(User::id).filter(id -> id > marks.user()).collect(Collectors.toSet());
    List<Map.Entry<Boolean, Activity>> activities = query(
        "SELECT 1, user_id, name FROM custom_events WHERE event_id > ? UNION ALL SELECT 0, user_id, product_id FROM purchases WHERE purchase_id > ?",
        List.of(marks.event(), marks.purchase()), row -> Map.entry(row.getInt(1) == 1, new Activity(row.getLong(2), row.getString(3))));
    return new UserChanges(created, touched,
        activities.stream().filter(Map.Entry::getKey).map(Map.Entry::getValue).toList(),
        activities.stream().filter(a -> !a.getKey()).map(Map.Entry::getValue).toList());
  }

  /** Which of these external ids a user has. */
  Set<String> existingExternalIds(Collection<String> externalIds) {
    Set<String> found = new HashSet<>();
    for (String id : externalIds) {
      found.addAll(query("SELECT external_id FROM users WHERE external_id = ?", List.of(id), row -> row.getString(1)));
    }
    return found;
  }

  boolean aliasExists(String label, String name) {
    return !query("SELECT 1 FROM user_aliases WHERE alias_label = ? AND alias_name = ?", List.of(label, name), row -> 1).isEmpty();
  }

  /** Segments created, changed or archived at or after {@code sinceMillis}. */
  List<SegmentRow> segmentsTouchedSince(long sinceMillis) {
    return query("SELECT segment_id, name, archived_at FROM segments WHERE updated_at >= ? OR archived_at >= ?",
        List.of(sinceMillis, sinceMillis), row -> new SegmentRow(row.getString(1), row.getString(2), nullableLong(row, 3)));
  }

  List<ExportJobRow> exportJobsSince(long sinceMillis) {
    return query("SELECT object_prefix, segment_id FROM export_jobs WHERE requested_at >= ?", List.of(sinceMillis),
        row -> new ExportJobRow(row.getString(1), row.getString(2)));
  }

  /**
   * A segment for a try to delete, written straight to the store: an API call would cost as much as
   * the try. Stamped long ago, so it never counts as written by the try.
   */
  String insertSegment(String id, String name, String filter) {
    update("INSERT INTO segments (segment_id, name, description, tags, filter, created_at, updated_at, archived_at)"
        + " VALUES (?, ?, NULL, '[]', ?, 1, 1, NULL)", List.of(id, name, filter));
    return id;
  }

  /** Archives a segment if it is active, stamped long ago (clean-up after a try). */
  void archiveSegment(String id) {
    update("UPDATE segments SET archived_at = 1 WHERE segment_id = ? AND archived_at IS NULL", List.of(id));
  }

  private void update(String sql, List<Object> parameters) {
    try (PreparedStatement statement = db.prepareStatement(sql)) {
      for (int i = 0; i < parameters.size(); i++) {
        statement.setObject(i + 1, parameters.get(i));
      }
      statement.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("writing to the store failed: " + sql, e);
    }
  }

  @Override
  public void close() {
    try {
      db.close();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @FunctionalInterface
  private interface RowReader<T> {
    T read(ResultSet row) throws SQLException;
  }

  private <T> List<T> query(String sql, List<Object> parameters, RowReader<T> reader) {
    try (PreparedStatement statement = db.prepareStatement(sql)) {
      for (int i = 0; i < parameters.size(); i++) {
        statement.setObject(i + 1, parameters.get(i));
      }
      List<T> rows = new ArrayList<>();
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          rows.add(reader.read(result));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("probing the store failed: " + sql, e);
    }
  }

  private static Long nullableLong(ResultSet row, int column) throws SQLException {
    long value = row.getLong(column);
    return row.wasNull() ? null : value;
  }
}
