package dev.kiln.export;

import dev.kiln.core.KilnException;
import dev.kiln.core.export.ExportJob;
import dev.kiln.core.export.ExportJobStore;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that claims jobs for one kind of work from the store and works each under its lease,
 * looking again at once after a job, else at the poll interval or when woken up.
 */
final class ClaimLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClaimLoop.class);

  /** Works one claimed job; the lease is given back when it returns. */
  @FunctionalInterface
  interface JobHandler {
    /**
     * @throws InterruptedException when the node is stopping: the job is left for a restart
     */
    void handle(ExportJob job, LeaseKeeper lease) throws InterruptedException;
  }

  private final String name;
  private final String handingOver;
  private final ExportJobStore.Work work;
  private final ExportJobStore jobs;
  private final ExportSettings settings;
  private final Clock clock;
  private final JobHandler handler;
  private final Semaphore wakeUps = new Semaphore(0);
  private final Thread thread;
  private volatile boolean stopping;

  /**
   * @param name the worker's name in leases and logs, unique among nodes
   * @param handingOver the worker of this node whose jobs this one takes over at once; null for
   *     none
   */
  ClaimLoop(
      String name,
      String handingOver,
      ExportJobStore.Work work,
      ExportJobStore jobs,
      ExportSettings settings,
      Clock clock,
      JobHandler handler) {
    this.name = name;
    this.handingOver = handingOver;
    this.work = work;
    this.jobs = jobs;
    this.settings = settings;
    this.clock = clock;
    this.handler = handler;
    this.thread = Thread.ofPlatform().name(name).daemon(false).unstarted(this::loop);
  }

  void start() {
    thread.start();
  }

  /** Looks for jobs now rather than at the next poll. */
  void wakeUp() {
    wakeUps.release();
  }

  /** Stops after giving back the job it holds, which this or another node takes up later. */
  @Override
  public void close() throws InterruptedException {
    stopping = true;
    thread.interrupt();
    thread.join();
  }

  private void loop() {
    while (!stopping) {
      try {
        Optional<ExportJob> claimed =
            jobs.claim(
                work, name, handingOver, clock.instant(), clock.instant().plus(settings.lease()));
        if (claimed.isPresent()) {
          handle(claimed.get());
        } else {
          wakeUps.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
          wakeUps.drainPermits();
        }
      } catch (InterruptedException e) {
        return; // stopping
      } catch (KilnException e) {
        // One line: while the store is down this repeats every poll interval.
        LOG.warn(
            "export worker {}: {}; trying again in {}",
            name,
            e.getMessage(),
            settings.pollInterval());
        pause();
      }
    }
  }

  private void handle(ExportJob job) throws InterruptedException {
    try (LeaseKeeper lease =
        new LeaseKeeper(jobs, job.objectPrefix(), name, settings.lease(), clock)) {
      handler.handle(job, lease);
    } catch (InterruptedException e) {
      LOG.info("export {} left for a restart to finish", job.objectPrefix());
      throw e;
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
