package dev.kiln.export;

import dev.kiln.core.export.ExportJobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a job's lease while a worker holds it: renews it at a third of its length, so a live node
 * never loses it to a slow file or a long callback retry, while a dead node's lease runs out. On
 * close the lease is given back, so a stopping node's job is resumed at once rather than after
 * expiry.
 */
final class LeaseKeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

  private final ExportJobStore jobs;
  private final String objectPrefix;
  private final String worker;
  private final Duration lease;
  private final Clock clock;
  private final ScheduledExecutorService renewals;
  private volatile boolean lost;
  private volatile boolean handedOver;

  // The renewals stop when close() shuts their executor down, not through the future.
  @SuppressWarnings("FutureReturnValueIgnored")
  LeaseKeeper(
      ExportJobStore jobs, String objectPrefix, String worker, Duration lease, Clock clock) {
    this.jobs = jobs;
    this.objectPrefix = objectPrefix;
    this.worker = worker;
    this.lease = lease;
    this.clock = clock;
    this.renewals =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name(worker + "-lease").daemon().factory());
    long every = Math.max(1, lease.toMillis() / 3);
    renewals.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  /** The worker holding the lease. */
  String ownerName() {
    return worker;
  }

  /** Until when a renewal made now keeps the job. */
  Instant until() {
    return clock.instant().plus(lease);
  }

  /** Whether another node holds the job now: this worker must stop changing it. */
  boolean lost() {
    return lost;
  }

  /**
   * @throws LeaseLost when the job is no longer this worker's
   */
  void checkHeld() {
    if (lost) {
      throw new LeaseLost();
    }
  }

  /**
   * Leaves the job to this node's callback senders, which take it over although the lease is live:
   * it is neither renewed nor given back any more, so it runs out if they cannot take it (the node
   * died).
   */
  void handOver() {
    handedOver = true;
    renewals.shutdownNow();
  }

  /** Records that a conditional update found the job with another worker. */
  void markLost() {
    lost = true;
  }

  private void renew() {
    try {
      if (!lost && !jobs.renew(objectPrefix, worker, until())) {
        lost = true;
      }
    } catch (RuntimeException e) {
      // The store is unreachable for now; the next renewal tries again well before the lease runs
      // out.
      LOG.warn("could not renew the lease of export {}: {}", objectPrefix, e.getMessage());
    }
  }

  @Override
  public void close() {
    renewals.shutdownNow();
    if (!lost && !handedOver) {
      try {
        jobs.release(objectPrefix, worker);
      } catch (RuntimeException e) {
        LOG.warn(
            "could not give back the lease of export {}; it runs out in {}",
            objectPrefix,
            lease,
            e);
      }
    }
  }

  /** The job's lease went to another worker. */
  static final class LeaseLost extends RuntimeException {
    LeaseLost() {
      super("the export's lease went to another worker", null, false, false);
    }
  }
}
