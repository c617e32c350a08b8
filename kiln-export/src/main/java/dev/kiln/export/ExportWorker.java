package dev.kiln.export;

import dev.kiln.core.export.ExportJobStore;
import dev.kiln.segment.SegmentQueries;
import dev.kiln.segment.SegmentResolver;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * A node's export workers: one thread that claims jobs from the store and writes their files
 * ({@link FileWriting}), and a bounded number of threads that send the callbacks of ended jobs
 * ({@link CallbackSending}). The writer hands a job whose callback is pending over to this node's
 * callback threads, whose links point at this node, where the files are. Callbacks are jobs of the
 * store like files, so a callback interrupted by a stop or a crash is sent by this node after a
 * restart or by another node. Several nodes may run workers on one database; the lease of each job
 * keeps it with one of them.
 */
public final class ExportWorker implements AutoCloseable {
  private final ClaimLoop files;
  private final List<ClaimLoop> callbacks;

  /**
   * @param otherSegments segments as stored now, for filters that refer to other segments
   * @param links the download links of local exports; empty when the sink is the operator's own
   *     storage
   */
  public ExportWorker(
      ExportJobStore jobs,
      SegmentQueries segments,
      SegmentResolver otherSegments,
      ExportSink sink,
      Optional<DownloadLinks> links,
      CallbackDelivery delivery,
      ExportSettings settings,
      Clock clock) {
    String name = "export-" + UUID.randomUUID();
    CallbackSending sending = new CallbackSending(jobs, links, delivery);
    this.callbacks =
        IntStream.range(0, settings.callbackThreads())
            .mapToObj(
                i ->
                    new ClaimLoop(
                        name + "-callback-" + i,
                        name,
                        ExportJobStore.Work.CALLBACK,
                        jobs,
                        settings,
                        clock,
                        sending))
            .toList();
    FileWriting writing =
        new FileWriting(
            jobs, segments, otherSegments, sink, settings, clock, this::callbacksWaiting);
    this.files =
        new ClaimLoop(name, null, ExportJobStore.Work.FILES, jobs, settings, clock, writing);
  }

  public void start() {
    files.start();
    callbacks.forEach(ClaimLoop::start);
  }

  /**
   * Looks for jobs now rather than at the next poll (a job was just requested or cancelled on this
   * node).
   */
  public void wakeUp() {
    files.wakeUp();
    callbacksWaiting();
  }

  private void callbacksWaiting() {
    callbacks.forEach(ClaimLoop::wakeUp);
  }

  /** Stops after giving back the jobs it holds, which this or another node takes up later. */
  @Override
  public void close() throws InterruptedException {
    files.close();
    for (ClaimLoop callback : callbacks) {
      callback.close();
    }
  }
}
