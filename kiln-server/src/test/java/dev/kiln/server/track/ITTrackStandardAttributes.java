package dev.kiln.server.track;

import static dev.kiln.server.track.TrackFixtures.INVALID_EMAIL;
import static dev.kiln.server.track.TrackFixtures.assertAttributesRejected;
import static dev.kiln.server.track.TrackFixtures.assertNoUser;
import static dev.kiln.server.track.TrackFixtures.assertNothingValid;
import static dev.kiln.server.track.TrackFixtures.error;
import static dev.kiln.server.track.TrackFixtures.exportedUser;
import static dev.kiln.server.testing.TestJson.json;
import static dev.kiln.server.track.TrackFixtures.onlyUser;
import static dev.kiln.server.track.TrackFixtures.setAttributes;
import static dev.kiln.server.testing.TestJson.uid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The standard profile fields of docs/braze-reference.md section 3.1 through /users/track and back
 * through /users/export/ids, with Kiln's decisions and error sentences from compatibility.md
 * "Standard attributes".
 */
class ITTrackStandardAttributes {
  @RegisterExtension static final RunningKiln kiln = RunningKiln.perClass();

  private static Response track(String json) {
    return TrackFixtures.track(kiln, json);
  }

  private static Response export(String json) {
    return TrackFixtures.export(kiln, json);
  }

  /** Sends every object in one request; all are invalid, so the request is 400 with one error per object. */
  private static void assertEachRejected(List<String> objects, String type) {
    Response response = track("{\"attributes\":[" + String.join(",", objects) + "]}");
    String[] errors = new String[objects.size()];
    for (int i = 0; i < errors.length; i++) {
      errors[i] = error(type, "attributes", i);
    }
    assertNothingValid(response, errors);
  }

  // --- round trips ---

  @Test
  void everyStandardFieldRoundTripsThroughExport() {
    String id = uid("std-all");
    String email = "Jane." + UUID.randomUUID() + "@Example.com";
    setAttributes(kiln, """
        {"external_id":"%s","first_name":"Jane","last_name":"Doe","email":"%s","phone":"+442071838750",
         "dob":"1980-12-21","gender":"F","country":"US","home_city":"Chicago","language":"en",
         "time_zone":"America/New_York","email_subscribe":"opted_in","push_subscribe":"unsubscribed",
         "current_location":{"longitude":-73.99,"latitude":40.75}}""".formatted(id, email));

    JsonNode user = onlyUser(export("""
        {"external_ids":["%s"],"fields_to_export":["first_name","last_name","email","phone","dob","gender","country",
          "home_city","language","time_zone","email_subscribe","push_subscribe","last_coordinates"]}""".formatted(id)));

    assertThat(user).isEqualTo(json("""
        {"first_name":"Jane","last_name":"Doe","email":"%s","phone":"+442071838750","dob":"1980-12-21","gender":"F",
         "country":"US","home_city":"Chicago","language":"en","time_zone":"America/New_York",
         "email_subscribe":"opted_in","push_subscribe":"unsubscribed","last_coordinates":[-73.99,40.75]}"""
        .formatted(email)));
  }

  @Test
  void standardFieldNamesAreCaseSensitiveSoOtherCasesAreCustomAttributes() {
    String id = uid("std-case");
    setAttributes(kiln, """
        {"external_id":"%s","First_Name":"Custom","EMAIL":"not checked"}""".formatted(id));

    JsonNode user = exportedUser(kiln, id);
    assertThat(user.has("first_name")).isFalse();
    assertThat(user.has("email")).isFalse();
    assertThat(user.path("custom_attributes")).isEqualTo(json("""
        {"First_Name":"Custom","EMAIL":"not checked"}"""));
  }

  @Test
  void nullUnsetsTheStringFields() {
    String id = uid("std-null");
    setAttributes(kiln, """
        {"external_id":"%s","first_name":"A","last_name":"B","home_city":"C","phone":"+14155550100"}""".formatted(id));

    setAttributes(kiln, """
        {"external_id":"%s","first_name":null,"last_name":null,"home_city":null,"phone":null}""".formatted(id));

    JsonNode user = exportedUser(kiln, id);
    for (String field : List.of("first_name", "last_name", "home_city", "phone")) {
      assertThat(user.has(field)).as("%s after null: %s", field, user).isFalse();
    }
  }

