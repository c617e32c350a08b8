package dev.kiln.export;

import dev.kiln.core.export.ExportJob;
import dev.kiln.core.export.ExportJobStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Sends a claimed job's callback once its files are written (or it failed, or was cancelled) and
 * records the outcome. Runs on the callback threads, never on the thread writing files, so an
 * endpoint that never answers holds up only its own callback.
 */
final class CallbackSending implements ClaimLoop.JobHandler {
  private final ExportJobStore jobs;
  private final Optional<DownloadLinks> links;
  private final CallbackDelivery callbacks;

  CallbackSending(ExportJobStore jobs, Optional<DownloadLinks> links, CallbackDelivery callbacks) {
    this.jobs = jobs;
    this.links = links;
    this.callbacks = callbacks;
  }

  @Override
  public void handle(ExportJob job, LeaseKeeper lease) throws InterruptedException {
    boolean delivered = callbacks.deliver(job.spec().callbackEndpoint(), body(job));
    jobs.callbackDone(
        job.objectPrefix(),
        lease.ownerName(),
        delivered ? ExportJob.CallbackState.SENT : ExportJob.CallbackState.FAILED);
  }

  private Map<String, Object> body(ExportJob job) {
    Map<String, Object> body = new LinkedHashMap<>();
    boolean succeeded = job.state() == ExportJob.State.SUCCEEDED;
    body.put("success", succeeded);
    if (succeeded) {
      links.ifPresent(
          download -> body.put("url", download.link(job.objectPrefix(), job.finishedAt())));
    } else {
      body.put("reason", job.error());
    }
    return body;
  }
}
