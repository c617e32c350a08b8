package dev.kiln.storage.jdbc;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.core.export.ExportFormat;
import dev.kiln.core.export.ExportJob;
import dev.kiln.core.export.ExportJobStore;
import dev.kiln.core.export.ExportSpec;
import java.net.URI;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Export jobs in {@code export_jobs}. Every change by a worker is conditional on {@code lease_owner
 * = worker}, so a worker whose lease another node took changes nothing.
 */
final class JdbcExportJobs implements ExportJobStore {
  private static final String COLUMNS =
      "object_prefix, segment_id, filter, requested_at, fields, custom_attributes, "
          + "output_format, callback_endpoint, state, files_written, users_written, last_member_key, error, finished_at, "
          + "callback_state, attempts";
  private static final String WRITING = "state IN ('queued', 'running')";
  // A job handed over by a worker of the same node: it finished it (succeeded or failed) and still
  // holds its lease. A cancelled job it holds is not handed over: it is still writing until it
  // notices.
  private static final String LEASE_FREE =
      "(lease_until IS NULL OR lease_until < ? "
          + "OR (lease_owner = ? AND state IN ('succeeded', 'failed')))";
  private static final String RELEASE_LEASE = "lease_owner = NULL, lease_until = NULL";

  /** A holder's change that only a job still being written may take (a cancelled one is not). */
  private static final String WHILE_RUNNING = " AND state = 'running'";

  private final DataSource reads;
  private final WritePool writes;
  private final JdbcDialect dialect;

  JdbcExportJobs(DataSource reads, WritePool writes, JdbcDialect dialect) {
    this.reads = reads;
    this.writes = writes;
    this.dialect = dialect;
  }

