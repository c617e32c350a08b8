package dev.kiln.server.track;

import static dev.kiln.server.testing.TestJson.json;
import static dev.kiln.server.testing.TestJson.uid;
import static dev.kiln.server.track.TrackFixtures.assertAttributesRejected;
import static dev.kiln.server.track.TrackFixtures.exportedUser;
import static dev.kiln.server.track.TrackFixtures.onlyUser;
import static dev.kiln.server.track.TrackFixtures.setAttributes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The standard profile fields of docs/braze-reference.md section 3.1 through /users/track and back
 * through /users/export/ids, with Kiln's decisions from compatibility.md "Standard attributes". The
 * sentences of refused values and each value's conversion are TrackDecoderStandardAttributesTest's
 * (kiln-ingest); here, that a refused object changes nothing stored and that values round-trip
 * through the store.
 */
class ITTrackStandardAttributes {
  @RegisterExtension static final RunningKiln kiln = RunningKiln.perClass();

  private static Response export(String json) {
    return TrackFixtures.export(kiln, json);
  }

  // --- round trips ---

  @Test
  void everyStandardFieldRoundTripsThroughExport() {
    String id = uid("std-all");
    String email = "Jane." + UUID.randomUUID() + "@Example.com";
    setAttributes(
        kiln,
        """
        {"external_id":"%s","first_name":"Jane","last_name":"Doe","email":"%s","phone":"+442071838750",
         "dob":"1980-12-21","gender":"F","country":"US","home_city":"Chicago","language":"en",
         "time_zone":"America/New_York","email_subscribe":"opted_in","push_subscribe":"unsubscribed",
         "current_location":{"longitude":-73.99,"latitude":40.75}}"""
            .formatted(id, email));

    JsonNode user =
        onlyUser(
            export(
                """
        {"external_ids":["%s"],"fields_to_export":["first_name","last_name","email","phone","dob","gender","country",
          "home_city","language","time_zone","email_subscribe","push_subscribe","last_coordinates"]}"""
                    .formatted(id)));

    assertThat(user)
        .isEqualTo(
            json(
                """
        {"first_name":"Jane","last_name":"Doe","email":"%s","phone":"+442071838750","dob":"1980-12-21","gender":"F",
         "country":"US","home_city":"Chicago","language":"en","time_zone":"America/New_York",
         "email_subscribe":"opted_in","push_subscribe":"unsubscribed","last_coordinates":[-73.99,40.75]}"""
                    .formatted(email)));
  }

  @Test
  void standardFieldNamesAreCaseSensitiveSoOtherCasesAreCustomAttributes() {
    String id = uid("std-case");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","First_Name":"Custom","EMAIL":"not checked"}"""
            .formatted(id));