  @Test
  void stringFieldsMustBeStrings() {
    String id = uid("std-types");
    Response response = track("""
        {"attributes":[
          {"external_id":"%1$s","first_name":5},
          {"external_id":"%1$s","last_name":true},
          {"external_id":"%1$s","home_city":{"name":"Chicago"}},
          {"external_id":"%1$s","phone":4155550100}
        ]}""".formatted(id));

    assertNothingValid(response,
        error("'first_name' must be a string", "attributes", 0),
        error("'last_name' must be a string", "attributes", 1),
        error("'home_city' must be a string", "attributes", 2),
        error("'phone' must be a string", "attributes", 3));
    assertNoUser(kiln, id);
  }

  @Test
  void anObjectWithAnInvalidFieldChangesNothing() {
    String id = uid("std-atomic");
    setAttributes(kiln, """
        {"external_id":"%s","first_name":"Before"}""".formatted(id));

    assertAttributesRejected(kiln, """
        {"external_id":"%s","first_name":"After","dob":"21/12/1980"}""".formatted(id),
        "'dob' must be a date in the format YYYY-MM-DD");

    JsonNode user = exportedUser(kiln, id);
    assertThat(user.path("first_name").asText()).isEqualTo("Before");
    assertThat(user.has("dob")).isFalse();
  }

  // --- email ---

  @Test
  void invalidEmailAttributesAreRejected() {
    String id = uid("std-email");
    assertEachRejected(List.of(
        "{\"external_id\":\"" + id + "\",\"email\":\"not-an-email\"}",
        "{\"external_id\":\"" + id + "\",\"email\":\"jane@\"}",
        "{\"external_id\":\"" + id + "\",\"email\":\"@example.com\"}"), INVALID_EMAIL);
    assertNoUser(kiln, id);
  }

  // --- dob ---

  @Test
  void dobMustBeYyyyMmDd() {
    String id = uid("std-dob");
    assertEachRejected(List.of(
        "{\"external_id\":\"" + id + "\",\"dob\":\"12/21/1980\"}",
        "{\"external_id\":\"" + id + "\",\"dob\":\"21-12-1980\"}",
        "{\"external_id\":\"" + id + "\",\"dob\":\"1980-13-01\"}",
        "{\"external_id\":\"" + id + "\",\"dob\":19801221}"), "'dob' must be a date in the format YYYY-MM-DD");
    assertNoUser(kiln, id);

    setAttributes(kiln, """
        {"external_id":"%s","dob":"2000-02-29"}""".formatted(id));
    assertThat(exportedUser(kiln, id).path("dob").asText()).isEqualTo("2000-02-29");
  }

  // --- gender ---

  @Test
  void genderAcceptsMFONPInAnyCaseAndStoresUpperCase() {
    String id = uid("std-gender");
    Map<String, String> sentToStored = Map.of("M", "M", "F", "F", "O", "O", "N", "N", "P", "P", "m", "M", "p", "P");
    for (Map.Entry<String, String> entry : sentToStored.entrySet()) {
      setAttributes(kiln, """
          {"external_id":"%s","gender":"%s"}""".formatted(id, entry.getKey()));
      assertThat(exportedUser(kiln, id).path("gender").asText()).as("gender sent as %s", entry.getKey())
          .isEqualTo(entry.getValue());
    }
  }

  @Test
  void genderNullUnsetsAndAnUnknownValueIsIgnored() {
    String id = uid("std-gender-null");
    setAttributes(kiln, """
        {"external_id":"%s","gender":"O"}""".formatted(id));

    setAttributes(kiln, """
        {"external_id":"%s","gender":"female","last_name":"Applied"}""".formatted(id));
    JsonNode ignored = exportedUser(kiln, id);
    assertThat(ignored.path("gender").asText()).isEqualTo("O");
    assertThat(ignored.path("last_name").asText()).isEqualTo("Applied");

    setAttributes(kiln, """
        {"external_id":"%s","gender":null}""".formatted(id));
    assertThat(exportedUser(kiln, id).has("gender")).isFalse();
  }

