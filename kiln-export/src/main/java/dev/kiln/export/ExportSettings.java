package dev.kiln.export;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a node runs exports.
 *
 * @param workDir where files are written before the sink takes them (on the data disk)
 * @param lease how long a job stays with a node that stops renewing it (a node that died): another
 *     node, or this one after a restart, resumes the job once it ran out
 * @param pollInterval how often an idle worker looks for jobs
 * @param compressionThreads how many files are written and compressed at once
 * @param maxAttempts how many runs of a job may fail on a store that may recover before the job
 *     fails
 * @param retryDelay the wait before a job whose run failed is claimed again; doubles with each
 *     failed run
 * @param callbackThreads how many callbacks are sent at once, each on a thread of its own
 */
public record ExportSettings(
    Path workDir,
    Duration lease,
    Duration pollInterval,
    int compressionThreads,
    int maxAttempts,
    Duration retryDelay,
    int callbackThreads) {
  public ExportSettings {
    if (lease.toMillis() < 300) {
      throw new IllegalArgumentException("the export lease must be at least 300 ms");
    }
    if (compressionThreads < 1 || maxAttempts < 1 || callbackThreads < 1) {
      throw new IllegalArgumentException(
          "compressionThreads, maxAttempts and callbackThreads must be at least 1");
    }
  }

  /**
   * The wait after the {@code failedRuns}th failed run: the retry delay, doubled for each earlier
   * one.
   */
  Duration retryDelayAfter(int failedRuns) {
    return retryDelay.multipliedBy(1L << Math.min(failedRuns - 1, 20));
  }
}
