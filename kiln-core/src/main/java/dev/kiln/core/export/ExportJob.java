package dev.kiln.core.export;

import java.time.Instant;
import java.util.Objects;

/**
 * A segment export, as stored. It survives restarts: whichever node holds its lease resumes it from
 * its last checkpoint, so an export interrupted by a crash is finished and its callback sent.
 *
 * @param objectPrefix Braze's {@code object_prefix}, {@code <uuid>-<unix seconds>}; the job's key
 * @param segmentId the exported segment
 * @param filterJson the segment's filter as it was when the export was requested
 * @param requestedAt when it was requested; relative dates of the filter are evaluated at this time
 * @param spec what to write
 * @param state where the export is
 * @param progress what has been written so far
 * @param error why the export failed or was cancelled, or why its last run failed while it is
 *     retried; null otherwise
 * @param finishedAt when its files were complete (or it failed, or was cancelled); null before
 * @param callback whether its callback is still to be sent
 * @param attempts how many runs of it failed (it is retried a bounded number of times)
 */
public record ExportJob(
    String objectPrefix,
    String segmentId,
    String filterJson,
    Instant requestedAt,
    ExportSpec spec,
    State state,
    Progress progress,
    String error,
    Instant finishedAt,
    CallbackState callback,
    int attempts) {

  public ExportJob {
    Objects.requireNonNull(objectPrefix, "objectPrefix == null");
    Objects.requireNonNull(segmentId, "segmentId == null");
    Objects.requireNonNull(filterJson, "filterJson == null");
    Objects.requireNonNull(requestedAt, "requestedAt == null");
    Objects.requireNonNull(spec, "spec == null");
    Objects.requireNonNull(state, "state == null");
    Objects.requireNonNull(progress, "progress == null");
    Objects.requireNonNull(callback, "callback == null");
  }

  /** A job just requested: queued, nothing written. */
  public static ExportJob requested(
      String objectPrefix,
      String segmentId,
      String filterJson,
      Instant requestedAt,
      ExportSpec spec) {
    return new ExportJob(
        objectPrefix,
        segmentId,
        filterJson,
        requestedAt,
        spec,
        State.QUEUED,
        Progress.NONE,
        null,
        null,
        spec.callback().isPresent() ? CallbackState.PENDING : CallbackState.NONE,
        0);
  }

  /**
   * Whether its files are still being written (a second export of the segment is refused
   * meanwhile).
   */
  public boolean writing() {
    return state == State.QUEUED || state == State.RUNNING;
  }

  public enum State {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    /** Stopped at a client's request (Kiln's addition); its files are deleted. */
    CANCELLED;

    public String jsonName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public enum CallbackState {
    /** No callback_endpoint was given. */
    NONE,
    /** To be sent once the export has succeeded or failed. */
    PENDING,
    /** The endpoint answered 2xx. */
    SENT,
    /** Every attempt failed, or the endpoint was refused. */
    FAILED;

    public String jsonName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * What is written: files are numbered from 0 and each holds the members after the previous file's
   * last member, so a resumed export starts again after {@code lastMemberKey}.
   *
   * @param filesWritten files complete, numbered 0 to filesWritten - 1
   * @param usersWritten users in those files
   * @param lastMemberKey the store's key of the last user written (members are read in key order)
   */
  public record Progress(int filesWritten, long usersWritten, long lastMemberKey) {
    public static final Progress NONE = new Progress(0, 0, Long.MIN_VALUE);

    public Progress plusFile(int users, long lastKey) {
      return new Progress(filesWritten + 1, usersWritten + users, lastKey);
    }
  }
}