  // --- country ---

  @Test
  void countryCodesAreUpperCasedAndNamesAndAlpha3CodesMapped() {
    String id = uid("std-country");
    Map<String, String> sentToStored = Map.of(
        "us", "US", "FR", "FR", "Australia", "AU", "Germany", "DE", "DEU", "DE", "AUS", "AU");
    for (Map.Entry<String, String> entry : sentToStored.entrySet()) {
      setAttributes(kiln, """
          {"external_id":"%s","country":"%s"}""".formatted(id, entry.getKey()));
      assertThat(exportedUser(kiln, id).path("country").asText()).as("country sent as %s", entry.getKey())
          .isEqualTo(entry.getValue());
    }
  }

  @Test
  void anUnmappableCountryIsStoredAsNull() {
    String id = uid("std-country-null");
    setAttributes(kiln, """
        {"external_id":"%s","country":"DE"}""".formatted(id));

    setAttributes(kiln, """
        {"external_id":"%s","country":"Atlantis"}""".formatted(id));

    assertThat(exportedUser(kiln, id).has("country")).isFalse();
  }

  // --- language, time_zone ---

  @Test
  void languageIsAnIso6391CodeLowerCasedAndAnythingElseIsIgnored() {
    String id = uid("std-lang");
    setAttributes(kiln, """
        {"external_id":"%s","language":"FR"}""".formatted(id));
    assertThat(exportedUser(kiln, id).path("language").asText()).isEqualTo("fr");

    setAttributes(kiln, """
        {"external_id":"%s","language":"xx","first_name":"Applied"}""".formatted(id));
    setAttributes(kiln, """
        {"external_id":"%s","language":"Klingon"}""".formatted(id));

    JsonNode user = exportedUser(kiln, id);
    assertThat(user.path("language").asText()).isEqualTo("fr");
    assertThat(user.path("first_name").asText()).isEqualTo("Applied");
  }

  @Test
  void timeZoneIsAnIanaNameAndAnythingElseIsIgnored() {
    String id = uid("std-tz");
    setAttributes(kiln, """
        {"external_id":"%s","time_zone":"Europe/Paris"}""".formatted(id));
    assertThat(exportedUser(kiln, id).path("time_zone").asText()).isEqualTo("Europe/Paris");

    setAttributes(kiln, """
        {"external_id":"%s","time_zone":"Mars/Olympus_Mons","first_name":"Applied"}""".formatted(id));

    JsonNode user = exportedUser(kiln, id);
    assertThat(user.path("time_zone").asText()).isEqualTo("Europe/Paris");
    assertThat(user.path("first_name").asText()).isEqualTo("Applied");
  }

  // --- subscriptions ---

  @Test
  void emailAndPushSubscribeAcceptTheirThreeStates() {
    String id = uid("std-subscribe");
    for (String state : List.of("opted_in", "unsubscribed", "subscribed")) {
      setAttributes(kiln, """
          {"external_id":"%s","email_subscribe":"%s","push_subscribe":"%s"}""".formatted(id, state, state));
      JsonNode user = exportedUser(kiln, id);
      assertThat(user.path("email_subscribe").asText()).isEqualTo(state);
      assertThat(user.path("push_subscribe").asText()).isEqualTo(state);
    }
  }

  @Test
  void otherSubscribeStatesAreErrors() {
    String id = uid("std-subscribe-bad");
    assertEachRejected(List.of(
        "{\"external_id\":\"" + id + "\",\"email_subscribe\":\"yes\"}",
        "{\"external_id\":\"" + id + "\",\"email_subscribe\":\"OPTED_IN\"}",
        "{\"external_id\":\"" + id + "\",\"email_subscribe\":true}"),
        "'email_subscribe' must be 'opted_in', 'subscribed' or 'unsubscribed'");
    assertEachRejected(List.of(
        "{\"external_id\":\"" + id + "\",\"push_subscribe\":\"no\"}",
        "{\"external_id\":\"" + id + "\",\"push_subscribe\":1}"),
        "'push_subscribe' must be 'opted_in', 'subscribed' or 'unsubscribed'");
    assertNoUser(kiln, id);
  }

