package dev.kiln.export;

import dev.kiln.core.export.ExportJob;
import dev.kiln.core.export.ExportJobStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees the disk of Kiln's own export storage: deletes the files of exports whose download link has
 * expired, and of exports that failed or were cancelled (nothing can download them). Exports still
 * running, and folders no job of this store knows, are left alone.
 */
public final class ExpiredExports {
  private static final Logger LOG = LoggerFactory.getLogger(ExpiredExports.class);

  private final LocalExportSink sink;
  private final ExportJobStore jobs;
  private final DownloadLinks links;
  private final Clock clock;

  public ExpiredExports(
      LocalExportSink sink, ExportJobStore jobs, DownloadLinks links, Clock clock) {
    this.sink = sink;
    this.jobs = jobs;
    this.links = links;
    this.clock = clock;
  }

  /** Deletes what is no longer needed; answers how many exports it deleted. */
  public int sweep() throws IOException {
    Instant now = clock.instant();
    int deleted = 0;
    for (String objectPrefix : sink.objectPrefixes()) {
      Optional<ExportJob> job = jobs.find(objectPrefix);
      if (job.isPresent() && unneeded(job.get(), now)) {
        sink.delete(objectPrefix);
        deleted++;
      }
    }
    if (deleted > 0) {
      LOG.info("deleted the files of {} expired or failed exports", deleted);
    }
    return deleted;
  }

  private boolean unneeded(ExportJob job, Instant now) {
    return switch (job.state()) {
      case FAILED, CANCELLED -> true;
      case SUCCEEDED -> now.isAfter(links.expiresAt(job.finishedAt()));
      case QUEUED, RUNNING -> false;
    };
  }
}