    JsonNode user = exportedUser(kiln, id);
    assertThat(user.has("first_name")).isFalse();
    assertThat(user.has("email")).isFalse();
    assertThat(user.path("custom_attributes"))
        .isEqualTo(
            json(
                """
        {"First_Name":"Custom","EMAIL":"not checked"}"""));
  }

  @Test
  void nullUnsetsTheStringFields() {
    String id = uid("std-null");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","first_name":"A","last_name":"B","home_city":"C","phone":"+14155550100"}"""
            .formatted(id));

    setAttributes(
        kiln,
        """
        {"external_id":"%s","first_name":null,"last_name":null,"home_city":null,"phone":null}"""
            .formatted(id));

    JsonNode user = exportedUser(kiln, id);
    for (String field : List.of("first_name", "last_name", "home_city", "phone")) {
      assertThat(user.has(field)).as("%s after null: %s", field, user).isFalse();
    }
  }

  @Test
  void anObjectWithAnInvalidFieldChangesNothing() {
    String id = uid("std-atomic");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","first_name":"Before"}"""
            .formatted(id));

    assertAttributesRejected(
        kiln,
        """
        {"external_id":"%s","first_name":"After","dob":"21/12/1980"}"""
            .formatted(id),
        "'dob' must be a date in the format YYYY-MM-DD");

    JsonNode user = exportedUser(kiln, id);
    assertThat(user.path("first_name").asText()).isEqualTo("Before");
    assertThat(user.has("dob")).isFalse();
  }

  // --- dob, gender, country: one value of each through the store ---
  // The refused formats and every value's conversion: TrackDecoderStandardAttributesTest.

  @Test
  void dobIsStoredAsYyyyMmDd() {
    assertStoredAs("dob", "2000-02-29", "2000-02-29");
  }

  @Test
  void genderAcceptsMFONPInAnyCaseAndStoresUpperCase() {
    assertStoredAs("gender", "p", "P");
  }

  @Test
  void countryCodesAreUpperCasedAndNamesAndAlpha3CodesMapped() {
    assertStoredAs("country", "DEU", "DE");
  }

  /**
   * Sets the standard field of a new user to the value sent and expects the export to give it as
   * stored.
   */
  private static void assertStoredAs(String field, String sent, String stored) {
    String id = uid("std-" + field);
    setAttributes(
        kiln,
        """
        {"external_id":"%s","%s":"%s"}"""
            .formatted(id, field, sent));
    assertThat(exportedUser(kiln, id).path(field).asText())
        .as("%s sent as %s", field, sent)
        .isEqualTo(stored);
  }

  // --- gender ---

  @Test
  void genderNullUnsetsAndAnUnknownValueIsIgnored() {
    String id = uid("std-gender-null");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","gender":"O"}"""
            .formatted(id));

    setAttributes(
        kiln,
        """
        {"external_id":"%s","gender":"female","last_name":"Applied"}"""
            .formatted(id));
    JsonNode ignored = exportedUser(kiln, id);
    assertThat(ignored.path("gender").asText()).isEqualTo("O");
    assertThat(ignored.path("last_name").asText()).isEqualTo("Applied");

    setAttributes(
        kiln,
        """
        {"external_id":"%s","gender":null}"""
            .formatted(id));
    assertThat(exportedUser(kiln, id).has("gender")).isFalse();
  }

  // --- country ---

  @Test
  void anUnmappableCountryIsStoredAsNull() {
    String id = uid("std-country-null");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","country":"DE"}"""
            .formatted(id));

    setAttributes(
        kiln,
        """
        {"external_id":"%s","country":"Atlantis"}"""
            .formatted(id));

    assertThat(exportedUser(kiln, id).has("country")).isFalse();
  }

  // --- language, time_zone ---

  @Test
  void languageIsAnIso6391CodeLowerCasedAndAnythingElseIsIgnored() {
    String id = uid("std-lang");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","language":"FR"}"""
            .formatted(id));
    assertThat(exportedUser(kiln, id).path("language").asText()).isEqualTo("fr");

    setAttributes(
        kiln,
        """
        {"external_id":"%s","language":"xx","first_name":"Applied"}"""
            .formatted(id));
    setAttributes(
        kiln,
        """
        {"external_id":"%s","language":"Klingon"}"""
            .formatted(id));

    JsonNode user = exportedUser(kiln, id);
    assertThat(user.path("language").asText()).isEqualTo("fr");
    assertThat(user.path("first_name").asText()).isEqualTo("Applied");
  }

  @Test
  void timeZoneIsAnIanaNameAndAnythingElseIsIgnored() {
    String id = uid("std-tz");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","time_zone":"Europe/Paris"}"""
            .formatted(id));
    assertThat(exportedUser(kiln, id).path("time_zone").asText()).isEqualTo("Europe/Paris");

    setAttributes(
        kiln,
        """
        {"external_id":"%s","time_zone":"Mars/Olympus_Mons","first_name":"Applied"}"""
            .formatted(id));

    JsonNode user = exportedUser(kiln, id);
    assertThat(user.path("time_zone").asText()).isEqualTo("Europe/Paris");
    assertThat(user.path("first_name").asText()).isEqualTo("Applied");
  }

  // --- subscriptions ---

  @Test
  void emailAndPushSubscribeAcceptTheirThreeStates() {
    String id = uid("std-subscribe");
    for (String state : List.of("opted_in", "unsubscribed", "subscribed")) {
      setAttributes(
          kiln,
          """
          {"external_id":"%s","email_subscribe":"%s","push_subscribe":"%s"}"""
              .formatted(id, state, state));
      JsonNode user = exportedUser(kiln, id);
      assertThat(user.path("email_subscribe").asText()).isEqualTo(state);
      assertThat(user.path("push_subscribe").asText()).isEqualTo(state);
    }
  }

  @Test
  void emailSubscribeAlsoUpdatesOtherUsersWithTheSameEmail() {
    String email = uid("std-share") + "@example.com";
    String first = uid("std-share-a");
    String second = uid("std-share-b");
    String unrelated = uid("std-share-c");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","email":"%s","email_subscribe":"opted_in"}"""
            .formatted(first, email));
    setAttributes(
        kiln,
        """
        {"external_id":"%s","email":"%s","email_subscribe":"opted_in"}"""
            .formatted(second, email));
    setAttributes(
        kiln,
        """
        {"external_id":"%s","email":"other-%s","email_subscribe":"opted_in"}"""
            .formatted(unrelated, email));

    setAttributes(
        kiln,
        """
        {"external_id":"%s","email_subscribe":"unsubscribed"}"""
            .formatted(first));

    assertThat(exportedUser(kiln, first).path("email_subscribe").asText())
        .isEqualTo("unsubscribed");
    assertThat(exportedUser(kiln, second).path("email_subscribe").asText())
        .isEqualTo("unsubscribed");
    assertThat(exportedUser(kiln, unrelated).path("email_subscribe").asText())
        .isEqualTo("opted_in");
  }

  // --- current_location ---

  @Test
  void currentLocationIsExportedAsLastCoordinatesLongitudeFirst() {
    String id = uid("std-location");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","current_location":{"longitude":2.35,"latitude":48.85}}"""
            .formatted(id));
    assertThat(exportedUser(kiln, id).path("last_coordinates")).isEqualTo(json("[2.35,48.85]"));

    setAttributes(
        kiln,
        """
        {"external_id":"%s","current_location":{"latitude":-33.5,"longitude":151.25}}"""
            .formatted(id));
    assertThat(exportedUser(kiln, id).path("last_coordinates")).isEqualTo(json("[151.25,-33.5]"));
  }

  // --- other standard fields ---
  // Which values of the section 3.3 dates, the tracking flags, facebook, twitter and
  // subscription_groups are accepted: TrackDecoderStandardAttributesTest.

  @Test
  void pushTokensAreIgnoredAndTheRestOfTheObjectApplied() {
    String id = uid("std-push-tokens");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","push_tokens":[{"app_id":"app","token":"abcdef","device_id":"device-0001"}],
         "first_name":"Tokens"}"""
            .formatted(id));

    JsonNode user = exportedUser(kiln, id);
    assertThat(user.path("first_name").asText()).isEqualTo("Tokens");
    assertThat(user.has("push_tokens")).isFalse();
  }
}
