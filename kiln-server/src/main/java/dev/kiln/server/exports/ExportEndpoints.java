package dev.kiln.server.exports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.core.export.ExportJob;
import dev.kiln.core.export.ExportJobStore;
import dev.kiln.core.export.ExportSpec;
import dev.kiln.core.track.BrazeTimes;
import dev.kiln.export.DownloadLinks;
import dev.kiln.export.ExportWorker;
import dev.kiln.export.LocalExportSink;
import dev.kiln.ingest.ExportSegmentRequest;
import dev.kiln.segment.SegmentDefinition;
import dev.kiln.server.http.ApiError;
import dev.kiln.server.http.Json;
import dev.kiln.server.http.JsonBodies;
import dev.kiln.server.segments.SegmentService;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code POST /users/export/segment} (docs/braze-reference.md section 8), Kiln's {@code GET
 * /users/export/status} and {@code POST /users/export/cancel}, and the signed download link of
 * exports kept in Kiln's own storage.
 */
public final class ExportEndpoints {
  private final SegmentService segments;
  private final ExportJobStore jobs;
  private final CallbackPolicy callbacks;
  private final Optional<LocalDownloads> downloads;
  private final ExportWorker worker;
  private final Clock clock;

  /**
   * Kiln's own storage of exports and the links to them; absent when exports go to the operator's
   * bucket.
   */
  record LocalDownloads(LocalExportSink sink, DownloadLinks links) {}

  /**
   * Checks a {@code callback_endpoint} when an export is requested; throws a 400 naming the
   * problem.
   */
  @FunctionalInterface
  interface CallbackPolicy {
    URI check(String callbackEndpoint);
  }

  ExportEndpoints(
      SegmentService segments,
      ExportJobStore jobs,
      CallbackPolicy callbacks,
      Optional<LocalDownloads> downloads,
      ExportWorker worker,
      Clock clock) {
    this.segments = segments;
    this.jobs = jobs;
    this.callbacks = callbacks;
    this.downloads = downloads;
    this.worker = worker;
    this.clock = clock;
  }

  public void export(Context ctx) {
    ObjectNode body = JsonBodies.object(ctx);
    ExportSegmentRequest request = ExportSegmentRequest.decode(body);
    SegmentDefinition segment = segments.active(request.segmentId());
    segments.checkEvaluable(
        segment); // stored before this server checked filters, or changed by a segment it refers to
    URI callback = request.callbackEndpoint().map(callbacks::check).orElse(null);
    Instant now = clock.instant();
    String objectPrefix = UUID.randomUUID() + "-" + now.getEpochSecond();
    ExportSpec spec =
        new ExportSpec(request.fields(), request.customAttributes(), request.format(), callback);
    try {
      jobs.create(ExportJob.requested(objectPrefix, segment.id(), segment.filterJson(), now, spec));
    } catch (KilnException e) {
      if (e.code() == ErrorCode.CONFLICT) {
        throw new ApiError(
            429,
            "An export of segment '"
                + segment.id()
                + "' is still running; try again when it is done");
      }
      throw e;
    }
    worker.wakeUp();
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("message", "success");
    response.put("object_prefix", objectPrefix);
    downloads.ifPresent(local -> response.put("url", local.links().link(objectPrefix, now)));
    Json.respond(ctx, 201, response);
  }

  public void status(Context ctx) {
    Json.respond(ctx, 200, statusOf(find(required(ctx.queryParam("object_prefix"))), downloads));
  }

  /**
   * The status answer of a job: its progress and times, why it failed, and, once it succeeded, the
   * link to its files when Kiln keeps them. Package-private for its unit test.
   */
  static Map<String, Object> statusOf(ExportJob job, Optional<LocalDownloads> downloads) {
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("message", "success");
    response.put("object_prefix", job.objectPrefix());
    response.put("segment_id", job.segmentId());
    response.put("state", job.state().jsonName());
    response.put("users_written", job.progress().usersWritten());
    response.put("files_written", job.progress().filesWritten());
    response.put("requested_at", BrazeTimes.format(job.requestedAt()));
    if (job.finishedAt() != null) {
      response.put("finished_at", BrazeTimes.format(job.finishedAt()));
    }
    if (job.error() != null) {
      response.put("error", job.error());
    }
    response.put("failed_runs", job.attempts());
    response.put("callback", job.callback().jsonName());
    if (job.state() == ExportJob.State.SUCCEEDED) {
      downloads.ifPresent(
          local -> {
            response.put("url", local.links().link(job.objectPrefix(), job.finishedAt()));
            response.put(
                "url_expires_at", BrazeTimes.format(local.links().expiresAt(job.finishedAt())));
          });
    }
    return response;
  }

  /**
   * Cancels an export still writing its files (Kiln's addition): its worker stops at its next file
   * and deletes what it wrote, and its callback, if any, says it failed.
   */
  public void cancel(Context ctx) {
    JsonNode prefix = JsonBodies.object(ctx).path("object_prefix");
    String objectPrefix = required(prefix.isTextual() ? prefix.asText() : null);
    if (!jobs.cancel(
        objectPrefix, "the export was cancelled at the client's request", clock.instant())) {
      ExportJob job = find(objectPrefix);
      throw new ApiError(
          409,
          "The export already ended ("
              + job.state().jsonName()
              + "); only an export still running can be cancelled");
    }
    worker.wakeUp(); // a queued job's callback can go at once
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("message", "success");
    response.put("object_prefix", objectPrefix);
    response.put("state", ExportJob.State.CANCELLED.jsonName());
    Json.respond(ctx, 200, response);
  }

  /**
   * The signed link: no API key, but a valid signature, a finished export and an unexpired link.
   */
  public void download(Context ctx) throws IOException {
    LocalDownloads local =
        downloads.orElseThrow(() -> new ApiError(404, "Exports are kept in the operator's bucket"));
    String objectPrefix = ctx.pathParam("objectPrefix");
    Instant expires =
        local
            .links()
            .signedExpiry(objectPrefix, ctx.queryParam("expires"), ctx.queryParam("signature"))
            .orElseThrow(() -> new ApiError(403, "This download link is not valid"));
    ExportJob job = find(objectPrefix);
    if (job.state() != ExportJob.State.SUCCEEDED) {
      throw new ApiError(
          404,
          "The export is not ready"
              + switch (job.state()) {
                case FAILED -> ": it failed";
                case CANCELLED -> ": it was cancelled";
                case QUEUED, RUNNING, SUCCEEDED -> " yet";
              });
    }
    Instant now = clock.instant();
    if (now.isAfter(expires) || now.isAfter(local.links().expiresAt(job.finishedAt()))) {
      throw new ApiError(410, "This download link has expired");
    }
    Path bundle =
        local
            .sink()
            .bundle(objectPrefix)
            .orElseThrow(() -> new ApiError(404, "The export's files are not on this node"));
    ctx.contentType("application/zip");
    ctx.header("Content-Disposition", "attachment; filename=\"" + objectPrefix + ".zip\"");
    ctx.header("Content-Length", Long.toString(Files.size(bundle)));
    InputStream file = Files.newInputStream(bundle);
    ctx.result(file);
  }

  private static String required(String objectPrefix) {
    if (objectPrefix == null || objectPrefix.isBlank()) {
      throw ApiError.badRequest("'object_prefix' is required");
    }
    return objectPrefix;
  }

  private ExportJob find(String objectPrefix) {
    return jobs.find(objectPrefix)
        .orElseThrow(
            () -> new ApiError(404, "no export with object_prefix '" + objectPrefix + "'"));
  }
}
