package dev.kiln.server.exports;

import static dev.kiln.server.testing.TestJson.json;
import static dev.kiln.server.testing.TestJson.quote;
import static dev.kiln.server.testing.TestJson.uid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.CallbackReceiver;
import dev.kiln.server.testing.FixedBackend;
import dev.kiln.server.testing.KilnProcess;
import dev.kiln.server.testing.RunningKiln.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A segment export interrupted in the middle, with the shipped jar as a real process: killed
 * (SIGKILL, as a crash or an OOM killer does) or stopped (SIGTERM). A restart on the same data
 * folder finishes the export from its last complete file: every member of the segment is in the
 * download exactly once, and the callback is sent once.
 */
@FixedBackend(
    "starts the shipped jar on a SQLite data folder: the build's choice of store does not reach a child "
        + "process")
class ITExportCrash {
  /**
   * Twelve files. On 2 cores the export takes 1 to 2 s and checkpoints its first file after about a
   * third of that: time enough for a SIGKILL, or a SIGTERM, to land in the middle. Loading takes
   * about 9 s.
   */
  private static final int USERS = 60_000;

  private static final int USERS_PER_FILE = 5_000; // docs/exports.md
  private static final int FILES = (USERS + USERS_PER_FILE - 1) / USERS_PER_FILE;
  private static final int USERS_PER_REQUEST =
      75; // Braze's limit of attributes per /users/track request
  private static final int PARALLEL_REQUESTS = 4;

  /** Short, so the restarted node takes the dead node's job over soon after it starts. */
  private static final int CRASH_LEASE_SECONDS = 3;

  /**
   * Longer than {@link #FINISH_TIMEOUT}: a stopping node must give its lease back, else the
   * restarted node could not resume the job within the timeout.
   */
  private static final int STOP_LEASE_SECONDS = 300;

  private static final Duration FINISH_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration MIDWAY_TIMEOUT = Duration.ofSeconds(60);
  private static final String SECRET = "export-crash-secret";

  @TempDir Path dataDir;
  @TempDir Path workDir; // the processes' output and config files, apart from the data folder

  private final String cohort = uid("crash");
  private final CallbackReceiver receiver = CallbackReceiver.start();
  private final int port = KilnProcess.freePort();
  private KilnProcess kiln;
  private HttpClient http;

  /** One requested export: its object_prefix and download link. */
  private record Export(String objectPrefix, String url) {}

  @BeforeAll
  static void theJarIsBuilt() {
    assertThat(KilnProcess.JAR)
        .as("the shaded jar (built by `package`, before Failsafe runs)")
        .isRegularFile();
  }

  @AfterEach
  void stopEverything() {
    if (http != null) {
      http.close();
    }
    if (kiln != null) {
      kiln.close();
    }
    receiver.close();
  }

  @Test
  void anExportKilledMidwayIsFinishedAfterARestartAndCalledBackOnce() throws Exception {
    Map<String, String> settings = settings(CRASH_LEASE_SECONDS);
    serve(settings);
    loadCohort();
    Export export = requestExport(createSegment(), "gzip");
    awaitFirstFileWhileRunning(export);

    assertThat(kiln.kill())
        .as("exit code of a JVM killed by SIGKILL")
        .isEqualTo(KilnProcess.EXIT_SIGKILL);
    assertThat(kiln.stderr())
        .as("no shutdown hook runs after SIGKILL")
        .doesNotContain("Kiln stopped");
    assertInterruptedBeforeItsEnd(export);

    serve(settings);
    assertFinishedWithEveryMemberOnce(export, ".gz");
    assertThat(halfWrittenFiles(export))
        .as("files the killed node was writing are cleared")
        .isEmpty();
  }

  private List<Path> halfWrittenFiles(Export export) throws IOException {
    Path work = dataDir.resolve("exports").resolve(".work");
    try (Stream<Path> files = Files.list(work)) {
      return files
          .filter(file -> file.getFileName().toString().startsWith(export.objectPrefix()))
          .toList();
    }
  }

  @Test
  void anExportStoppedMidwayIsFinishedAfterARestartWithoutWaitingForItsLease() throws Exception {
    Map<String, String> settings = settings(STOP_LEASE_SECONDS);
    serve(settings);
    loadCohort();
    Export export = requestExport(createSegment(), "zip");
    awaitFirstFileWhileRunning(export);

    assertThat(terminate()).as("exit code after SIGTERM").isEqualTo(KilnProcess.EXIT_SIGTERM);
    assertThat(kiln.stderr()).as("a clean stop").contains("Kiln stopped").doesNotContain("ERROR");
    assertInterruptedBeforeItsEnd(export);

    serve(settings);
    assertFinishedWithEveryMemberOnce(export, ".zip");
  }

