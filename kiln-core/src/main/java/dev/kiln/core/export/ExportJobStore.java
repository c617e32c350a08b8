package dev.kiln.core.export;

import java.time.Instant;
import java.util.Optional;

/**
 * The storage role that keeps segment export jobs. A job is worked on by one node at a time, the
 * holder of its lease; every change a worker makes names the worker and succeeds only while it
 * still holds the lease, so a node that lost its lease (it stalled, another took over) changes nothing.
 */
public interface ExportJobStore {

  /**
   * Stores a new job.
   *
   * @throws dev.kiln.core.KilnException with {@link dev.kiln.core.ErrorCode#CONFLICT} when an export of the
   *     same segment is still writing its files
   */
  void create(ExportJob job);

  Optional<ExportJob> find(String objectPrefix);

  /**
   * Takes the lease of the oldest unfinished job that no live lease holds, marking it running if it was
   * queued; empty when there is none.
   */
  Optional<ExportJob> claim(String worker, Instant now, Instant leaseUntil);

  /** Records progress and extends the lease; false when {@code worker} no longer holds it. */
  boolean checkpoint(String objectPrefix, String worker, ExportJob.Progress progress, Instant leaseUntil);

  /** Ends the writing of files (succeeded or failed, with the reason); false when the lease is lost. */
  boolean finish(String objectPrefix, String worker, ExportJob.State outcome, String error, Instant finishedAt);

  /** Records the outcome of the callback and releases the lease; false when the lease is lost. */
  boolean callbackDone(String objectPrefix, String worker, ExportJob.CallbackState outcome);

  /** Extends the lease (a long callback retry, say); false when it is lost. */
  boolean renew(String objectPrefix, String worker, Instant leaseUntil);
}
