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
 */
public record ExportSettings(Path workDir, Duration lease, Duration pollInterval, int compressionThreads) {
  public ExportSettings {
    if (lease.toMillis() < 300) {
      throw new IllegalArgumentException("the export lease must be at least 300 ms");
    }
    if (compressionThreads < 1) {
      throw new IllegalArgumentException("compressionThreads < 1");
    }
  }
}
