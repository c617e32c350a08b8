package dev.kiln.server.exports;

import static dev.kiln.server.testing.TestJson.json;
import static dev.kiln.server.testing.TestJson.quote;
import static dev.kiln.server.testing.TestJson.uid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.export.DownloadLinks;
import dev.kiln.export.ExpiredExports;
import dev.kiln.export.LocalExportSink;
import dev.kiln.server.testing.CallbackReceiver;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * POST /users/export/segment end to end on Kiln's own storage: the signed URL is downloaded and
 * unpacked, and every line is compared, byte for byte, with what /users/export/ids answers for the
 * same user and fields. Which changes to a link make it no link (expiry, signature, another export
 * or key) is DownloadLinksTest's (kiln-export); here, the 403 one such link gets.
 */
class ITSegmentExport {
  private static final int USERS = 10_500; // three files: 5,000 + 5,000 + 500
  private static final String COHORT = uid("export");
  private static final CallbackReceiver RECEIVER = CallbackReceiver.start();
  private static RunningKiln kiln;

  @BeforeAll
  static void populate() {
    kiln = RunningKiln.start(Map.of("KILN_CALLBACK_ALLOW_PRIVATE", "true"));
    for (int first = 0; first < USERS; first += 75) {
      List<String> attributes = new ArrayList<>();
      List<String> events = new ArrayList<>();
      List<String> purchases = new ArrayList<>();
      for (int n = first; n < Math.min(first + 75, USERS); n++) {
        attributes.add(
            """
            {"external_id":%s,"first_name":"User %d","country":"%s","cohort":%s,"score":%d,"tags":["t%d"]}"""
                .formatted(
                    quote(externalId(n)), n, n % 3 == 0 ? "US" : "FR", quote(COHORT), n, n % 7));
        if (n % 4 == 0) {
          events.add(
              "{\"external_id\":%s,\"name\":\"opened\",\"time\":\"%s\"}"
                  .formatted(quote(externalId(n)), Instant.now()));
        }
        if (n % 10 == 0) {
          purchases.add(
              "{\"external_id\":%s,\"product_id\":\"sku\",\"currency\":\"USD\",\"price\":1.5,\"time\":\"%s\"}"
                  .formatted(quote(externalId(n)), Instant.now()));
        }
      }
      Response tracked =
          kiln.post(
              "/users/track",
              "{\"attributes\":["
                  + String.join(",", attributes)
                  + "],\"events\":["
                  + String.join(",", events)
                  + "],\"purchases\":["
                  + String.join(",", purchases)
                  + "]}");
      assertThat(tracked.status()).as("tracking users: %s", tracked).isEqualTo(201);
    }
  }

  /** A segment of the whole population, of its own, so exports of different tests never overlap. */
  private static String newSegment() {
    Response created =
        kiln.post(
            "/segments/create",
            """
        {"name":%s,"filter":{"custom_attribute":"cohort","op":"equals","value":%s}}"""
                .formatted(quote(uid("all")), quote(COHORT)));
    assertThat(created.status()).as("creating the segment: %s", created).isEqualTo(201);
    return created.json().path("segment_id").asText();
  }

  @AfterAll
  static void stop() {
    kiln.close();
    RECEIVER.close();
  }

  private static String externalId(int n) {
    return COHORT + "-" + n;
  }

  @Test
  void zipExportHoldsEveryMemberAsExportIdsWritesThem() throws Exception {
    String segmentId = newSegment();
    String fields =
        "[\"external_id\",\"first_name\",\"country\",\"custom_attributes\",\"custom_events\",\"purchases\",\"total_revenue\"]";
    Response response =
        kiln.post(
            "/users/export/segment",
            """
        {"segment_id":%s,"fields_to_export":%s,"callback_endpoint":%s}"""
                .formatted(quote(segmentId), fields, quote(RECEIVER.url())));
    assertThat(response.status()).as("export request: %s", response).isEqualTo(201);
    JsonNode answer = response.json();
    String objectPrefix = answer.path("object_prefix").asText();
    assertThat(objectPrefix)
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[0-9]{10}");
    String url = answer.path("url").asText();
    assertThat(url)
        .as("a link at KILN_PUBLIC_URL, by default localhost and the port")
        .startsWith(
            "http://localhost:"
                + kiln.uri("/").getPort()
                + "/users/export/download/"
                + objectPrefix
                + "?expires=");

    JsonNode callback = json(RECEIVER.next(Duration.ofSeconds(60)));
    // The receiver answers before the server records the delivery.
    JsonNode status = awaitStatus(objectPrefix, "callback", "sent");
    String readyLink = status.path("url").asText();
    assertThat(readyLink)
        .as("the link of a ready export runs from when it was ready")
        .endsWith(
            expiresParameter(status.path("url_expires_at").asText())
                + "&signature="
                + signatureOf(readyLink));
    assertThat(callback).isEqualTo(json("{\"success\":true,\"url\":" + quote(readyLink) + "}"));
    assertThat(status.path("state").asText()).isEqualTo("succeeded");
    assertThat(status.path("users_written").asLong()).isEqualTo(USERS);
    assertThat(status.path("files_written").asInt()).isEqualTo(3);

    List<String> lines = downloadedLines(url, ".zip");
    assertThat(lines).hasSize(USERS);
    assertSameAsExportIds(lines, fields);
  }

