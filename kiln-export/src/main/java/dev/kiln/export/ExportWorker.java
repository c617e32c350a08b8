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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's export worker: one thread that claims unfinished jobs from the store, writes them
 * ({@link ExportRun}), and sends their callbacks. Several nodes may run workers on one database;
 * the lease of each job keeps it with one of them.
 */
public final class ExportWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExportWorker.class);
  private static final ObjectMapper FILTERS = JsonMapper.builder().build();

  private final String name = "export-" + UUID.randomUUID();
  private final ExportJobStore jobs;
  private final SegmentQueries segments;
  private final SegmentResolver otherSegments;
  private final ExportSink sink;
  private final Optional<DownloadLinks> links;
  private final CallbackDelivery callbacks;
  private final ExportSettings settings;
  private final Clock clock;
  private final Semaphore wakeUps = new Semaphore(0);
  private final Thread thread;
  private volatile boolean stopping;

  /**
   * @param otherSegments segments as stored now, for filters that refer to other segments
   * @param links the download links of local exports; empty when the sink is the operator's own storage
   */
  public ExportWorker(ExportJobStore jobs, SegmentQueries segments, SegmentResolver otherSegments, ExportSink sink,
      Optional<DownloadLinks> links, CallbackDelivery callbacks, ExportSettings settings, Clock clock) {
    this.jobs = jobs;
    this.segments = segments;
    this.otherSegments = otherSegments;
    this.sink = sink;
    this.links = links;
    this.callbacks = callbacks;
    this.settings = settings;
    this.clock = clock;
    this.thread = Thread.ofPlatform().name(name).daemon(false).unstarted(this::loop);
  }

  public void start() {
    thread.start();
  }

  /** Looks for jobs now rather than at the next poll (a job was just requested on this node). */
  public void wakeUp() {
    wakeUps.release();
  }

  /** Stops after releasing the job it holds, which this or another node resumes later. */
  @Override
  public void close() throws InterruptedException {
    stopping = true;
    thread.interrupt();
    thread.join();
  }

  private void loop() {
    while (!stopping) {
      try {
        Optional<ExportJob> claimed = jobs.claim(name, clock.instant(), clock.instant().plus(settings.lease()));
        if (claimed.isPresent()) {
          work(claimed.get());
        } else {
          wakeUps.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
          wakeUps.drainPermits();
        }
      } catch (InterruptedException e) {
        return; // stopping
      } catch (KilnException e) {
        LOG.warn("export worker {}: {}; trying again in {}", name, e.getMessage(), settings.pollInterval(), e);
        pause();
      }
    }
  }

  private void work(ExportJob job) throws InterruptedException {
    try (LeaseKeeper lease = new LeaseKeeper(jobs, job.objectPrefix(), name, settings.lease(), clock)) {
      // Where several nodes share the jobs, the log says which one worked on each and from where.
      LOG.info("export {} taken by {} ({}, {} files already written)", job.objectPrefix(), name, job.state().jsonName(),
          job.progress().filesWritten());
      ExportJob current = job.writing() ? write(job, lease) : job;
      if (current.callback() == ExportJob.CallbackState.PENDING && !lease.lost()) {
        boolean delivered = callbacks.deliver(current.spec().callbackEndpoint(), callbackBody(current));
        jobs.callbackDone(current.objectPrefix(), name, delivered ? ExportJob.CallbackState.SENT : ExportJob.CallbackState.FAILED);
      }
    } catch (InterruptedException e) {
      LOG.info("export {} left for a restart to finish", job.objectPrefix());
      throw e;
    }
  }

  /** Writes the job's files; answers the job as it ended (succeeded or failed). */
  private ExportJob write(ExportJob job, LeaseKeeper lease) throws InterruptedException {
    ExportJob.State outcome;
    String error = null;
    try {
      new ExportRun(job, filterOf(job), segments, otherSegments, sink, jobs, lease, settings).run();
      outcome = ExportJob.State.SUCCEEDED;
    } catch (FilterException e) {
      outcome = ExportJob.State.FAILED;
      error = "the segment's filter cannot be evaluated: " + e.getMessage();
    } catch (IOException e) {
      outcome = ExportJob.State.FAILED;
      error = "the export files could not be stored: " + e.getMessage();
      LOG.error("export {} failed", job.objectPrefix(), e);
    } catch (LeaseKeeper.LeaseLost e) {
      LOG.warn("export {}: its lease went to another node, which goes on with it", job.objectPrefix());
      return job;
    } catch (KilnException e) {
      if (e.code() != ErrorCode.INVALID_INPUT) {
        throw e; // the store is unavailable: the job stays unfinished and is tried again
      }
      outcome = ExportJob.State.FAILED; // the store refused the filter: trying again changes nothing
      error = "the segment's filter cannot be evaluated: " + e.getMessage();
    } catch (RuntimeException e) {
      outcome = ExportJob.State.FAILED;
      error = "an internal error stopped the export; the server log has the details";
      LOG.error("export {} failed", job.objectPrefix(), e);
    }
    jobs.finish(job.objectPrefix(), name, outcome, error, clock.instant());
    return jobs.find(job.objectPrefix()).orElseThrow();
  }

  private Map<String, Object> callbackBody(ExportJob job) {
    Map<String, Object> body = new LinkedHashMap<>();
    boolean succeeded = job.state() == ExportJob.State.SUCCEEDED;
    body.put("success", succeeded);
    if (succeeded) {
      links.ifPresent(download -> body.put("url", download.link(job.objectPrefix())));
    } else {
      body.put("reason", job.error());
    }
    return body;
  }

  private static Filter filterOf(ExportJob job) {
    try {
      return FilterParser.parse(FILTERS.readValue(job.filterJson(), Object.class));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored filter is not JSON", e);
    }
  }

  private void pause() {
    try {
      Thread.sleep(settings.pollInterval());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
