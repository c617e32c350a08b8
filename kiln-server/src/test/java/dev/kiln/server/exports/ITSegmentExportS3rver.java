package dev.kiln.server.exports;

import static dev.kiln.server.exports.ExportStatuses.await;
import static dev.kiln.server.testing.TestJson.json;
import static dev.kiln.server.testing.TestJson.quote;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.export.s3.S3TestServer;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Segment exports to a second S3-compatible server, s3rver, which stores a body as it receives it:
 * an upload in the SDK's aws-chunked encoding (SigV4 streaming) would be kept with its chunk
 * framing ({@code 13e;chunk-signature=...}) around the bytes, silently, while the job reported
 * success. Each object read back must be the export file itself: a ZIP or gzip holding exactly the
 * lines /users/export/ids gives for the segment's users.
 */
class ITSegmentExportS3rver {
  private static final int USERS = 300;
  private static S3TestServer s3;
  private static RunningKiln kiln;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3TestServer.startS3rver();
    kiln =
        RunningKiln.start(
            Map.of(
                "KILN_S3_BUCKET",
                S3TestServer.BUCKET,
                "KILN_S3_REGION",
                S3TestServer.REGION,
                "KILN_S3_ENDPOINT",
                s3.endpoint().toString(),
                "KILN_S3_PATH_STYLE",
                "true",
                "KILN_S3_ACCESS_KEY_ID",
                s3.accessKeyId(),
                "KILN_S3_SECRET_ACCESS_KEY",
                s3.secretAccessKey()));
    List<String> attributes =
        IntStream.range(0, USERS)
            .mapToObj(
                n ->
                    "{\"external_id\":\"s3rver-%d\",\"first_name\":\"User %d\",\"plan\":\"p%d\"}"
                        .formatted(n, n, n % 5))
            .toList();
    for (int first = 0; first < USERS; first += 75) {
      Response tracked =
          kiln.post(
              "/users/track",
              "{\"attributes\":[" + String.join(",", attributes.subList(first, first + 75)) + "]}");
      assertThat(tracked.status()).as("tracking users: %s", tracked).isEqualTo(201);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    kiln.close();
    s3.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"zip", "gzip"})
  void everyObjectIsTheExportFileAsWritten(String format) throws Exception {
    String segmentId =
        kiln.post(
                "/segments/create",
                "{\"name\":%s,\"filter\":{\"and\":[]}}".formatted(quote("all-" + format)))
            .json()
            .path("segment_id")
            .asText();
    String fields = "[\"external_id\",\"first_name\",\"custom_attributes\"]";
    Response response =
        kiln.post(
            "/users/export/segment",
            "{\"segment_id\":%s,\"fields_to_export\":%s,\"output_format\":%s}"
                .formatted(quote(segmentId), fields, quote(format)));
    assertThat(response.status()).as("%s", response).isEqualTo(201);
    String objectPrefix = response.json().path("object_prefix").asText();
    await(kiln, objectPrefix, "state", "succeeded", Duration.ofSeconds(60));

    List<S3Object> objects =
        s3.client()
            .listObjectsV2(
                request ->
                    request.bucket(S3TestServer.BUCKET).prefix("segment-export/" + segmentId + "/"))
            .contents();
    assertThat(objects)
        .singleElement()
        .satisfies(
            object ->
                assertThat(object.key())
                    .contains("/" + objectPrefix + "/")
                    .endsWith(format.equals("zip") ? ".zip" : ".gz"));
    String key = objects.getFirst().key();
    byte[] stored =
        s3.client()
            .getObjectAsBytes(request -> request.bucket(S3TestServer.BUCKET).key(key))
            .asByteArray();
    assertThat(
            new String(
                Arrays.copyOf(stored, Math.min(stored.length, 200)), StandardCharsets.ISO_8859_1))
        .as("the object's first bytes")
        .doesNotContain("chunk-signature");
    List<String> lines = ExportDownloads.lines(key.substring(key.lastIndexOf('/') + 1), stored);

    assertThat(lines).hasSize(USERS);
    assertThat(lines.stream().map(line -> json(line).path("external_id").asText()).distinct())
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, USERS).mapToObj(n -> "s3rver-" + n).toList());
    for (int first = 0; first < USERS; first += 50) {
      List<String> batch = lines.subList(first, first + 50);
      String ids =
          batch.stream()
              .map(line -> quote(json(line).path("external_id").asText()))
              .collect(Collectors.joining(","));
      String byIds =
          kiln.post(
                  "/users/export/ids",
                  "{\"external_ids\":[" + ids + "],\"fields_to_export\":" + fields + "}")
              .body();
      batch.forEach(
          line -> assertThat(byIds).as("/users/export/ids writes the line").contains(line));
    }
  }
}