  @Test
  void gzipExportWritesGzFiles() throws Exception {
    String segmentId = newSegment();
    Response response =
        kiln.post(
            "/users/export/segment",
            """
        {"segment_id":%s,"fields_to_export":["external_id","braze_id"],"output_format":"gzip"}"""
                .formatted(quote(segmentId)));
    assertThat(response.status()).as("export request: %s", response).isEqualTo(201);
    String objectPrefix = response.json().path("object_prefix").asText();
    awaitState(objectPrefix, "succeeded");
    List<String> lines = downloadedLines(response.json().path("url").asText(), ".gz");
    assertThat(lines).hasSize(USERS);
    assertSameAsExportIds(lines, "[\"external_id\",\"braze_id\"]");
  }

  @Test
  void aSecondExportOfTheSegmentWhileTheFirstRunsIsRateLimited() {
    String segmentId = newSegment();
    String body =
        "{\"segment_id\":" + quote(segmentId) + ",\"fields_to_export\":[\"external_id\"]}";
    Response first = kiln.post("/users/export/segment", body);
    Response second = kiln.post("/users/export/segment", body);
    assertThat(first.status()).isEqualTo(201);
    assertThat(second.status()).as("second export: %s", second).isEqualTo(429);
    assertThat(second.json().path("message").asText()).contains(segmentId, "still running");
    awaitState(first.json().path("object_prefix").asText(), "succeeded");
    assertThat(kiln.post("/users/export/segment", body).status())
        .as("once the first is done")
        .isEqualTo(201);
  }

  @Test
  void aChangedLinkIsRefused() throws Exception {
    String url = finishedExportOfIds().path("url").asText();
    char last = url.charAt(url.length() - 1);
    String changedSignature = url.substring(0, url.length() - 1) + (last == '0' ? '1' : '0');
    HttpResponse<byte[]> refused = ExportDownloads.download(changedSignature);
    assertThat(refused.statusCode()).as("download of %s", changedSignature).isEqualTo(403);
    assertThat(json(new String(refused.body())))
        .isEqualTo(json("{\"message\":\"This download link is not valid\"}"));
    assertThat(ExportDownloads.download(url).statusCode()).isEqualTo(200);
  }

  private static String expiresParameter(String brazeTime) {
    return "?expires=" + Instant.parse(brazeTime).getEpochSecond();
  }

  private static String signatureOf(String url) {
    return url.replaceAll(".*&signature=", "");
  }

