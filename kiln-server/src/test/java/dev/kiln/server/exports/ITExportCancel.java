package dev.kiln.server.exports;

import static dev.kiln.server.exports.ExportFixtures.cohortFilter;
import static dev.kiln.server.exports.ExportFixtures.cohortSegment;
import static dev.kiln.server.exports.ExportFixtures.exportIds;
import static dev.kiln.server.exports.ExportFixtures.trackCohort;
import static dev.kiln.server.exports.ExportStatuses.await;
import static dev.kiln.server.testing.TestJson.json;
import static dev.kiln.server.testing.TestJson.quote;
import static dev.kiln.server.testing.TestJson.uid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.core.export.ExportFormat;
import dev.kiln.core.export.ExportJob;
import dev.kiln.core.export.ExportSpec;
import dev.kiln.core.storage.ProfileStorage;
import dev.kiln.export.ExportSettings;
import dev.kiln.export.ExportSink;
import dev.kiln.export.ExportWorker;
import dev.kiln.export.LocalExportSink;
import dev.kiln.segment.SegmentResolver;
import dev.kiln.segment.SegmentStorage;
import dev.kiln.server.config.KilnConfig;
import dev.kiln.server.config.StorageFactory;
import dev.kiln.server.testing.CallbackReceiver;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /users/export/cancel} (Kiln's addition). The export cancelled is written by another
 * node on the same database, held in the middle (its second file waits for the test), so the cancel
 * certainly lands while it runs: that node sees it at its next checkpoint through the store, stops,
 * deletes the files it wrote and lets the callback say the export failed.
 */
class ITExportCancel {
  private static final int USERS = 5_500; // two files: 5,000 + 500
  private static final Duration PROMPTLY = Duration.ofSeconds(60);
  private static final String CANCELLED = "the export was cancelled at the client's request";

  private final String cohort = uid("cancel");
  private final CallbackReceiver receiver = CallbackReceiver.start();
  private final Map<String, String> env = Map.of("KILN_CALLBACK_ALLOW_PRIVATE", "true");
  private RunningKiln kiln;
  private final List<AutoCloseable> otherNode = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable part : otherNode.reversed()) {
      part.close();
    }
    if (kiln != null) {
      kiln.close();
    }
    receiver.close();
  }

  @Test
  void aRunningExportCancelledOnAnotherNodeStopsDeletesItsFilesAndCallsBackFailed()
      throws Exception {
    kiln = RunningKiln.start(env);
    trackCohort(kiln, cohort, USERS);
    String filter = cohortFilter(cohort);
    // The other node alone works on the job until it holds it: this node is down meanwhile.
    kiln.close();
    GatedSink sink = new GatedSink(new LocalExportSink(kiln.dataDir().resolve("exports")));
    ProfileStorage store = startOtherNode(sink);
    String objectPrefix = UUID.randomUUID() + "-" + Instant.now().getEpochSecond();
    store
        .exportJobs()
        .create(
            ExportJob.requested(
                objectPrefix,
                uid("segment"),
                filter,
                Instant.now(),
                new ExportSpec(
                    Set.of("external_id"),
                    Set.of(),
                    ExportFormat.ZIP,
                    URI.create(receiver.url()))));
    assertThat(sink.secondFileReached.await(PROMPTLY.toSeconds(), TimeUnit.SECONDS))
        .as("the second file is being stored")
        .isTrue();
    awaitFirstCheckpoint(store, objectPrefix);
    kiln.restart();

    Response cancelled =
        kiln.post("/users/export/cancel", "{\"object_prefix\":" + quote(objectPrefix) + "}");
    assertThat(cancelled.status()).as("cancel: %s", cancelled).isEqualTo(200);
    assertThat(cancelled.json())
        .isEqualTo(
            json(
                "{\"message\":\"success\",\"object_prefix\":"
                    + quote(objectPrefix)
                    + ",\"state\":\"cancelled\"}"));
    sink.gate.countDown();

    JsonNode callback = json(receiver.next(PROMPTLY));
    assertThat(callback).isEqualTo(json("{\"success\":false,\"reason\":" + quote(CANCELLED) + "}"));
    JsonNode status = await(kiln, objectPrefix, "callback", "sent", PROMPTLY);
    assertThat(status.path("state").asText()).isEqualTo("cancelled");
    assertThat(status.path("error").asText()).isEqualTo(CANCELLED);
    assertThat(status.path("files_written").asInt())
        .as("no checkpoint after the cancel")
        .isEqualTo(1);
    assertThat(kiln.dataDir().resolve("exports").resolve(objectPrefix))
        .as("the files written")
        .doesNotExist();

    Response again =
        kiln.post("/users/export/cancel", "{\"object_prefix\":" + quote(objectPrefix) + "}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json())
        .isEqualTo(
            json(
                "{\"message\":\"The export already ended (cancelled); only an export still running can be cancelled\"}"));
  }

  @Test
  void aFinishedExportAnUnknownOneAndABadRequestAreClear4xx() throws Exception {
    kiln = RunningKiln.start(env);
    trackCohort(kiln, cohort, USERS);
    String objectPrefix = exportIds(kiln, cohortSegment(kiln, cohort), null);
    await(kiln, objectPrefix, "state", "succeeded", PROMPTLY);

    Response finished =
        kiln.post("/users/export/cancel", "{\"object_prefix\":" + quote(objectPrefix) + "}");
    assertThat(finished.status()).isEqualTo(409);
    assertThat(finished.json().path("message").asText())
        .isEqualTo(
            "The export already ended (succeeded); only an export still running can be cancelled");
    assertThat(
            kiln.get("/users/export/status?object_prefix=" + objectPrefix)
                .json()
                .path("state")
                .asText())
        .isEqualTo("succeeded");

    Response unknown = kiln.post("/users/export/cancel", "{\"object_prefix\":\"nope\"}");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json())
        .isEqualTo(json("{\"message\":\"no export with object_prefix 'nope'\"}"));
    for (String bad : List.of("{}", "{\"object_prefix\":\"\"}", "{\"object_prefix\":7}")) {
      Response refused = kiln.post("/users/export/cancel", bad);
      assertThat(refused.status()).as("cancel %s", bad).isEqualTo(400);
      assertThat(refused.json()).isEqualTo(json("{\"message\":\"'object_prefix' is required\"}"));
    }
  }

  /**
   * A second node on the same database: its own store and export worker, writing to the same
   * folder.
   */
  private ProfileStorage startOtherNode(ExportSink sink) throws IOException {
    Map<String, String> settings = new HashMap<>();
    settings.put("KILN_DATA_DIR", kiln.dataDir().toString());
    settings.put("KILN_CONFIG", Files.createTempFile("kiln-it", ".properties").toString());
    if (RunningKiln.onPostgres()) {
      settings.put("KILN_STORAGE", "postgres");
      settings.put("KILN_POSTGRES_URL", kiln.jdbcUrl());
    }
    ProfileStorage store = StorageFactory.create(KilnConfig.load(settings));
    otherNode.add(store);
    Callbacks callbacks = new Callbacks(true);
    otherNode.add(callbacks);
    Path workDir = kiln.dataDir().resolve("exports").resolve(".work");
    ExportWorker worker =
        new ExportWorker(
            store.exportJobs(),
            ((SegmentStorage) store).segmentQueries(),
            SegmentResolver.NONE,
            sink,
            Optional.empty(),
            callbacks,
            new ExportSettings(
                workDir,
                Duration.ofSeconds(30),
                Duration.ofMillis(100),
                1,
                3,
                Duration.ofSeconds(1),
                1),
            Clock.systemUTC());
    worker.start();
    otherNode.add(worker);
    return store;
  }

  private static void awaitFirstCheckpoint(ProfileStorage store, String objectPrefix)
      throws InterruptedException {
    long deadline = System.nanoTime() + PROMPTLY.toNanos();
    while (store.exportJobs().find(objectPrefix).orElseThrow().progress().filesWritten() < 1) {
      assertThat(System.nanoTime()).as("the first file is checkpointed").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  /**
   * Kiln's own storage, but the second file and those after it wait until the test opens the gate.
   */
  private static final class GatedSink implements ExportSink {
    private final LocalExportSink local;
    private final AtomicInteger stored = new AtomicInteger();
    final CountDownLatch secondFileReached = new CountDownLatch(1);
    final CountDownLatch gate = new CountDownLatch(1);

    GatedSink(LocalExportSink local) {
      this.local = local;
    }

    @Override
    public boolean ownStorage() {
      return false;
    }

    @Override
    public void store(ExportJob job, String fileName, Path file) throws IOException {
      if (stored.incrementAndGet() > 1) {
        secondFileReached.countDown();
        try {
          gate.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("stopped while waiting for the gate", e);
        }
      }
      local.store(job, fileName, file);
    }

    @Override
    public void complete(ExportJob job, List<String> fileNames) throws IOException {
      local.complete(job, fileNames);
    }

    @Override
    public void discard(ExportJob job) throws IOException {
      local.discard(job);
    }
  }
}
