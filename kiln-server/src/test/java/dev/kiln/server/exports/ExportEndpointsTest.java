package dev.kiln.server.exports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.export.ExportFormat;
import dev.kiln.core.export.ExportJob;
import dev.kiln.core.export.ExportJob.CallbackState;
import dev.kiln.core.export.ExportJob.Progress;
import dev.kiln.core.export.ExportJob.State;
import dev.kiln.core.export.ExportSpec;
import dev.kiln.export.DownloadLinks;
import dev.kiln.export.LocalExportSink;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code GET /users/export/status} answers for a job in each state, without a server: its
 * progress, times in Braze's export form, why it failed, and the link to its files only once they
 * are ready and kept by Kiln. That a real export reaches these states is ITSegmentExport's,
 * ITExportFailures' and ITExportCancel's.
 */
class ExportEndpointsTest {
  private static final Instant REQUESTED = Instant.parse("2025-03-04T05:06:07Z");
  private static final Instant FINISHED = Instant.parse("2025-03-04T05:08:09.5Z");
  private static final ExportSpec SPEC = new ExportSpec(Set.of(), Set.of(), ExportFormat.ZIP, null);

  @TempDir Path exports;

  @Test
  void aQueuedJobHasNoFinishTimeErrorOrLink() {
    ExportJob job = ExportJob.requested("p-1", "seg", "{}", REQUESTED, SPEC);

    assertThat(ExportEndpoints.statusOf(job, Optional.of(local())))
        .containsExactly(
            Map.entry("message", "success"),
            Map.entry("object_prefix", "p-1"),
            Map.entry("segment_id", "seg"),
            Map.entry("state", "queued"),
            Map.entry("users_written", 0L),
            Map.entry("files_written", 0),
            Map.entry("requested_at", "2025-03-04T05:06:07.000Z"),
            Map.entry("failed_runs", 0),
            Map.entry("callback", "none"));
  }

  @Test
  void aRunningJobShowsItsProgressAndFailedRunsButNoLinkYet() {
    ExportJob job = job(State.RUNNING, new Progress(2, 10_000, 42), "the disk was full", null, 1);

    assertThat(ExportEndpoints.statusOf(job, Optional.of(local())))
        .containsEntry("state", "running")
        .containsEntry("users_written", 10_000L)
        .containsEntry("files_written", 2)
        .containsEntry("error", "the disk was full")
        .containsEntry("failed_runs", 1)
        .doesNotContainKeys("finished_at", "url", "url_expires_at");
  }

  @Test
  void aSucceededJobKeptByKilnLinksToItsFilesUntilTheLinkExpires() {
    ExportJob job = job(State.SUCCEEDED, new Progress(1, 3, 7), null, FINISHED, 0);

    Map<String, Object> status = ExportEndpoints.statusOf(job, Optional.of(local()));

    assertThat(status)
        .containsEntry("state", "succeeded")
        .containsEntry("finished_at", "2025-03-04T05:08:09.500Z")
        .containsEntry("url_expires_at", "2025-03-04T09:08:09.500Z")
        .doesNotContainKey("error");
    assertThat((String) status.get("url"))
        .startsWith("http://kiln.example:8080/users/export/download/p-1?expires=")
        .contains("&signature=");
  }

  @Test
  void aSucceededJobInTheOperatorsBucketHasNoLink() {
    ExportJob job = job(State.SUCCEEDED, new Progress(1, 3, 7), null, FINISHED, 0);

    assertThat(ExportEndpoints.statusOf(job, Optional.empty()))
        .containsEntry("state", "succeeded")
        .doesNotContainKeys("url", "url_expires_at");
  }

  @Test
  void aFailedOrCancelledJobSaysWhyAndHasNoLink() {
    ExportJob failed =
        job(State.FAILED, Progress.NONE, "the segment's query timed out", FINISHED, 5);
    ExportJob cancelled =
        job(
            State.CANCELLED,
            new Progress(1, 3, 7),
            "cancelled at the client's request",
            FINISHED,
            0);

    assertThat(ExportEndpoints.statusOf(failed, Optional.of(local())))
        .containsEntry("state", "failed")
        .containsEntry("error", "the segment's query timed out")
        .containsEntry("failed_runs", 5)
        .containsEntry("finished_at", "2025-03-04T05:08:09.500Z")
        .doesNotContainKeys("url", "url_expires_at");
    assertThat(ExportEndpoints.statusOf(cancelled, Optional.of(local())))
        .containsEntry("state", "cancelled")
        .containsEntry("error", "cancelled at the client's request")
        .doesNotContainKeys("url", "url_expires_at");
  }

  @Test
  void theCallbacksStateIsAnswered() {
    ExportJob job =
        new ExportJob(
            "p-1",
            "seg",
            "{}",
            REQUESTED,
            new ExportSpec(
                Set.of(), Set.of(), ExportFormat.ZIP, URI.create("https://example.com/done")),
            State.SUCCEEDED,
            Progress.NONE,
            null,
            FINISHED,
            CallbackState.SENT,
            0);

    assertThat(ExportEndpoints.statusOf(job, Optional.empty())).containsEntry("callback", "sent");
  }

  private static ExportJob job(
      State state, Progress progress, String error, Instant finishedAt, int attempts) {
    return new ExportJob(
        "p-1",
        "seg",
        "{}",
        REQUESTED,
        SPEC,
        state,
        progress,
        error,
        finishedAt,
        CallbackState.NONE,
        attempts);
  }

  /** Kiln's own folder, with links valid for four hours from when the files were ready. */
  private ExportEndpoints.LocalDownloads local() {
    return new ExportEndpoints.LocalDownloads(
        new LocalExportSink(exports),
        new DownloadLinks(
            () -> URI.create("http://kiln.example:8080/"), new byte[32], Duration.ofHours(4)));
  }
}