  @Override
  public void create(ExportJob job) {
    String sql =
        "INSERT INTO export_jobs ("
            + COLUMNS
            + ", lease_owner, lease_until) VALUES "
            + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)";
    try {
      writes.inTransaction(
          connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
              bindJob(statement, job);
              return statement.executeUpdate();
            }
          });
    } catch (SQLException e) {
      if (dialect.isUniqueViolation(e)) {
        throw new KilnException(
            ErrorCode.CONFLICT,
            "an export of segment '" + job.segmentId() + "' is already running");
      }
      throw StorageFailures.unavailable("record the export", e);
    }
  }

  @Override
  public Optional<ExportJob> find(String objectPrefix) {
    return SingleStatements.query(
            reads,
            "read the export",
            "SELECT " + COLUMNS + " FROM export_jobs WHERE object_prefix = ?",
            statement -> statement.setString(1, objectPrefix),
            JdbcExportJobs::toJob)
        .stream()
        .findFirst();
  }

  @Override
  public Optional<ExportJob> claim(
      Work work, String worker, String handingOver, Instant now, Instant leaseUntil) {
    String wanted =
        switch (work) {
          case FILES -> WRITING;
          case CALLBACK -> "NOT " + WRITING + " AND callback_state = 'pending'";
        };
    // A job backing off after a failed run is skipped until its time, and the jobs tried least come
    // first, so one failing job never holds up the others. Ended jobs have no retry time.
    String claimable = wanted + " AND (retry_at IS NULL OR retry_at <= ?) AND " + LEASE_FREE;
    String candidate =
        "SELECT object_prefix FROM export_jobs WHERE "
            + claimable
            + " ORDER BY attempts, requested_at LIMIT 1"
            + dialect.skipLockedRows();
    String take =
        "UPDATE export_jobs SET lease_owner = ?, lease_until = ?, "
            + "state = CASE WHEN state = 'queued' THEN 'running' ELSE state END "
            + "WHERE object_prefix = ? AND "
            + claimable;
    try {
      Optional<String> claimed =
          writes.inTransaction(
              connection -> {
                String prefix;
                try (PreparedStatement statement = connection.prepareStatement(candidate)) {
                  statement.setLong(1, now.toEpochMilli());
                  statement.setLong(2, now.toEpochMilli());
                  JdbcValues.setNullableString(statement, 3, handingOver);
                  try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                      return Optional.empty();
                    }
                    prefix = row.getString(1);
                  }
                }
                try (PreparedStatement statement = connection.prepareStatement(take)) {
                  statement.setString(1, worker);
                  statement.setLong(2, leaseUntil.toEpochMilli());
                  statement.setString(3, prefix);
                  statement.setLong(4, now.toEpochMilli());
                  statement.setLong(5, now.toEpochMilli());
                  JdbcValues.setNullableString(statement, 6, handingOver);
                  // The row is locked where the database has row locks; the conditions guard the
                  // others.
                  return statement.executeUpdate() == 1 ? Optional.of(prefix) : Optional.empty();
                }
              });
      return claimed.flatMap(this::find);
    } catch (SQLException e) {
      throw StorageFailures.unavailable("claim an export", e);
    }
  }

  @Override
  public boolean checkpoint(
      String objectPrefix, String worker, ExportJob.Progress progress, Instant leaseUntil) {
    return updateAsHolder(
        "record the export's progress",
        "files_written = ?, users_written = ?, last_member_key = ?, lease_until = ?",
        WHILE_RUNNING,
        objectPrefix,
        worker,
        statement -> {
          statement.setInt(1, progress.filesWritten());
          statement.setLong(2, progress.usersWritten());
          statement.setLong(3, progress.lastMemberKey());
          statement.setLong(4, leaseUntil.toEpochMilli());
        });
  }

  @Override
  public boolean finish(
      String objectPrefix,
      String worker,
      ExportJob.State outcome,
      String error,
      Instant finishedAt) {
    return updateAsHolder(
        "record the end of the export",
        "state = ?, error = ?, finished_at = ?, retry_at = NULL",
        WHILE_RUNNING,
        objectPrefix,
        worker,
        statement -> {
          statement.setString(1, outcome.jsonName());
          JdbcValues.setNullableString(statement, 2, error);
          statement.setLong(3, finishedAt.toEpochMilli());
        });
  }

  @Override
  public boolean callbackDone(String objectPrefix, String worker, ExportJob.CallbackState outcome) {
    return updateAsHolder(
        "record the export's callback",
        "callback_state = ?, " + RELEASE_LEASE,
        "",
        objectPrefix,
        worker,
        statement -> statement.setString(1, outcome.jsonName()));
  }

  @Override
  public boolean renew(String objectPrefix, String worker, Instant leaseUntil) {
    return updateAsHolder(
        "renew the export's lease",
        "lease_until = ?",
        "",
        objectPrefix,
        worker,
        statement -> statement.setLong(1, leaseUntil.toEpochMilli()));
  }

  @Override
  public boolean retryLater(String objectPrefix, String worker, String reason, Instant retryAt) {
    return updateAsHolder(
        "record a failed run of the export",
        "attempts = attempts + 1, error = ?, retry_at = ?, " + RELEASE_LEASE,
        WHILE_RUNNING,
        objectPrefix,
        worker,
        statement -> {
          statement.setString(1, reason);
          statement.setLong(2, retryAt.toEpochMilli());
        });
  }

  @Override
  public boolean cancel(String objectPrefix, String reason, Instant cancelledAt) {
    // The lease stays with its holder, which sees the state at its next checkpoint and deletes its
    // files.
    return SingleStatements.write(
            writes,
            "cancel the export",
            "UPDATE export_jobs SET state = 'cancelled', error = ?, finished_at = ?, retry_at = NULL "
                + "WHERE object_prefix = ? AND "
                + WRITING,
            statement -> {
              statement.setString(1, reason);
              statement.setLong(2, cancelledAt.toEpochMilli());
              statement.setString(3, objectPrefix);
            })
        == 1;
  }

  @Override
  public boolean release(String objectPrefix, String worker) {
    return updateAsHolder(
        "give back the export's lease", RELEASE_LEASE, "", objectPrefix, worker, statement -> {});
  }

  /**
   * A change only the job's lease holder may make: true when {@code worker} still held the lease
   * (and the job met {@code condition}), so the change was made. {@code assignments} takes its
   * values first ({@code values} binds them from 1); the job and its holder are bound after them.
   */
  private boolean updateAsHolder(
      String what,
      String assignments,
      String condition,
      String objectPrefix,
      String worker,
      SingleStatements.Binding values) {
    int jobIndex = (int) assignments.chars().filter(c -> c == '?').count() + 1;
    return SingleStatements.write(
            writes,
            what,
            "UPDATE export_jobs SET "
                + assignments
                + " WHERE object_prefix = ? AND lease_owner = ?"
                + condition,
            statement -> {
              values.bind(statement);
              statement.setString(jobIndex, objectPrefix);
              statement.setString(jobIndex + 1, worker);
            })
        == 1;
  }

  private static void bindJob(PreparedStatement statement, ExportJob job) throws SQLException {
    ExportSpec spec = job.spec();
    statement.setString(1, job.objectPrefix());
    statement.setString(2, job.segmentId());
    statement.setString(3, job.filterJson());
    statement.setLong(4, job.requestedAt().toEpochMilli());
    statement.setString(5, ProfileDocumentCodec.toJson(List.copyOf(spec.fields())));
    statement.setString(6, ProfileDocumentCodec.toJson(List.copyOf(spec.customAttributes())));
    statement.setString(7, spec.format().jsonName());
    JdbcValues.setNullableString(statement, 8, spec.callback().map(URI::toString).orElse(null));
    statement.setString(9, job.state().jsonName());
    statement.setInt(10, job.progress().filesWritten());
    statement.setLong(11, job.progress().usersWritten());
    statement.setLong(12, job.progress().lastMemberKey());
    JdbcValues.setNullableString(statement, 13, job.error());
    if (job.finishedAt() == null) {
      statement.setNull(14, Types.BIGINT);
    } else {
      statement.setLong(14, job.finishedAt().toEpochMilli());
    }
    statement.setString(15, job.callback().jsonName());
    statement.setInt(16, job.attempts());
  }

  private static ExportJob toJob(ResultSet row) throws SQLException {
    String callback = row.getString("callback_endpoint");
    ExportSpec spec =
        new ExportSpec(
            names(row.getString("fields")),
            names(row.getString("custom_attributes")),
            ExportFormat.valueOf(row.getString("output_format").toUpperCase(Locale.ROOT)),
            callback == null ? null : URI.create(callback));
    long finishedAt = row.getLong("finished_at");
    Instant finished = row.wasNull() ? null : Instant.ofEpochMilli(finishedAt);
    return new ExportJob(
        row.getString("object_prefix"),
        row.getString("segment_id"),
        row.getString("filter"),
        Instant.ofEpochMilli(row.getLong("requested_at")),
        spec,
        ExportJob.State.valueOf(row.getString("state").toUpperCase(Locale.ROOT)),
        new ExportJob.Progress(
            row.getInt("files_written"),
            row.getLong("users_written"),
            row.getLong("last_member_key")),
        row.getString("error"),
        finished,
        ExportJob.CallbackState.valueOf(row.getString("callback_state").toUpperCase(Locale.ROOT)),
        row.getInt("attempts"));
  }

  private static Set<String> names(String jsonArray) {
    Set<String> names = new LinkedHashSet<>();
    ProfileDocumentCodec.fromJsonArray(jsonArray).forEach(name -> names.add((String) name));
    return names;
  }
}
