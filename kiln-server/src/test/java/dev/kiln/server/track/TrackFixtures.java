package dev.kiln.server.track;

import static dev.kiln.server.testing.TestJson.json;
import static dev.kiln.server.testing.TestJson.quote;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import dev.kiln.server.testing.TestJson;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

/**
 * Small helpers shared by the HTTP-level tests of /users/track, /users/track/sync and
 * /users/export/ids. Expected bodies are written as JSON text and compared as parsed JSON trees
 * (key order does not matter, JSON types do: {@code 15} is not {@code 15.0}).
 */
public final class TrackFixtures {
  /**
   * The fatal message of a /users/track request in which no object is valid
   * (docs/braze-reference.md section 2.4, compatibility.md).
   */
  static final String VALID_DATA =
      "Valid data must be provided in the 'attributes', 'events', or 'purchases' fields.";

  static final String IDENTIFIER_REQUIRED =
      "'external_id', 'braze_id', 'user_alias', 'email' or 'phone' is required";
  static final String ONE_PRIMARY_IDENTIFIER =
      "only one of 'external_id', 'braze_id' or 'user_alias' may be given";
  static final String INVALID_EMAIL =
      "The value provided for the 'email' field is not a valid email.";
  static final String QUANTITY_NOT_VALID = "'quantity' is not valid";

  /**
   * How exported activity times look: ISO-8601 in milliseconds with a Z (docs/braze-reference.md
   * section 9).
   */
  private static final DateTimeFormatter EXPORTED_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private TrackFixtures() {}

  /**
   * POSTs to /users/track; the body must be well-formed JSON (a test's typo fails here, not on the
   * server).
   */
  public static Response track(RunningKiln kiln, String json) {
    return post(kiln, "/users/track", json);
  }

  public static Response export(RunningKiln kiln, String json) {
    return post(kiln, "/users/export/ids", json);
  }

  public static Response post(RunningKiln kiln, String path, String json) {
    json(json);
    return kiln.post(path, json);
  }

  /** The response has this status and exactly this JSON body. */
  public static void assertBody(Response response, int status, String expectedJson) {
    JsonNode expected = json(expectedJson);
    assertThat(response.status()).as("status of %s", response).isEqualTo(status);
    assertThat(response.json()).as("body of %s", response).isEqualTo(expected);
  }

  /** One entry of a /users/track {@code errors} array. */
  static String error(String type, String inputArray, int index) {
    return "{\"type\":"
        + quote(type)
        + ",\"input_array\":"
        + quote(inputArray)
        + ",\"index\":"
        + index
        + "}";
  }

  /** 400 {"message": VALID_DATA, "errors": [...]} with exactly these entries, in this order. */
  static void assertNothingValid(Response response, String... errors) {
    assertBody(
        response,
        400,
        "{\"message\":" + quote(VALID_DATA) + ",\"errors\":[" + String.join(",", errors) + "]}");
  }

  /**
   * A request with this single attributes object fails as a whole with exactly this per-object
   * error.
   */
  static void assertAttributesRejected(RunningKiln kiln, String attributesObject, String type) {
    assertNothingValid(
        track(kiln, "{\"attributes\":[" + attributesObject + "]}"), error(type, "attributes", 0));
  }

  /**
   * A request with this single event object fails as a whole with exactly this per-object error.
   */
  static void assertEventRejected(RunningKiln kiln, String eventObject, String type) {
    assertNothingValid(track(kiln, "{\"events\":[" + eventObject + "]}"), error(type, "events", 0));
  }

  /**
   * A request with this single purchase object fails as a whole with exactly this per-object error.
   */
  static void assertPurchaseRejected(RunningKiln kiln, String purchaseObject, String type) {
    assertNothingValid(
        track(kiln, "{\"purchases\":[" + purchaseObject + "]}"), error(type, "purchases", 0));
  }

  /**
   * Tracks and asserts 201 with exactly {"message":"success", ...counts}; counts is e.g. {@code
   * "attributes_processed":1}.
   */
  public static void trackOk(RunningKiln kiln, String json, String counts) {
    assertBody(track(kiln, json), 201, "{\"message\":\"success\"," + counts + "}");
  }

