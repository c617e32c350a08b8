package dev.kiln.server.fuzz;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads the store under the server, in SQL both backends run (kiln-storage-sqlite's migrations and
 * kiln-storage-postgres's share their tables and columns): what a try wrote, found by keys above
 * the marks taken before it and by times at or after its start. Opening it adds indexes on the test
 * store's time and key columns so each of those lookups is a range scan, not a table scan; they
 * change no answer of the server.
 */
public final class StoreProbe implements AutoCloseable {
  private static final List<String> PROBE_INDEXES =
      List.of(
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

  public static StoreProbe open(String jdbcUrl) {
    try {
      Connection db = DriverManager.getConnection(jdbcUrl);
      try (Statement statement = db.createStatement()) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
          statement.execute("PRAGMA busy_timeout = 10000");
          statement.execute(
              "PRAGMA synchronous = OFF"); // the probe's own commits (test set-up and clean-up)
          // skip the sync to disk
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

  record User(
      long id,
      String brazeId,
      String externalId,
      String email,
      String phone,
      List<String> aliasNames) {}

  record Activity(long userId, String name) {}

  /** What a try wrote: users created or changed, and raw events and purchases appended. */
  record UserChanges(
      Set<Long> newUserIds, List<User> touched, List<Activity> events, List<Activity> purchases) {
    boolean isEmpty() {
      return touched.isEmpty() && events.isEmpty() && purchases.isEmpty();
    }
  }

  record SegmentRow(String id, String name, Long archivedAt) {}

  record ExportJobRow(String objectPrefix, String segmentId) {}

  Marks marks() {
    return query(
            "SELECT (SELECT COALESCE(MAX(user_id), 0) FROM users), (SELECT COALESCE(MAX(event_id), 0) FROM custom_events),"
                + " (SELECT COALESCE(MAX(purchase_id), 0) FROM purchases)",
            List.of(),
            row -> new Marks(row.getLong(1), row.getLong(2), row.getLong(3)))
        .getFirst();
  }

  /**
   * Users created after {@code marks} or written at or after {@code sinceMillis}, and activities
   * appended since.
   */
  UserChanges userChangesSince(Marks marks, long sinceMillis) {
    String touchedUsers = "SELECT user_id FROM users WHERE updated_at >= ? OR user_id > ?";
    Map<Long, List<String>> aliases =
        query(
                "SELECT user_id, alias_name FROM user_aliases WHERE user_id IN ("
                    + touchedUsers
                    + ")",
                List.of(sinceMillis, marks.user()),
                row -> Map.entry(row.getLong(1), row.getString(2)))
            .stream()
            .collect(
                Collectors.groupingBy(
                    Map.Entry::getKey,
                    Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
    List<User> touched =
        query(
            "SELECT user_id, braze_id, external_id, email, phone FROM users WHERE updated_at >= ? OR user_id > ?",
            List.of(sinceMillis, marks.user()),
            row ->
                new User(
                    row.getLong(1),
                    row.getString(2),
                    row.getString(3),
                    row.getString(4),
                    row.getString(5),
                    aliases.getOrDefault(row.getLong(1), List.of())));
    Set<Long> created =
        touched.stream().map(User::id).filter(id -> id > marks.user()).collect(Collectors.toSet());
    List<Map.Entry<Boolean, Activity>> activities =
        query(
            "SELECT 1, user_id, name FROM custom_events WHERE event_id > ? UNION ALL SELECT 0, user_id, product_id FROM purchases WHERE purchase_id > ?",
            List.of(marks.event(), marks.purchase()),
            row -> Map.entry(row.getInt(1) == 1, new Activity(row.getLong(2), row.getString(3))));
    return new UserChanges(
        created,
        touched,
        activities.stream().filter(Map.Entry::getKey).map(Map.Entry::getValue).toList(),
        activities.stream().filter(a -> !a.getKey()).map(Map.Entry::getValue).toList());
  }

  /** Which of these external ids a user has. */
  Set<String> existingExternalIds(Collection<String> externalIds) {
    Set<String> found = new HashSet<>();
    for (String id : externalIds) {
      found.addAll(
          query(
              "SELECT external_id FROM users WHERE external_id = ?",
              List.of(id),
              row -> row.getString(1)));
    }
    return found;
  }

  boolean aliasExists(String label, String name) {
    return !query(
            "SELECT 1 FROM user_aliases WHERE alias_label = ? AND alias_name = ?",
            List.of(label, name),
            row -> 1)
        .isEmpty();
  }

  /** Segments created, changed or archived at or after {@code sinceMillis}. */
  List<SegmentRow> segmentsTouchedSince(long sinceMillis) {
    return query(
        "SELECT segment_id, name, archived_at FROM segments WHERE updated_at >= ? OR archived_at >= ?",
        List.of(sinceMillis, sinceMillis),
        row -> new SegmentRow(row.getString(1), row.getString(2), nullableLong(row, 3)));
  }

  List<ExportJobRow> exportJobsSince(long sinceMillis) {
    return query(
        "SELECT object_prefix, segment_id FROM export_jobs WHERE requested_at >= ?",
        List.of(sinceMillis),
        row -> new ExportJobRow(row.getString(1), row.getString(2)));
  }

  /**
   * A segment for a try to delete, written straight to the store: an API call would cost as much as
   * the try. Stamped long ago, so it never counts as written by the try.
   */
  String insertSegment(String id, String name, String filter) {
    update(
        "INSERT INTO segments (segment_id, name, description, tags, filter, created_at, updated_at, archived_at)"
            + " VALUES (?, ?, NULL, '[]', ?, 1, 1, NULL)",
        List.of(id, name, filter));
    return id;
  }

  /** Archives a segment if it is active, stamped long ago (clean-up after a try). */
  void archiveSegment(String id) {
    update(
        "UPDATE segments SET archived_at = 1 WHERE segment_id = ? AND archived_at IS NULL",
        List.of(id));
  }

  /** An alias, as a user holds it. */
  record Alias(String label, String name) implements Comparable<Alias> {
    private static final Comparator<Alias> ORDER =
        Comparator.comparing(Alias::label).thenComparing(Alias::name);

    @Override
    public int compareTo(Alias other) {
      return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
      return "(" + label + ", " + name + ")";
    }
  }

  /**
   * A user as the user management endpoints see it: its identifiers, update time, aliases,
   * deprecated external_ids and how many raw events and purchases it has.
   *
   * @param stored false for a user_id that rows of other tables name but no user has (rows that
   *     outlived their user)
   */
  record UserState(
      boolean stored,
      String brazeId,
      String externalId,
      String email,
      String phone,
      long updatedAt,
      Set<Alias> aliases,
      Set<String> deprecatedIds,
      long events,
      long purchases) {}

  /**
   * Every user of the store by user_id, in one read. For stores kept small: the user management
   * suites delete each try's users after it ({@link #deleteUsersAbove}).
   */
  Map<Long, UserState> userStates() {
    List<StateRow> rows =
        query(
            "SELECT 0, user_id, braze_id, external_id, email, phone, updated_at FROM users"
                + " UNION ALL SELECT 1, user_id, alias_label, alias_name, NULL, NULL, NULL FROM user_aliases"
                + " UNION ALL SELECT 2, user_id, external_id, NULL, NULL, NULL, NULL FROM user_external_ids WHERE deprecated"
                + " UNION ALL SELECT 3, user_id, NULL, NULL, NULL, NULL, COUNT(*) FROM custom_events GROUP BY user_id"
                + " UNION ALL SELECT 4, user_id, NULL, NULL, NULL, NULL, COUNT(*) FROM purchases GROUP BY user_id",
            List.of(),
            row ->
                new StateRow(
                    row.getInt(1),
                    row.getLong(2),
                    row.getString(3),
                    row.getString(4),
                    row.getString(5),
                    row.getString(6),
                    row.getLong(7)));
    Map<Long, List<StateRow>> byUser =
        rows.stream()
            .collect(Collectors.groupingBy(StateRow::userId, TreeMap::new, Collectors.toList()));
    Map<Long, UserState> states = new TreeMap<>();
    byUser.forEach((id, of) -> states.put(id, StateRow.state(of)));
    return states;
  }

  /**
   * A row of {@link #userStates}'s read: a user (kind 0), alias (1), deprecated id (2), event count
   * (3) or purchase count (4).
   */
  private record StateRow(
      int kind, long userId, String first, String second, String email, String phone, long number) {
    static UserState state(List<StateRow> rows) {
      StateRow user =
          rows.stream()
              .filter(row -> row.kind() == 0)
              .findFirst()
              .orElse(new StateRow(0, 0, null, null, null, null, 0));
      return new UserState(
          rows.stream().anyMatch(row -> row.kind() == 0),
          user.first(),
          user.second(),
          user.email(),
          user.phone(),
          user.number(),
          values(rows, 1, row -> new Alias(row.first(), row.second())),
          values(rows, 2, StateRow::first),
          count(rows, 3),
          count(rows, 4));
    }

    private static <T> Set<T> values(List<StateRow> rows, int kind, Function<StateRow, T> value) {
      return rows.stream()
          .filter(row -> row.kind() == kind)
          .map(value)
          .collect(Collectors.toCollection(TreeSet::new));
    }

    private static long count(List<StateRow> rows, int kind) {
      return rows.stream().filter(row -> row.kind() == kind).mapToLong(StateRow::number).sum();
    }
  }

  /**
   * Gives users a deprecated external_id each, written straight to the store as a rename would
   * leave them (the API makes them only by the endpoints under test).
   */
  void insertDeprecatedExternalIds(Map<Long, String> externalIds) {
    List<Object> parameters = new ArrayList<>();
    externalIds.forEach(
        (userId, externalId) -> {
          parameters.add(externalId);
          parameters.add(userId);
        });
    update(
        "INSERT INTO user_external_ids (external_id, user_id, deprecated) VALUES "
            + String.join(", ", Collections.nCopies(externalIds.size(), "(?, ?, true)")),
        parameters);
  }

  /**
   * Gives a user an alias, written straight to the store (only the endpoints under test add one to
   * an identified user).
   */
  void insertAlias(long userId, String label, String name) {
    // With its lookup row, as the store keeps it.
    for (String table : List.of("user_aliases", "user_alias_ids")) {
      update(
          "INSERT INTO " + table + " (alias_label, alias_name, user_id) VALUES (?, ?, ?)",
          List.of(label, name, userId));
    }
  }

  /**
   * Makes users look updated earlier, each by its number of milliseconds, so prioritization by
   * recency has a choice to make.
   */
  void backdate(Map<Long, Long> millisByUser) {
    List<Object> parameters = new ArrayList<>();
    StringBuilder cases = new StringBuilder();
    millisByUser.forEach(
        (userId, millis) -> {
          cases.append(" WHEN ? THEN ?");
          parameters.add(userId);
          parameters.add(millis);
        });
    parameters.addAll(millisByUser.keySet());
    update(
        "UPDATE users SET updated_at = updated_at - CASE user_id"
            + cases
            + " END WHERE user_id IN ("
            + String.join(", ", Collections.nCopies(millisByUser.size(), "?"))
            + ")",
        parameters);
  }

  /**
   * Deletes the users above {@code userId} with every row of theirs (clean-up after a try), in one
   * transaction.
   */
  void deleteUsersAbove(long userId) {
    inOneTransaction(
        () -> {
          for (String table :
              List.of(
                  "custom_events",
                  "purchases",
                  "user_aliases",
                  "user_external_ids",
                  "user_braze_ids",
                  "user_alias_ids",
                  "user_emails",
                  "user_phones",
                  "users")) {
            update("DELETE FROM " + table + " WHERE user_id > ?", List.of(userId));
          }
        });
  }

  /**
   * Runs the writes in one transaction: one commit, where each write on its own would be one (a
   * sync to disk each).
   */
  void inOneTransaction(Runnable writes) {
    try {
      db.setAutoCommit(false);
      try {
        writes.run();
        db.commit();
      } catch (RuntimeException e) {
        db.rollback();
        throw e;
      } finally {
        db.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("a transaction of the store probe failed", e);
    }
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
  public interface RowReader<T> {
    T read(ResultSet row) throws SQLException;
  }

  public <T> List<T> query(String sql, List<Object> parameters, RowReader<T> reader) {
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
