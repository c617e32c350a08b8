package dev.kiln.storage.jdbc;

import dev.kiln.segment.SegmentDefinition;
import dev.kiln.segment.SegmentDefinitions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Segment definitions in the {@code segments} table; tags are a JSON array of strings. Tags and the
 * filter are kept as the text they were given (never queried inside), so details show them as sent.
 */
final class JdbcSegmentDefinitions implements SegmentDefinitions {
  private static final String COLUMNS =
      "segment_id, name, description, tags, filter, created_at, updated_at, archived_at";

  private final DataSource reads;
  private final WritePool writes;
  private final JdbcDialect dialect;

  JdbcSegmentDefinitions(DataSource reads, WritePool writes, JdbcDialect dialect) {
    this.reads = reads;
    this.writes = writes;
    this.dialect = dialect;
  }

  @Override
  public void create(SegmentDefinition segment) {
    String sql = "INSERT INTO segments (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    write(
        "create the segment",
        sql,
        statement -> {
          statement.setString(1, segment.id());
          bindContent(statement, 2, segment);
          statement.setLong(6, segment.createdAt().toEpochMilli());
          statement.setLong(7, segment.updatedAt().toEpochMilli());
          statement.setNull(8, Types.BIGINT);
        });
  }

  @Override
  public boolean update(SegmentDefinition segment) {
    String sql =
        "UPDATE segments SET name = ?, description = ?, tags = ?, filter = ?, updated_at = ? "
            + "WHERE segment_id = ? AND archived_at IS NULL";
    return write(
            "update the segment",
            sql,
            statement -> {
              bindContent(statement, 1, segment);
              statement.setLong(5, segment.updatedAt().toEpochMilli());
              statement.setString(6, segment.id());
            })
        > 0;
  }

  @Override
  public boolean archive(String segmentId, Instant at) {
    return write(
            "archive the segment",
            "UPDATE segments SET archived_at = ? WHERE segment_id = ? AND archived_at IS NULL",
            statement -> {
              statement.setLong(1, at.toEpochMilli());
              statement.setString(2, segmentId);
            })
        > 0;
  }

  @Override
  public Optional<SegmentDefinition> find(String segmentId) {
    return query(
            "SELECT " + COLUMNS + " FROM segments WHERE segment_id = ?",
            statement -> statement.setString(1, segmentId))
        .stream()
        .findFirst();
  }

  @Override
  public Optional<SegmentDefinition> findActiveByName(String name) {
    return query(
            "SELECT "
                + COLUMNS
                + " FROM segments WHERE name = ? AND archived_at IS NULL ORDER BY created_at LIMIT 1",
            statement -> statement.setString(1, name))
        .stream()
        .findFirst();
  }

  @Override
  public List<SegmentDefinition> listActive(boolean newestFirst, long offset, int limit) {
    String insertion = dialect.segmentInsertionOrder();
    String order =
        newestFirst ? "created_at DESC, " + insertion + " DESC" : "created_at, " + insertion;
    return query(
        "SELECT "
            + COLUMNS
            + " FROM segments WHERE archived_at IS NULL ORDER BY "
            + order
            + " LIMIT ? OFFSET ?",
        statement -> {
          statement.setInt(1, limit);
          statement.setLong(2, offset);
        });
  }

  private int write(String what, String sql, SingleStatements.Binding binding) {
    return SingleStatements.write(writes, what, sql, binding);
  }

  private List<SegmentDefinition> query(String sql, SingleStatements.Binding binding) {
    return SingleStatements.query(
        reads, "read segments", sql, binding, JdbcSegmentDefinitions::toDefinition);
  }

  private static void bindContent(PreparedStatement statement, int first, SegmentDefinition segment)
      throws SQLException {
    statement.setString(first, segment.name());
    JdbcValues.setNullableString(statement, first + 1, segment.description());
    statement.setString(first + 2, ProfileDocumentCodec.toJson(segment.tags()));
    statement.setString(first + 3, segment.filterJson());
  }

  @SuppressWarnings("unchecked")
  private static SegmentDefinition toDefinition(ResultSet row) throws SQLException {
    long archivedAt = row.getLong("archived_at");
    boolean archived = !row.wasNull();
    return new SegmentDefinition(
        row.getString("segment_id"),
        row.getString("name"),
        row.getString("description"),
        (List<String>) (List<?>) ProfileDocumentCodec.fromJsonArray(row.getString("tags")),
        row.getString("filter"),
        Instant.ofEpochMilli(row.getLong("created_at")),
        Instant.ofEpochMilli(row.getLong("updated_at")),
        archived ? Instant.ofEpochMilli(archivedAt) : null);
  }
}
