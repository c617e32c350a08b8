package dev.kiln.server.users;

import static dev.kiln.server.testing.TestJson.json;
import static dev.kiln.server.testing.TestJson.quote;
import static dev.kiln.server.track.TrackFixtures.assertBody;
import static dev.kiln.server.track.TrackFixtures.post;
import static dev.kiln.server.track.TrackFixtures.stringArray;
import static dev.kiln.server.users.UserManagementFixtures.exportLines;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.fuzz.StoreProbe;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import dev.kiln.server.testing.TestJson;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Helpers that only the HTTP-level tests of /users/delete, /users/external_ids/rename and
 * /users/external_ids/remove use (docs/user-management.md): the delete and remove calls, the error
 * texts of the three endpoints, reads of the store under the server, and a segment export run to
 * its end. What all user management tests share (the rename call among it) is in {@link
 * UserManagementFixtures}.
 */
final class DeleteFixtures {
  static final String TOO_MANY_IDS = "The max number of ids per request was exceeded";
  static final String BRAZE_IDS_STRINGS = "'braze_ids' must be an array of strings";

  static final String RENAMES_ARRAY = "'external_id_renames' must be an array of objects";
  static final String RENAMES_TOO_MANY =
      "a single request may not contain more than 50 external_id_renames";
  static final String RENAME_SHAPE =
      "each rename must have string 'current_external_id' and 'new_external_id'";
  static final String RENAME_TOO_LONG = "'new_external_id' must be fewer than 988 bytes";
  static final String RENAME_SAME = "'current_external_id' and 'new_external_id' must differ";
  static final String RENAME_UNKNOWN = "'current_external_id' does not name a user";
  static final String RENAME_DEPRECATED =
      "'current_external_id' is deprecated; only a primary external_id can be renamed";
  static final String RENAME_IN_USE = "'new_external_id' is already in use";

  static final String REMOVE_ARRAY = "'external_ids' must be an array";
  static final String REMOVE_TOO_MANY =
      "a single request may not contain more than 50 external_ids";
  static final String REMOVE_NOT_STRING = "each external_id must be a string";
  static final String REMOVE_UNKNOWN = "the external_id does not name a user";
  static final String REMOVE_PRIMARY =
      "the external_id is a primary one; only deprecated external_ids can be removed";

  private DeleteFixtures() {}

  // --- the endpoints ---

  static Response delete(RunningKiln kiln, String body) {
    return post(kiln, "/users/delete", body);
  }

  /** Deletes and expects exactly 201 {"deleted": n, "message": "success"}. */
  static void deleteOk(RunningKiln kiln, String body, int deleted) {
    assertBody(delete(kiln, body), 201, "{\"deleted\":" + deleted + ",\"message\":\"success\"}");
  }

  static Response remove(RunningKiln kiln, String body) {
    return post(kiln, "/users/external_ids/remove", body);
  }

  /** One [index, "text"] entry of rename_errors or removal_errors. */
  static String itemError(int index, String text) {
    return "[" + index + "," + quote(text) + "]";
  }

  // --- users ---

  /** An address no other test uses. */
  static String uniqueEmail() {
    return TestJson.uid("u").toLowerCase() + "@example.com";
  }

  /** The users /users/export/ids finds for this body (external_id and braze_id only). */
  static JsonNode exportIds(RunningKiln kiln, String body) {
    Response response = post(kiln, "/users/export/ids", body);
    assertThat(response.status()).as("status of export %s: %s", body, response).isEqualTo(200);
    return response.json();
  }

  /**
   * Waits until the server's clock has passed the moment of the call, so that whatever the server
   * writes next is stamped strictly later than anything it wrote before (for
   * most_recently_updated).
   */
  static void letAMillisecondPass() {
    long now = System.currentTimeMillis();
    while (System.currentTimeMillis() <= now + 1) {
      Thread.onSpinWait();
    }
  }

  /** n fresh external ids, none of which names a user. */
  static List<String> unknownIds(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> TestJson.uid(prefix + i)).toList();
  }

  /** A JSON array of these strings. */
  static String strings(List<String> values) {
    return stringArray(values.toArray(String[]::new));
  }

  // --- the store ---

  /** How many rows of custom_events or purchases have properties whose text holds the marker. */
  static long rowsMarked(RunningKiln kiln, String table, String marker) {
    assertThat(table).isIn("custom_events", "purchases");
    try (StoreProbe store = StoreProbe.open(kiln.jdbcUrl())) {
      return store
          .query(
              "SELECT COUNT(*) FROM " + table + " WHERE CAST(properties AS TEXT) LIKE ?",
              List.of("%" + marker + "%"),
              row -> row.getLong(1))
          .getFirst();
    }
  }

  /** How many rows of user_aliases hold this alias. */
  static long aliasRows(RunningKiln kiln, String aliasName, String label) {
    try (StoreProbe store = StoreProbe.open(kiln.jdbcUrl())) {
      return store
          .query(
              "SELECT COUNT(*) FROM user_aliases WHERE alias_name = ? AND alias_label = ?",
              List.of(aliasName, label),
              row -> row.getLong(1))
          .getFirst();
    }
  }

  // --- segment exports ---

  /**
   * Runs a segment export of external_ids, waits for it to succeed, and returns the exported ids.
   */
  static List<String> exportedSegmentIds(RunningKiln kiln, String segmentId)
      throws IOException, InterruptedException {
    Response requested =
        post(
            kiln,
            "/users/export/segment",
            "{\"segment_id\":" + quote(segmentId) + ",\"fields_to_export\":[\"external_id\"]}");
    assertThat(requested.status()).as("export request: %s", requested).isEqualTo(201);
    String objectPrefix = requested.json().path("object_prefix").asText();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    String state = "";
    while (!state.equals("succeeded") && Instant.now().isBefore(deadline)) {
      Response status = kiln.get("/users/export/status?object_prefix=" + objectPrefix);
      assertThat(status.status()).as("export status: %s", status).isEqualTo(200);
      state = status.json().path("state").asText();
      assertThat(state).as("export state: %s", status).isNotEqualTo("failed");
      if (!state.equals("succeeded")) {
        Thread.sleep(50); // polling an asynchronous job, not an assertion
      }
    }
    assertThat(state).as("export %s finished within a minute", objectPrefix).isEqualTo("succeeded");
    return exportLines(requested.json().path("url").asText()).stream()
        .map(line -> json(line).path("external_id").asText())
        .toList();
  }
}
