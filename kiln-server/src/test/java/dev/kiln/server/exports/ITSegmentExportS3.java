package dev.kiln.server.exports;

import static dev.kiln.server.testing.TestJson.json;
import static dev.kiln.server.testing.TestJson.quote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.export.s3.S3TestServer;
import dev.kiln.server.testing.CallbackReceiver;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Segment exports to the operator's bucket, on a real S3-compatible server (S3Proxy): objects at
 * Braze's key layout, responses and callbacks without a url, every line as /users/export/ids writes
 * it.
 */
class ITSegmentExportS3 {
  private static final int USERS = 5_120; // two files: 5,000 + 120
  private static S3TestServer s3;
  private static RunningKiln kiln;
  private static final CallbackReceiver RECEIVER = CallbackReceiver.start();

  @BeforeAll
  static void start() throws Exception {
    s3 = S3TestServer.start();
    kiln = RunningKiln.start(s3Env(S3TestServer.BUCKET));
    for (int first = 0; first < USERS; first += 75) {
      List<String> attributes = new ArrayList<>();
      for (int n = first; n < Math.min(first + 75, USERS); n++) {
        attributes.add(
            "{\"external_id\":\"s3-user-%d\",\"first_name\":\"User %d\",\"plan\":\"%s\"}"
                .formatted(n, n, n % 2 == 0 ? "pro" : "free"));
      }
      assertThat(
              kiln.post("/users/track", "{\"attributes\":[" + String.join(",", attributes) + "]}")
                  .status())
          .isEqualTo(201);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    kiln.close();
    s3.close();
    RECEIVER.close();
  }

  private static Map<String, String> s3Env(String bucket) {
    Map<String, String> env = new HashMap<>();
    env.put("KILN_S3_BUCKET", bucket);
    env.put("KILN_S3_REGION", S3TestServer.REGION);
    env.put("KILN_S3_ENDPOINT", s3.endpoint().toString());
    env.put("KILN_S3_PATH_STYLE", "true");
    env.put("KILN_S3_ACCESS_KEY_ID", S3TestServer.ACCESS_KEY_ID);
    env.put("KILN_S3_SECRET_ACCESS_KEY", S3TestServer.SECRET_ACCESS_KEY);
    env.put("KILN_CALLBACK_ALLOW_PRIVATE", "true");
    return env;
  }

  @Test
  void zipFilesLandAtBrazesKeysAndTheCallbackHasNoUrl() throws Exception {
    String segmentId =
        kiln.post("/segments/create", "{\"name\":\"all\",\"filter\":{\"and\":[]}}")
            .json()
            .path("segment_id")
            .asText();
    String fields = "[\"external_id\",\"first_name\",\"custom_attributes\"]";
    Response response =
        kiln.post(
            "/users/export/segment",
            "{\"segment_id\":%s,\"fields_to_export\":%s,\"callback_endpoint\":%s}"
                .formatted(quote(segmentId), fields, quote(RECEIVER.url())));
    assertThat(response.status()).as("%s", response).isEqualTo(201);
    JsonNode answer = response.json();
    assertThat(answer.has("url"))
        .as("no url with the operator's own storage: %s", answer)
        .isFalse();
    String objectPrefix = answer.path("object_prefix").asText();

    assertThat(json(RECEIVER.next(Duration.ofSeconds(60)))).isEqualTo(json("{\"success\":true}"));

    String prefix = keyPrefix(segmentId, objectPrefix);
    List<S3Object> objects =
        s3.client()
            .listObjectsV2(request -> request.bucket(S3TestServer.BUCKET).prefix(prefix))
            .contents();
    assertThat(objects).hasSize(2);
    List<String> lines = new ArrayList<>();
    for (S3Object object : objects) {
      String name = object.key().substring(prefix.length());
      assertThat(name).matches("[0-9a-f]{32}\\.zip");
      byte[] bytes =
          s3.client()
              .getObjectAsBytes(request -> request.bucket(S3TestServer.BUCKET).key(object.key()))
              .asByteArray();
      lines.addAll(ExportDownloads.lines(name, bytes));
    }
    assertThat(lines).hasSize(USERS);
    for (int first = 0; first < lines.size(); first += 50) {
      List<String> batch = lines.subList(first, Math.min(first + 50, lines.size()));
      Response byIds =
          kiln.post(
              "/users/export/ids",
              "{\"external_ids\":["
                  + batch.stream()
                      .map(line -> quote(json(line).path("external_id").asText()))
                      .collect(Collectors.joining(","))
                  + "],\"fields_to_export\":"
                  + fields
                  + "}");
      batch.forEach(line -> assertThat(byIds.body()).contains(line));
    }
    JsonNode status = kiln.get("/users/export/status?object_prefix=" + objectPrefix).json();
    assertThat(status.has("url")).isFalse();
    assertThat(status.path("files_written").asInt()).isEqualTo(2);
  }

  @Test
  void gzipFilesEndInGz() throws Exception {
    String segmentId =
        kiln.post(
                "/segments/create",
                "{\"name\":\"pro\",\"filter\":{\"custom_attribute\":\"plan\",\"op\":\"equals\",\"value\":\"pro\"}}")
            .json()
            .path("segment_id")
            .asText();
    Response response =
        kiln.post(
            "/users/export/segment",
            "{\"segment_id\":%s,\"fields_to_export\":[\"external_id\"],\"output_format\":\"gzip\"}"
                .formatted(quote(segmentId)));
    String objectPrefix = response.json().path("object_prefix").asText();
    Instant deadline = Instant.now().plusSeconds(60);
    while (!kiln.get("/users/export/status?object_prefix=" + objectPrefix)
        .json()
        .path("state")
        .asText()
        .equals("succeeded")) {
      assertThat(Instant.now()).as("the export finishes").isBefore(deadline);
      Thread.sleep(100);
    }
    String prefix = keyPrefix(segmentId, objectPrefix);
    List<S3Object> objects =
        s3.client()
            .listObjectsV2(request -> request.bucket(S3TestServer.BUCKET).prefix(prefix))
            .contents();
    assertThat(objects)
        .singleElement()
        .satisfies(object -> assertThat(object.key()).endsWith(".gz"));
    byte[] bytes =
        s3.client()
            .getObjectAsBytes(
                request -> request.bucket(S3TestServer.BUCKET).key(objects.getFirst().key()))
            .asByteArray();
    assertThat(ExportDownloads.lines("file.gz", bytes)).hasSize(USERS / 2);
  }

  /**
   * Braze's layout; the date is the UTC day of the request, the seconds that end the object_prefix.
   */
  private static String keyPrefix(String segmentId, String objectPrefix) {
    long requestedAt = Long.parseLong(objectPrefix.substring(objectPrefix.lastIndexOf('-') + 1));
    LocalDate day = LocalDate.ofInstant(Instant.ofEpochSecond(requestedAt), ZoneOffset.UTC);
    return "segment-export/" + segmentId + "/" + day + "/" + objectPrefix + "/";
  }

  @Test
  void anExportThatCannotStoreItsFilesFailsAndSaysSoInItsCallback() throws Exception {
    s3.createBucket("short-lived");
    try (RunningKiln own = RunningKiln.start(s3Env("short-lived"));
        CallbackReceiver receiver = CallbackReceiver.start()) {
      own.post("/users/track", "{\"attributes\":[{\"external_id\":\"lonely\"}]}");
      String segmentId =
          own.post("/segments/create", "{\"name\":\"all\",\"filter\":{\"and\":[]}}")
              .json()
              .path("segment_id")
              .asText();
      s3.client().deleteBucket(request -> request.bucket("short-lived"));

      Response response =
          own.post(
              "/users/export/segment",
              "{\"segment_id\":%s,\"callback_endpoint\":%s}"
                  .formatted(quote(segmentId), quote(receiver.url())));
      assertThat(response.status()).isEqualTo(201);
      JsonNode callback = json(receiver.next(Duration.ofSeconds(60)));
      assertThat(callback.path("success").asBoolean(true)).as("callback %s", callback).isFalse();
      assertThat(callback.path("reason").asText()).contains("could not be stored", "short-lived");
      JsonNode status =
          own.get(
                  "/users/export/status?object_prefix="
                      + response.json().path("object_prefix").asText())
              .json();
      assertThat(status.path("state").asText()).isEqualTo("failed");
      assertThat(status.path("error").asText()).isEqualTo(callback.path("reason").asText());
    }
  }

  @Test
  void aMissingBucketStopsTheStartNamingIt() {
    assertThatThrownBy(() -> RunningKiln.start(s3Env("no-such-bucket")).close())
        .hasMessageContaining("no-such-bucket")
        .hasMessageContaining("S3");
  }
}
