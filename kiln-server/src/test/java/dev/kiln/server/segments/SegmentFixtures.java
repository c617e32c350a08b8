package dev.kiln.server.segments;

import static dev.kiln.server.testing.TestJson.fieldNames;
import static dev.kiln.server.testing.TestJson.json;
import static dev.kiln.server.testing.TestJson.quote;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.AbstractStringAssert;

/**
 * Helpers shared by the HTTP-level segment tests: the segment API calls with their success shapes
 * asserted, and a small population of users whose expected segment sizes are known.
 */
public final class SegmentFixtures {
  private SegmentFixtures() {}

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** POSTs well-formed JSON (a typo in a test fails here, not on the server). */
  static Response post(RunningKiln kiln, String path, String body) {
    json(body);
    return kiln.post(path, body);
  }

  // --- the segment API ---

  /** POST /segments/create with a raw body. */
  static Response create(RunningKiln kiln, String body) {
    return post(kiln, "/segments/create", body);
  }

  /**
   * Creates {"name": name, "filter": filter}, expects 201 {"message":"success","segment_id":...},
   * returns the id.
   */
  public static String createOk(RunningKiln kiln, String name, String filter) {
    return createOk(kiln, "{\"name\":" + quote(name) + ",\"filter\":" + filter + "}");
  }

  /**
   * Creates with a raw body, expects 201 {"message":"success","segment_id":...}, returns the id.
   */
  public static String createOk(RunningKiln kiln, String body) {
    Response response = create(kiln, body);
    assertThat(response.status()).as("status of create %s: %s", body, response).isEqualTo(201);
    JsonNode answer = response.json();
    assertThat(fieldNames(answer))
        .as("fields of %s", response)
        .containsExactlyInAnyOrder("message", "segment_id");
    assertThat(answer.path("message").asText()).isEqualTo("success");
    assertThat(answer.path("segment_id").isTextual()).as("segment_id of %s", response).isTrue();
    assertThat(answer.path("segment_id").asText()).isNotBlank();
    return answer.path("segment_id").asText();
  }

  static Response update(RunningKiln kiln, String body) {
    return post(kiln, "/segments/update", body);
  }

  /** Updates and expects 200 {"message":"success"}. */
  static void updateOk(RunningKiln kiln, String body) {
    assertSuccess(update(kiln, body), "update " + body);
  }

  static Response delete(RunningKiln kiln, String segmentId) {
    return post(kiln, "/segments/delete", "{\"segment_id\":" + quote(segmentId) + "}");
  }

  static Response sizeResponse(RunningKiln kiln, String segmentId) {
    return kiln.get("/segments/size?segment_id=" + encode(segmentId));
  }

  /** GET /segments/size, expecting 200 {"message":"success","size":N}; returns N. */
  public static long size(RunningKiln kiln, String segmentId) {
    Response response = sizeResponse(kiln, segmentId);
    assertThat(response.status())
        .as("status of size of %s: %s", segmentId, response)
        .isEqualTo(200);
    JsonNode answer = response.json();
    assertThat(fieldNames(answer))
        .as("fields of %s", response)
        .containsExactlyInAnyOrder("message", "size");
    assertThat(answer.path("message").asText()).isEqualTo("success");
    assertThat(answer.path("size").isIntegralNumber()).as("size of %s", response).isTrue();
    return answer.path("size").asLong();
  }

  static Response detailsResponse(RunningKiln kiln, String segmentId) {
    return kiln.get("/segments/details?segment_id=" + encode(segmentId));
  }

  /**
   * GET /segments/details, expecting 200 and exactly Braze's fields (docs/braze-reference.md
   * section 10).
   */
  static JsonNode details(RunningKiln kiln, String segmentId) {
    Response response = detailsResponse(kiln, segmentId);
    assertThat(response.status())
        .as("status of details of %s: %s", segmentId, response)
        .isEqualTo(200);
    JsonNode answer = response.json();
    assertThat(fieldNames(answer))
        .as("fields of %s", response)
        .containsExactlyInAnyOrder(
            "message",
            "created_at",
            "updated_at",
            "name",
            "description",
            "text_description",
            "tags",
            "teams");
    assertThat(answer.path("message").asText()).isEqualTo("success");
    return answer;
  }

  static Response listResponse(RunningKiln kiln, String query) {
    return kiln.get("/segments/list" + query);
  }

  /**
   * GET /segments/list with this query ("" or "?page=1..."), expecting 200; returns the segments
   * array.
   */
  static JsonNode list(RunningKiln kiln, String query) {
    Response response = listResponse(kiln, query);
    assertThat(response.status()).as("status of list%s: %s", query, response).isEqualTo(200);
    JsonNode answer = response.json();
    assertThat(fieldNames(answer))
        .as("fields of %s", response)
        .containsExactlyInAnyOrder("message", "segments");
    assertThat(answer.path("message").asText()).isEqualTo("success");
    assertThat(answer.path("segments").isArray()).isTrue();
    return answer.path("segments");
  }