  /**
   * Tracks one attributes object and asserts 201 {"message":"success","attributes_processed":1}.
   */
  public static void setAttributes(RunningKiln kiln, String attributesObject) {
    trackOk(kiln, "{\"attributes\":[" + attributesObject + "]}", "\"attributes_processed\":1");
  }

  /** Exports the one user with this external_id (all fields) and returns its export object. */
  public static JsonNode exportedUser(RunningKiln kiln, String externalId) {
    return onlyUser(export(kiln, "{\"external_ids\":[" + quote(externalId) + "]}"));
  }

  /** Exports the one user with this alias (all fields) and returns its export object. */
  public static JsonNode exportedAliasUser(RunningKiln kiln, String aliasName, String aliasLabel) {
    return onlyUser(export(kiln, "{\"user_aliases\":[" + alias(aliasName, aliasLabel) + "]}"));
  }

  /** Exports the one user with this email address (all fields) and returns its export object. */
  public static JsonNode exportedEmailUser(RunningKiln kiln, String email) {
    return onlyUser(export(kiln, "{\"email_address\":" + quote(email) + "}"));
  }

  /** A successful export that found exactly one user and no unknown id; returns that user. */
  public static JsonNode onlyUser(Response response) {
    assertThat(response.status()).as("status of %s", response).isEqualTo(200);
    JsonNode body = response.json();
    assertThat(body.path("message").asText()).as("message of %s", response).isEqualTo("success");
    assertThat(body.has("invalid_user_ids")).as("invalid_user_ids in %s", response).isFalse();
    assertThat(body.path("users").size()).as("number of users in %s", response).isEqualTo(1);
    return body.path("users").get(0);
  }

  /**
   * No user has this external_id: the export answers exactly {"users":[],"invalid_user_ids":[id]}.
   */
  public static void assertNoUser(RunningKiln kiln, String externalId) {
    assertBody(
        export(kiln, "{\"external_ids\":[" + quote(externalId) + "]}"),
        200,
        "{\"message\":\"success\",\"users\":[],\"invalid_user_ids\":[" + quote(externalId) + "]}");
  }

  /**
   * No user has this alias: the export lists its alias_name in invalid_user_ids (compatibility.md).
   */
  public static void assertNoAliasUser(RunningKiln kiln, String aliasName, String aliasLabel) {
    assertBody(
        export(kiln, "{\"user_aliases\":[" + alias(aliasName, aliasLabel) + "]}"),
        200,
        "{\"message\":\"success\",\"users\":[],\"invalid_user_ids\":[" + quote(aliasName) + "]}");
  }

  /** No user has this email address. */
  public static void assertNoEmailUser(RunningKiln kiln, String email) {
    assertBody(
        export(kiln, "{\"email_address\":" + quote(email) + "}"),
        200,
        "{\"message\":\"success\",\"users\":[],\"invalid_user_ids\":[" + quote(email) + "]}");
  }

  public static String alias(String aliasName, String aliasLabel) {
    return "{\"alias_name\":" + quote(aliasName) + ",\"alias_label\":" + quote(aliasLabel) + "}";
  }

  /**
   * Now, to the second: times sent in requests carry no fraction, so their exported form is exact.
   */
  public static Instant nowSeconds() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS);
  }

  public static Instant daysAgo(long days) {
    return nowSeconds().minus(days, ChronoUnit.DAYS);
  }

  /** A time as sent in an event or purchase: ISO-8601 such as {@code 2024-05-01T12:34:56Z}. */
  public static String sent(Instant time) {
    return DateTimeFormatter.ISO_INSTANT.format(time);
  }

  /** A time as exported: {@code 2024-05-01T12:34:56.000Z}. */
  public static String exported(Instant time) {
    return EXPORTED_TIME.format(time);
  }

  /** The entry of an export's custom_events (or purchases) array with this name, or null. */
  public static JsonNode named(JsonNode array, String name) {
    for (JsonNode entry : array) {
      if (name.equals(entry.path("name").asText(null))) {
        return entry;
      }
    }
    return null;
  }

  /** A JSON array of strings. */
  public static String stringArray(String... values) {
    return "[" + String.join(",", Arrays.stream(values).map(TestJson::quote).toList()) + "]";
  }
}
