package dev.kiln.server.exports;

import dev.kiln.export.ExpiredExports;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link ExpiredExports} now and then, so exports kept in the data folder do not fill the
 * disk.
 */
final class ExportSweeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExportSweeper.class);
  private static final Duration EVERY = Duration.ofMinutes(15);

  private final ExpiredExports expired;
  private final ScheduledExecutorService schedule =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("kiln-export-sweeper").daemon().factory());

  ExportSweeper(ExpiredExports expired) {
    this.expired = expired;
  }

  // The sweeps stop when close() shuts their executor down, not through the future; sweep() logs
  // its own failures, so none ends the schedule.
  @SuppressWarnings("FutureReturnValueIgnored")
  void start() {
    schedule.scheduleWithFixedDelay(this::sweep, 1, EVERY.toMinutes(), TimeUnit.MINUTES);
  }

  private void sweep() {
    try {
      expired.sweep();
    } catch (IOException | RuntimeException e) {
      // The next sweep tries again; a full disk shows in the log meanwhile.
      LOG.warn("could not delete expired exports: {}", e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    schedule.shutdownNow();
  }
}