  /** The ids of a list page, in order. */
  static List<String> ids(JsonNode segments) {
    List<String> ids = new ArrayList<>();
    segments.forEach(item -> ids.add(item.path("id").asText()));
    return ids;
  }

  /** The list item with this id, or null. */
  static JsonNode item(JsonNode segments, String id) {
    for (JsonNode item : segments) {
      if (id.equals(item.path("id").asText())) {
        return item;
      }
    }
    return null;
  }

  static void assertSuccess(Response response, String what) {
    assertThat(response.status()).as("status of %s: %s", what, response).isEqualTo(200);
    assertThat(response.json()).as("body of %s", what).isEqualTo(json("{\"message\":\"success\"}"));
  }

  /**
   * The response has this status and a body of exactly {"message": ...} whose message starts with
   * the prefix; returns an assertion on the message for more checks.
   */
  static AbstractStringAssert<?> assertError(Response response, int status, String messagePrefix) {
    assertThat(response.status()).as("status of %s", response).isEqualTo(status);
    JsonNode answer = response.json();
    assertThat(fieldNames(answer)).as("fields of %s", response).containsExactly("message");
    String message = answer.path("message").asText();
    assertThat(message).as("message of %s", response).startsWith(messagePrefix);
    return assertThat(message).as("message of %s", response);
  }

  // --- filters ---

  /**
   * The predicate that keeps a test's users apart from every other test's users on a shared server.
   */
  public static String inCohort(String cohort) {
    return "{\"custom_attribute\":\"cohort\",\"op\":\"equals\",\"value\":" + quote(cohort) + "}";
  }

  /** {"and": [cohort predicate, filter]}: the filter, restricted to one test's users. */
  public static String within(String cohort, String filter) {
    return "{\"and\":[" + inCohort(cohort) + "," + filter + "]}";
  }

  /** One entry of a KILN_SEGMENTS_FILE; {@code extra} is more fields, or empty. */
  static String fileEntry(String name, String extra, String filter) {
    return "{\"name\":"
        + quote(name)
        + (extra.isEmpty() ? "" : "," + extra)
        + ",\"filter\":"
        + filter
        + "}";
  }

  static String countryIs(String country) {
    return "{\"attribute\":\"country\",\"op\":\"equals\",\"value\":" + quote(country) + "}";
  }

  static String inSegment(String segmentId) {
    return "{\"segment\":" + quote(segmentId) + ",\"op\":\"in\"}";
  }

  static String notInSegment(String segmentId) {
    return "{\"segment\":" + quote(segmentId) + ",\"op\":\"not_in\"}";
  }

  // --- users ---

  /**
   * Tracks five users carrying {@code cohort}:
   *
   * <pre>
   * user  country  plan  score  watched_trailer
   * 1     US       pro   50     2 and 3 days ago
   * 2     US       free  10     40 days ago
   * 3     US       pro   30     -
   * 4     FR       pro   -      5 days ago
   * 5     FR       -     -      -
   * </pre>
   */
  static void trackPopulation(RunningKiln kiln, String cohort) {
    String c = quote(cohort);
    trackOk(
        kiln,
        """
        {"attributes":[
          {"external_id":%s,"country":"US","cohort":%s,"plan":"pro","score":50},
          {"external_id":%s,"country":"US","cohort":%s,"plan":"free","score":10},
          {"external_id":%s,"country":"US","cohort":%s,"plan":"pro","score":30},
          {"external_id":%s,"country":"FR","cohort":%s,"plan":"pro"},
          {"external_id":%s,"country":"FR","cohort":%s}
        ]}"""
            .formatted(
                user(cohort, 1),
                c,
                user(cohort, 2),
                c,
                user(cohort, 3),
                c,
                user(cohort, 4),
                c,
                user(cohort, 5),
                c),
        "\"attributes_processed\":5");
    trackOk(
        kiln,
        """
        {"events":[
          {"external_id":%s,"name":"watched_trailer","time":"%s"},
          {"external_id":%s,"name":"watched_trailer","time":"%s"},
          {"external_id":%s,"name":"watched_trailer","time":"%s"},
          {"external_id":%s,"name":"watched_trailer","time":"%s"}
        ]}"""
            .formatted(
                user(cohort, 1),
                daysAgo(2),
                user(cohort, 1),
                daysAgo(3),
                user(cohort, 2),
                daysAgo(40),
                user(cohort, 4),
                daysAgo(5)),
        "\"events_processed\":4");
  }

  /** The external_id of user n (1 to 5) of a population. */
  static String user(String cohort, int n) {
    return quote(cohort + "-user" + n);
  }

  static void trackOk(RunningKiln kiln, String body, String counts) {
    Response response = post(kiln, "/users/track", body);
    assertThat(response.status()).as("status of /users/track: %s", response).isEqualTo(201);
    assertThat(response.json())
        .as("body of /users/track")
        .isEqualTo(json("{\"message\":\"success\"," + counts + "}"));
  }

  static String daysAgo(long days) {
    return DateTimeFormatter.ISO_INSTANT.format(
        Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(days, ChronoUnit.DAYS));
  }
}
