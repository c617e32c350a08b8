package dev.kiln.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.core.export.ExportJob;
import dev.kiln.core.export.ExportJobStore;
import dev.kiln.segment.Filter;
import dev.kiln.segment.FilterException;
import dev.kiln.segment.FilterParser;
import dev.kiln.segment.SegmentQueries;
import dev.kiln.segment.SegmentResolver;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a claimed job's files ({@link ExportRun}) and records how the run ended: succeeded; failed
 * for good (a filter the database refuses, files that cannot be stored); failed in a way that may
 * pass (the store was unavailable), which is retried after a growing wait until the job's attempts
 * run out; or cancelled meanwhile, whose files are then deleted. The callback is left to {@link
 * CallbackSending}, on threads of its own.
 */
final class FileWriting implements ClaimLoop.JobHandler {
  private static final Logger LOG = LoggerFactory.getLogger(FileWriting.class);
  private static final ObjectMapper FILTERS = JsonMapper.builder().build();

  private final ExportJobStore jobs;
  private final SegmentQueries segments;
  private final SegmentResolver otherSegments;
  private final ExportSink sink;
  private final ExportSettings settings;
  private final Clock clock;
  private final Runnable callbacksWaiting;

  /**
   * @param callbacksWaiting told when a job ended with its callback still to send
   */
  FileWriting(
      ExportJobStore jobs,
      SegmentQueries segments,
      SegmentResolver otherSegments,
      ExportSink sink,
      ExportSettings settings,
      Clock clock,
      Runnable callbacksWaiting) {
    this.jobs = jobs;
    this.segments = segments;
    this.otherSegments = otherSegments;
    this.sink = sink;
    this.settings = settings;
    this.clock = clock;
    this.callbacksWaiting = callbacksWaiting;
  }

  /**
   * How a run ended: {@code state} null means it may pass and is retried. The reason goes to the
   * job's status and callback; the cause, for the log only, is the database's or the system's own
   * words.
   */
  private record Ending(ExportJob.State state, String reason, String cause) {
    static final Ending SUCCEEDED = new Ending(ExportJob.State.SUCCEEDED, null, null);

    static Ending failed(String reason) {
      return new Ending(ExportJob.State.FAILED, reason, null);
    }

    static Ending mayPass(KilnException e) {
      return new Ending(
          null, e.getMessage(), e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")");
    }
  }

  @Override
  public void handle(ExportJob job, LeaseKeeper lease) throws InterruptedException {
    // Where several nodes share the jobs, the log says which one worked on each and from where.
    LOG.info(
        "export {} taken by {} ({}, {} files already written, {} failed runs)",
        job.objectPrefix(),
        lease.ownerName(),
        job.state().jsonName(),
        job.progress().filesWritten(),
        job.attempts());
    Ending ending;
    try {
      ending = run(job, lease);
    } catch (LeaseKeeper.LeaseLost e) {
      ending = null; // a checkpoint found the job cancelled, or with another node
    }
    if (ending == null || !record(job, lease, ending)) {
      endRefused(job, lease);
    } else if (job.callback() == ExportJob.CallbackState.PENDING && ending.state() != null) {
      lease.handOver(); // the link in the callback is this node's, where the files are
      callbacksWaiting.run();
    }
  }

  private Ending run(ExportJob job, LeaseKeeper lease) throws InterruptedException {
    try {
      new ExportRun(job, filterOf(job), segments, otherSegments, sink, jobs, lease, settings).run();
      return Ending.SUCCEEDED;
    } catch (FilterException e) {
      return filterRefused(job, e.getMessage());
    } catch (IOException e) {
      LOG.warn(
          "export {} failed: its files could not be stored: {}",
          job.objectPrefix(),
          e.getMessage());
      return Ending.failed("the export files could not be stored: " + e.getMessage());
    } catch (KilnException e) {
      if (e.code() == ErrorCode.INVALID_INPUT) {
        return filterRefused(job, e.getMessage()); // trying again changes nothing
      }
      return Ending.mayPass(e);
    } catch (LeaseKeeper.LeaseLost e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.error("export {} failed", job.objectPrefix(), e);
      return Ending.failed("an internal error stopped the export; the server log has the details");
    }
  }

  private static Ending filterRefused(ExportJob job, String why) {
    LOG.warn("export {} failed: its filter cannot be evaluated: {}", job.objectPrefix(), why);
    return Ending.failed("the segment's filter cannot be evaluated: " + why);
  }

  /**
   * Records the ending in the store; false when the store refused it (cancelled, or lease lost).
   */
  private boolean record(ExportJob job, LeaseKeeper lease, Ending ending) {
    String worker = lease.ownerName();
    if (ending.state() != null) {
      return jobs.finish(
          job.objectPrefix(), worker, ending.state(), ending.reason(), clock.instant());
    }
    int failedRuns = job.attempts() + 1;
    if (failedRuns >= settings.maxAttempts()) {
      LOG.warn(
          "export {} failed: run {} of {} failed: {}{}",
          job.objectPrefix(),
          failedRuns,
          settings.maxAttempts(),
          ending.reason(),
          ending.cause());
      return jobs.finish(
          job.objectPrefix(),
          worker,
          ExportJob.State.FAILED,
          "the export failed " + failedRuns + " times; the last time: " + ending.reason(),
          clock.instant());
    }
    Duration wait = settings.retryDelayAfter(failedRuns);
    // One line per failed run, no stack trace: the reason says what the store could not do.
    LOG.warn(
        "export {} run {} of {} failed: {}{}; trying again in {}",
        job.objectPrefix(),
        failedRuns,
        settings.maxAttempts(),
        ending.reason(),
        ending.cause(),
        wait);
    return jobs.retryLater(job.objectPrefix(), worker, ending.reason(), clock.instant().plus(wait));
  }

  /**
   * The store kept the job from this worker: it was cancelled (its files go), or another node has
   * it.
   */
  private void endRefused(ExportJob job, LeaseKeeper lease) {
    ExportJob now = jobs.find(job.objectPrefix()).orElse(job);
    if (now.state() != ExportJob.State.CANCELLED) {
      LOG.warn(
          "export {}: its lease went to another node, which goes on with it", job.objectPrefix());
      return;
    }
    try {
      sink.discard(now);
      LOG.info("export {} cancelled; its files are deleted", job.objectPrefix());
    } catch (IOException e) {
      LOG.warn(
          "export {} cancelled; its files could not all be deleted: {}",
          job.objectPrefix(),
          e.getMessage());
    }
    jobs.release(job.objectPrefix(), lease.ownerName());
    callbacksWaiting.run();
  }

  private static Filter filterOf(ExportJob job) {
    try {
      return FilterParser.parse(FILTERS.readValue(job.filterJson(), Object.class));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored filter is not JSON", e);
    }
  }
}
