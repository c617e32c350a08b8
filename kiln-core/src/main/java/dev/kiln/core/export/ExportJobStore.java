package dev.kiln.core.export;

import java.time.Instant;
import java.util.Optional;

/**
 * The storage role that keeps segment export jobs. A job is worked on by one node at a time, the
 * holder of its lease; every change a worker makes names the worker and succeeds only while it
 * still holds the lease, so a node that lost its lease (it stalled, another took over) changes
 * nothing.
 */
public interface ExportJobStore {

  /**
   * Stores a new job.
   *
   * @throws dev.kiln.core.KilnException with {@link dev.kiln.core.ErrorCode#CONFLICT} when an
   *     export of the same segment is still writing its files
   */
  void create(ExportJob job);

  Optional<ExportJob> find(String objectPrefix);

  /** What a worker claims a job for. */
  enum Work {
    /**
     * Writing its files: a queued or running job whose retry time (if any) has come, those tried
     * least first, then the oldest; it is marked running.
     */
    FILES,
    /**
     * Sending its callback: the oldest ended job (succeeded, failed, cancelled) whose callback is
     * pending.
     */
    CALLBACK
  }

  /**
   * Takes the lease of a job to do {@code work} on that no live lease holds, or whose lease {@code
   * handingOver} holds (a worker of the same node passing the job on: the callback of an export
   * whose files it wrote, whose link is on that node); empty when there is none.
   *
   * @param handingOver the worker whose jobs may be taken over although its lease is live; null for
   *     none
   */
  Optional<ExportJob> claim(
      Work work, String worker, String handingOver, Instant now, Instant leaseUntil);

  /**
   * Records progress and extends the lease; false when {@code worker} no longer holds it or the job
   * is no longer running (it was cancelled).
   */
  boolean checkpoint(
      String objectPrefix, String worker, ExportJob.Progress progress, Instant leaseUntil);

  /**
   * Ends the writing of files (succeeded or failed, with the reason); the worker keeps the lease,
   * to release it or hand it over to its node's callback senders. False when the lease is lost or
   * the job is no longer running (it was cancelled).
   */
  boolean finish(
      String objectPrefix,
      String worker,
      ExportJob.State outcome,
      String error,
      Instant finishedAt);

  /**
   * Records a failed run that may pass (the store was unavailable): counts the attempt, keeps its
   * reason, and gives the lease back so the job is claimed again no earlier than {@code retryAt};
   * false when the lease is lost or the job is no longer running.
   */
  boolean retryLater(String objectPrefix, String worker, String reason, Instant retryAt);

  /**
   * Cancels a job still writing its files, whoever holds it: it is marked cancelled with the
   * reason, and its holder sees that at its next checkpoint. Its callback, if pending, is sent as a
   * failure.
   *
   * @return false when no job of that prefix is still writing (it ended, or there is none)
   */
  boolean cancel(String objectPrefix, String reason, Instant cancelledAt);

  /**
   * Gives the lease back, so another worker may claim the job at once; false when it was not held.
   */
  boolean release(String objectPrefix, String worker);

  /** Records the outcome of the callback and releases the lease; false when the lease is lost. */
  boolean callbackDone(String objectPrefix, String worker, ExportJob.CallbackState outcome);

  /** Extends the lease (a long callback retry, say); false when it is lost. */
  boolean renew(String objectPrefix, String worker, Instant leaseUntil);
}