  @Test
  void aLinkPastItsHoursIsRefused() throws Exception {
    JsonNode export = finishedExportOfIds();
    String objectPrefix = export.path("object_prefix").asText();
    String url = export.path("url").asText();
    assertThat(ExportDownloads.download(url).statusCode()).as("within its hours").isEqualTo(200);

    // Five hours pass for this export (the default validity is four): its finish moves back in the
    // store.
    try (Connection db = DriverManager.getConnection(kiln.jdbcUrl());
        PreparedStatement update =
            db.prepareStatement(
                "UPDATE export_jobs SET finished_at = finished_at - ? WHERE object_prefix = ?")) {
      update.setLong(1, Duration.ofHours(5).toMillis());
      update.setString(2, objectPrefix);
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
    HttpResponse<byte[]> expired = ExportDownloads.download(url);
    assertThat(expired.statusCode()).isEqualTo(410);
    assertThat(json(new String(expired.body())))
        .isEqualTo(json("{\"message\":\"This download link has expired\"}"));

    // The sweep the server runs every 15 minutes deletes the expired export's files, and only
    // those.
    String fresh = finishedExportOfIds().path("object_prefix").asText();
    Path exports = kiln.dataDir().resolve("exports");
    DownloadLinks fourHours =
        new DownloadLinks(() -> URI.create("http://unused"), new byte[32], Duration.ofHours(4));
    new ExpiredExports(
            new LocalExportSink(exports), kiln.storage().exportJobs(), fourHours, Clock.systemUTC())
        .sweep();
    assertThat(exports.resolve(objectPrefix)).doesNotExist();
    assertThat(exports.resolve(fresh).resolve("export.zip")).isRegularFile();
  }

  @Test
  void badRequestsAreRefusedClearly() {
    // One refusal of each path; the other bad bodies: ExportSegmentRequestTest (kiln-ingest).
    String segmentId = newSegment();
    assertThat(kiln.post("/users/export/segment", "{\"segment_id\":\"no-such-segment\"}").status())
        .isEqualTo(404);
    Response badFormat =
        kiln.post(
            "/users/export/segment",
            "{\"segment_id\":" + quote(segmentId) + ",\"output_format\":\"rar\"}");
    assertThat(badFormat.status()).isEqualTo(400);
    assertThat(badFormat.json().path("message").asText()).contains("output_format");
    Response badCallback =
        kiln.post(
            "/users/export/segment",
            "{\"segment_id\":"
                + quote(segmentId)
                + ",\"callback_endpoint\":\"ftp://example.com/x\"}");
    assertThat(badCallback.status()).isEqualTo(400);
    assertThat(badCallback.json().path("message").asText()).contains("callback_endpoint");
    assertThat(kiln.get("/users/export/status?object_prefix=nope").status()).isEqualTo(404);
  }

  @Test
  void privateCallbackTargetsAreRefusedUnlessAllowed() {
    try (RunningKiln strict = RunningKiln.start()) {
      Response created =
          strict.post("/segments/create", "{\"name\":\"all\",\"filter\":{\"and\":[]}}");
      String id = created.json().path("segment_id").asText();
      Response refused =
          strict.post(
              "/users/export/segment",
              "{\"segment_id\":"
                  + quote(id)
                  + ",\"callback_endpoint\":"
                  + quote(RECEIVER.url())
                  + "}");
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.json())
          .as("the host named, not what it resolves to")
          .isEqualTo(
              json(
                  "{\"message\":\"callback_endpoint host '127.0.0.1' is not publicly reachable\"}"));
    }
  }

  /** The answer to an export of external_ids of a new segment, once the export has succeeded. */
  private static JsonNode finishedExportOfIds() {
    Response response =
        kiln.post(
            "/users/export/segment",
            "{\"segment_id\":" + quote(newSegment()) + ",\"fields_to_export\":[\"external_id\"]}");
    assertThat(response.status()).as("%s", response).isEqualTo(201);
    awaitState(response.json().path("object_prefix").asText(), "succeeded");
    return response.json();
  }

  private static void awaitState(String objectPrefix, String state) {
    awaitStatus(objectPrefix, "state", state);
  }

  private static JsonNode awaitStatus(String objectPrefix, String field, String value) {
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      JsonNode status = kiln.get("/users/export/status?object_prefix=" + objectPrefix).json();
      if (status.path(field).asText().equals(value)) {
        return status;
      }
      sleep();
    }
    throw new AssertionError("export " + objectPrefix + " did not reach " + field + " " + value);
  }

  private static void sleep() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static List<String> downloadedLines(String url, String extension) throws Exception {
    HttpResponse<byte[]> download = ExportDownloads.download(url);
    assertThat(download.statusCode()).as("download").isEqualTo(200);
    assertThat(download.headers().firstValue("content-type")).hasValue("application/zip");
    Map<String, byte[]> files = ExportDownloads.entries(download.body());
    assertThat(files).hasSize(3);
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      assertThat(file.getKey()).matches("[0-9a-f]{32}\\" + extension);
      lines.addAll(ExportDownloads.lines(file.getKey(), file.getValue()));
    }
    return lines;
  }

  /**
   * Every line is the exact text /users/export/ids gives for its user, and every user appears once.
   */
  private static void assertSameAsExportIds(List<String> lines, String fields) {
    Set<String> seen = new HashSet<>();
    for (int first = 0; first < lines.size(); first += 50) {
      List<String> batch = lines.subList(first, Math.min(first + 50, lines.size()));
      List<String> ids =
          batch.stream().map(line -> json(line).path("external_id").asText()).toList();
      seen.addAll(ids);
      Response byIds =
          kiln.post(
              "/users/export/ids",
              "{\"external_ids\":["
                  + ids.stream().map(id -> quote(id)).collect(Collectors.joining(","))
                  + "],\"fields_to_export\":"
                  + fields
                  + "}");
      assertThat(byIds.status()).isEqualTo(200);
      for (String line : batch) {
        assertThat(byIds.body())
            .as("/users/export/ids holds the exported line byte for byte")
            .contains(line);
      }
    }
    assertThat(seen)
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, USERS).mapToObj(ITSegmentExport::externalId).toList());
  }
}