  @Test
  void emailSubscribeAlsoUpdatesOtherUsersWithTheSameEmail() {
    String email = uid("std-share") + "@example.com";
    String first = uid("std-share-a");
    String second = uid("std-share-b");
    String unrelated = uid("std-share-c");
    setAttributes(kiln, """
        {"external_id":"%s","email":"%s","email_subscribe":"opted_in"}""".formatted(first, email));
    setAttributes(kiln, """
        {"external_id":"%s","email":"%s","email_subscribe":"opted_in"}""".formatted(second, email));
    setAttributes(kiln, """
        {"external_id":"%s","email":"other-%s","email_subscribe":"opted_in"}""".formatted(unrelated, email));

    setAttributes(kiln, """
        {"external_id":"%s","email_subscribe":"unsubscribed"}""".formatted(first));

    assertThat(exportedUser(kiln, first).path("email_subscribe").asText()).isEqualTo("unsubscribed");
    assertThat(exportedUser(kiln, second).path("email_subscribe").asText()).isEqualTo("unsubscribed");
    assertThat(exportedUser(kiln, unrelated).path("email_subscribe").asText()).isEqualTo("opted_in");
  }

  @Test
  void aValidSubscriptionGroupIsAccepted() {
    String id = uid("std-groups");
    setAttributes(kiln, """
        {"external_id":"%s","subscription_groups":[
          {"subscription_group_id":"%s","subscription_state":"subscribed"},
          {"subscription_group_id":"%s","subscription_state":"unsubscribed"}]}"""
        .formatted(id, UUID.randomUUID(), UUID.randomUUID()));
    assertThat(exportedUser(kiln, id).path("external_id").asText()).isEqualTo(id);
  }

  @Test
  void subscriptionGroupErrors() {
    String id = uid("std-groups-bad");
    String group = UUID.randomUUID().toString();
    Response response = track("""
        {"attributes":[
          {"external_id":"%1$s","subscription_groups":{"subscription_group_id":"%2$s","subscription_state":"subscribed"}},
          {"external_id":"%1$s","subscription_groups":["%2$s"]},
          {"external_id":"%1$s","subscription_groups":[{"subscription_group_id":"%2$s"}]},
          {"external_id":"%1$s","subscription_groups":[{"subscription_state":"subscribed"}]},
          {"external_id":"%1$s","subscription_groups":[{"subscription_group_id":"not-a-uuid","subscription_state":"subscribed"}]},
          {"external_id":"%1$s","subscription_groups":[{"subscription_group_id":"%2$s","subscription_state":"opted_in"}]}
        ]}""".formatted(id, group));

    String badItem = "each 'subscription_groups' item must be an object with 'subscription_group_id' and 'subscription_state'";
    assertNothingValid(response,
        error("'subscription_groups' must be an array", "attributes", 0),
        error(badItem, "attributes", 1),
        error(badItem, "attributes", 2),
        error(badItem, "attributes", 3),
        error("'subscription_group_id' must be a valid subscription group id", "attributes", 4),
        error("'subscription_state' must be 'subscribed' or 'unsubscribed'", "attributes", 5));
    assertNoUser(kiln, id);
  }

  // --- current_location ---

  @Test
  void currentLocationIsExportedAsLastCoordinatesLongitudeFirst() {
    String id = uid("std-location");
    setAttributes(kiln, """
        {"external_id":"%s","current_location":{"longitude":2.35,"latitude":48.85}}""".formatted(id));
    assertThat(exportedUser(kiln, id).path("last_coordinates")).isEqualTo(json("[2.35,48.85]"));

    setAttributes(kiln, """
        {"external_id":"%s","current_location":{"latitude":-33.5,"longitude":151.25}}""".formatted(id));
    assertThat(exportedUser(kiln, id).path("last_coordinates")).isEqualTo(json("[151.25,-33.5]"));
  }