  // --- the steps ---

  /** Starts the jar on the test's data folder, and a client of its own to call it. */
  private void serve(Map<String, String> settings) throws IOException, InterruptedException {
    if (http != null) {
      http.close(); // the client of the killed process
    }
    kiln = KilnProcess.serve(dataDir, workDir, settings);
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /**
   * Stops the server with SIGTERM once the client's connections are closed: the server's graceful
   * stop waits for idle keep-alive connections (about 2 s on a 2-core machine) before it stops its
   * export worker, and the export, which goes on meanwhile, could end before the stop reaches it.
   */
  private int terminate() throws InterruptedException {
    http.close();
    http = null;
    return kiln.terminate();
  }

  private Map<String, String> settings(int leaseSeconds) {
    Map<String, String> settings = new HashMap<>();
    settings.put("KILN_PORT", Integer.toString(port));
    settings.put("KILN_HOST", "127.0.0.1");
    settings.put("KILN_PUBLIC_URL", "http://127.0.0.1:" + port);
    settings.put("KILN_API_KEY", SECRET);
    settings.put("KILN_CALLBACK_ALLOW_PRIVATE", "true"); // the receiver is on loopback
    settings.put("KILN_EXPORT_LEASE_SECONDS", Integer.toString(leaseSeconds));
    return settings;
  }

  /**
   * Tracks the cohort's users, a few requests at a time, so loading takes a fraction of the test.
   */
  private void loadCohort() throws Exception {
    List<Callable<Response>> requests = new ArrayList<>();
    for (int first = 0; first < USERS; first += USERS_PER_REQUEST) {
      String body = trackBody(first, Math.min(first + USERS_PER_REQUEST, USERS));
      requests.add(() -> post("/users/track", body));
    }
    ExecutorService clients = Executors.newFixedThreadPool(PARALLEL_REQUESTS);
    try {
      for (Future<Response> tracked : clients.invokeAll(requests)) {
        assertThat(tracked.get().status()).as("tracking users: %s", tracked.get()).isEqualTo(201);
      }
    } finally {
      clients.shutdownNow();
    }
  }

  private String trackBody(int first, int end) {
    String attributes =
        IntStream.range(first, end)
            .mapToObj(
                n ->
                    """
            {"external_id":%s,"first_name":"User %d","country":"%s","cohort":%s,"score":%d}"""
                        .formatted(
                            quote(externalId(n)), n, n % 3 == 0 ? "US" : "FR", quote(cohort), n))
            .collect(Collectors.joining(","));
    return "{\"attributes\":[" + attributes + "]}";
  }

  private String createSegment() {
    Response created =
        post(
            "/segments/create",
            """
        {"name":%s,"filter":{"custom_attribute":"cohort","op":"equals","value":%s}}"""
                .formatted(quote(cohort), quote(cohort)));
    assertThat(created.status()).as("creating the segment: %s", created).isEqualTo(201);
    return created.json().path("segment_id").asText();
  }

  private Export requestExport(String segmentId, String format) {
    Response requested =
        post(
            "/users/export/segment",
            """
        {"segment_id":%s,"fields_to_export":["external_id","first_name"],"output_format":%s,"callback_endpoint":%s}"""
                .formatted(quote(segmentId), quote(format), quote(receiver.url())));
    assertThat(requested.status()).as("export request: %s", requested).isEqualTo(201);
    return new Export(
        requested.json().path("object_prefix").asText(), requested.json().path("url").asText());
  }

  /**
   * Waits until the export has checkpointed a file and is still writing. An export that ends before
   * that cannot be interrupted in the middle: the test fails rather than prove nothing.
   */
  private void awaitFirstFileWhileRunning(Export export) throws InterruptedException {
    long deadline = System.nanoTime() + MIDWAY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode status = status(export);
      String state = status.path("state").asText();
      if (state.equals("succeeded") || state.equals("failed")) {
        throw new AssertionError(
            "the export ended before it could be interrupted (raise USERS so that it runs "
                + "longer): "
                + status);
      }
      if (state.equals("running") && status.path("files_written").asInt() >= 1) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError(
        "the export wrote no file within " + MIDWAY_TIMEOUT + ": " + status(export));
  }

  /**
   * The interruption came before the export's end: its files were never bundled (the bundle is made
   * once the last file is written) and no callback went out.
   */
  private void assertInterruptedBeforeItsEnd(Export export) {
    Path folder = dataDir.resolve("exports").resolve(export.objectPrefix());
    assertThat(folder.resolve("export.zip"))
        .as("the export ended before it could be interrupted (raise USERS so that it runs longer)")
        .doesNotExist();
    assertThat(receiver.received()).as("callbacks before the restart").isEmpty();
  }

  /**
   * After the restart: the export succeeds, its callback is sent once, and the download holds every
   * member of the cohort exactly once, none lost and none repeated by a file rewritten after the
   * restart.
   */
  private void assertFinishedWithEveryMemberOnce(Export export, String extension) throws Exception {
    JsonNode status = awaitSucceededAndCalledBack(export);
    assertThat(status.path("users_written").asLong())
        .as("users_written: %s", status)
        .isEqualTo(USERS);
    assertThat(status.path("files_written").asInt())
        .as("files_written: %s", status)
        .isEqualTo(FILES);
    assertThat(receiver.received())
        .as("callbacks received")
        .singleElement()
        .satisfies(
            body ->
                assertThat(json(body))
                    .isEqualTo(
                        json(
                            "{\"success\":true,\"url\":"
                                + quote(status.path("url").asText())
                                + "}")));

    HttpResponse<byte[]> download = ExportDownloads.download(export.url());
    assertThat(download.statusCode()).as("download of %s", export.url()).isEqualTo(200);
    // Listed apart from the map of entries, which would hide a file bundled twice under one name.
    assertThat(entryNames(download.body()))
        .as("files in the bundle")
        .hasSize(FILES)
        .doesNotHaveDuplicates();
    Map<String, byte[]> files = ExportDownloads.entries(download.body());
    List<String> externalIds = new ArrayList<>();
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      assertThat(file.getKey()).matches("[0-9a-f]{32}\\" + extension);
      for (String line : ExportDownloads.lines(file.getKey(), file.getValue())) {
        externalIds.add(json(line).path("external_id").asText());
      }
    }
    assertEveryMemberOnce(externalIds);
  }

  private JsonNode awaitSucceededAndCalledBack(Export export) throws InterruptedException {
    long deadline = System.nanoTime() + FINISH_TIMEOUT.toNanos();
    JsonNode status = status(export);
    while (System.nanoTime() < deadline) {
      status = status(export);
      if (status.path("state").asText().equals("failed")
          || status.path("callback").asText().equals("failed")) {
        throw new AssertionError(
            "the resumed export failed: " + status + "\nstderr:\n" + kiln.stderr());
      }
      if (status.path("state").asText().equals("succeeded")
          && status.path("callback").asText().equals("sent")) {
        return status;
      }
      Thread.sleep(100);
    }
    // A job still running here is most likely held by a lease the interrupted node left behind.
    throw new AssertionError(
        "the export did not succeed and call back within "
            + FINISH_TIMEOUT
            + " of the restart "
            + "(is a lease of the interrupted node still holding it?): "
            + status
            + "\nstderr:\n"
            + kiln.stderr());
  }

  private void assertEveryMemberOnce(List<String> externalIds) {
    Map<String, Long> timesWritten =
        externalIds.stream()
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    Set<String> repeated = new TreeSet<>();
    timesWritten.forEach(
        (id, times) -> {
          if (times > 1) {
            repeated.add(id);
          }
        });
    Set<String> missing = new TreeSet<>();
    for (int n = 0; n < USERS; n++) {
      if (!timesWritten.containsKey(externalId(n))) {
        missing.add(externalId(n));
      }
    }
    assertThat(repeated).as("users written more than once (%d)", repeated.size()).isEmpty();
    assertThat(missing).as("users not written (%d)", missing.size()).isEmpty();
    assertThat(externalIds).as("lines in the export").hasSize(USERS);
  }

  private static List<String> entryNames(byte[] zip) throws IOException {
    List<String> names = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        names.add(entry.getName());
      }
    }
    return names;
  }

  // --- HTTP ---

  private JsonNode status(Export export) {
    Response status = get("/users/export/status?object_prefix=" + export.objectPrefix());
    assertThat(status.status()).as("export status: %s", status).isEqualTo(200);
    return status.json();
  }

  private Response post(String path, String json) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private Response get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
  }

  private Response send(HttpRequest.Builder request) {
    return Response.send(
        http,
        request.header("Authorization", "Bearer " + SECRET).timeout(KilnProcess.BOUND).build());
  }

  private URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port + pathAndQuery);
  }

  private String externalId(int n) {
    return cohort + "-" + n;
  }
}