  @Test
  void currentLocationMustBeAnObjectWithNumericLongitudeAndLatitudeInRange() {
    String id = uid("std-location-bad");
    assertEachRejected(List.of(
        "{\"external_id\":\"" + id + "\",\"current_location\":{\"longitude\":-73.99}}",
        "{\"external_id\":\"" + id + "\",\"current_location\":{\"latitude\":40.75}}",
        "{\"external_id\":\"" + id + "\",\"current_location\":{\"longitude\":\"-73.99\",\"latitude\":40.75}}",
        "{\"external_id\":\"" + id + "\",\"current_location\":{\"longitude\":0,\"latitude\":91}}",
        "{\"external_id\":\"" + id + "\",\"current_location\":{\"longitude\":181,\"latitude\":0}}",
        "{\"external_id\":\"" + id + "\",\"current_location\":[-73.99,40.75]}",
        "{\"external_id\":\"" + id + "\",\"current_location\":\"New York\"}"),
        "'current_location' must be an object with numeric 'longitude' and 'latitude'");
    assertNoUser(kiln, id);
  }

  // --- other standard fields ---

  @Test
  void sessionAndSpamDatesAcceptTheSection33FormatsAndRejectOthers() {
    String id = uid("std-dates");
    setAttributes(kiln, """
        {"external_id":"%s","date_of_first_session":"2021-03-04T05:06:07Z","date_of_last_session":"2021-03-04",
         "marked_email_as_spam_at":"2021-03-04 05:06:07"}""".formatted(id));

    Response response = track("""
        {"attributes":[
          {"external_id":"%1$s","date_of_first_session":"yesterday"},
          {"external_id":"%1$s","date_of_last_session":"2021-02-30"},
          {"external_id":"%1$s","marked_email_as_spam_at":12}
        ]}""".formatted(id));
    assertNothingValid(response,
        error("'date_of_first_session' must be a valid date", "attributes", 0),
        error("'date_of_last_session' must be a valid date", "attributes", 1),
        error("'marked_email_as_spam_at' must be a valid date", "attributes", 2));
  }

  @Test
  void emailTrackingFlagsMustBeBooleans() {
    String id = uid("std-tracking");
    setAttributes(kiln, """
        {"external_id":"%s","email_open_tracking_disabled":true,"email_click_tracking_disabled":false}""".formatted(id));

    Response response = track("""
        {"attributes":[
          {"external_id":"%1$s","email_open_tracking_disabled":"true"},
          {"external_id":"%1$s","email_click_tracking_disabled":1}
        ]}""".formatted(id));
    assertNothingValid(response,
        error("'email_open_tracking_disabled' must be a boolean", "attributes", 0),
        error("'email_click_tracking_disabled' must be a boolean", "attributes", 1));
  }

  @Test
  void facebookAndTwitterMustBeObjects() {
    String id = uid("std-social");
    setAttributes(kiln, """
        {"external_id":"%s","facebook":{"id":"fb1","likes":["a"],"num_friends":3},
         "twitter":{"id":12,"screen_name":"jane","followers_count":1}}""".formatted(id));

    Response response = track("""
        {"attributes":[
          {"external_id":"%1$s","facebook":"fb1"},
          {"external_id":"%1$s","twitter":["jane"]}
        ]}""".formatted(id));
    assertNothingValid(response,
        error("'facebook' must be an object", "attributes", 0),
        error("'twitter' must be an object", "attributes", 1));
  }

  @Test
  void pushTokensAreIgnoredAndTheRestOfTheObjectApplied() {
    String id = uid("std-push-tokens");
    setAttributes(kiln, """
        {"external_id":"%s","push_tokens":[{"app_id":"app","token":"abcdef","device_id":"device-0001"}],
         "first_name":"Tokens"}""".formatted(id));

    JsonNode user = exportedUser(kiln, id);
    assertThat(user.path("first_name").asText()).isEqualTo("Tokens");
    assertThat(user.has("push_tokens")).isFalse();
  }

  @Test
  void pushTokenImportIsNotSupported() {
    assertNothingValid(track("""
        {"attributes":[{"push_token_import":true,"email":"%s@example.com",
          "push_tokens":[{"app_id":"app","token":"abcdef","device_id":"device-0001"}]}]}""".formatted(uid("std-import"))),
        error("push token import is not supported by Kiln", "attributes", 0));
  }
}
