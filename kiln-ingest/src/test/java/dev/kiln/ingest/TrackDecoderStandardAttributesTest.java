package dev.kiln.ingest;

import static dev.kiln.ingest.TrackDecoding.INVALID_EMAIL;
import static dev.kiln.ingest.TrackDecoding.assertEachRejected;
import static dev.kiln.ingest.TrackDecoding.assertNothingValid;
import static dev.kiln.ingest.TrackDecoding.attributesOf;
import static dev.kiln.ingest.TrackDecoding.decodeAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The checks and conversions of Braze's standard attributes (docs/braze-reference.md section 3.1,
 * docs/compatibility.md "Standard attributes" and Kiln's size bounds): which values are refused and
 * with what words, and what a valid value becomes. That a refused object stores nothing and that
 * values round-trip through the store is ITTrackStandardAttributes' and ITFieldLimits'.
 */
class TrackDecoderStandardAttributesTest {
  private static final String OVER_BOUND = "é".repeat(256); // characters, not bytes

  @Test
  void stringFieldsMustBeStrings() {
    assertNothingValid(
        decodeAll(
            "attributes",
            "{\"external_id\":\"u\",\"first_name\":5}",
            "{\"external_id\":\"u\",\"last_name\":true}",
            "{\"external_id\":\"u\",\"home_city\":{\"name\":\"Chicago\"}}",
            "{\"external_id\":\"u\",\"phone\":4155550100}"),
        new ObjectError("'first_name' must be a string", "attributes", 0),
        new ObjectError("'last_name' must be a string", "attributes", 1),
        new ObjectError("'home_city' must be a string", "attributes", 2),
        new ObjectError("'phone' must be a string", "attributes", 3));
  }

  @Test
  void invalidEmailAttributesAreRejected() {
    assertEachRejected(
        "attributes",
        INVALID_EMAIL,
        "{\"external_id\":\"u\",\"email\":\"not-an-email\"}",
        "{\"external_id\":\"u\",\"email\":\"jane@\"}",
        "{\"external_id\":\"u\",\"email\":\"@example.com\"}");
  }

  @Test
  void dobMustBeYyyyMmDd() {
    assertEachRejected(
        "attributes",
        "'dob' must be a date in the format YYYY-MM-DD",
        "{\"external_id\":\"u\",\"dob\":\"12/21/1980\"}",
        "{\"external_id\":\"u\",\"dob\":\"21-12-1980\"}",
        "{\"external_id\":\"u\",\"dob\":\"1980-13-01\"}",
        "{\"external_id\":\"u\",\"dob\":19801221}");
  }

  @Test
  void otherSubscribeStatesAreErrors() {
    assertEachRejected(
        "attributes",
        "'email_subscribe' must be 'opted_in', 'subscribed' or 'unsubscribed'",
        "{\"external_id\":\"u\",\"email_subscribe\":\"yes\"}",
        "{\"external_id\":\"u\",\"email_subscribe\":\"OPTED_IN\"}",
        "{\"external_id\":\"u\",\"email_subscribe\":true}");
    assertEachRejected(
        "attributes",
        "'push_subscribe' must be 'opted_in', 'subscribed' or 'unsubscribed'",
        "{\"external_id\":\"u\",\"push_subscribe\":\"no\"}",
        "{\"external_id\":\"u\",\"push_subscribe\":1}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"first_name", "last_name", "home_city", "phone"})
  void standardTextAttributesHoldUpTo255Characters(String field) {
    assertNothingValid(
        decodeAll(
            "attributes", "{\"external_id\":\"over\",\"" + field + "\":\"" + OVER_BOUND + "\"}"),
        new ObjectError("'" + field + "' must be at most 255 characters", "attributes", 0));
  }

  @Test
  void facebookAndTwitterObjectsHoldUpTo100Kilobytes() {
    String likes =
        IntStream.range(0, 600)
            .mapToObj(i -> "\"like-" + i + "-" + "x".repeat(200) + "\"")
            .collect(Collectors.joining(",", "[", "]"));
    assertNothingValid(
        decodeAll(
            "attributes",
            "{\"external_id\":\"fb-over\",\"facebook\":{\"id\":\"1\",\"likes\":" + likes + "}}"),
        new ObjectError("'facebook' must be at most 100 KB", "attributes", 0));
  }

  @Test
  void genderAcceptsMFONPInAnyCaseAsUpperCase() {
    Map<String, String> sentToStored =
        Map.of("M", "M", "F", "F", "O", "O", "N", "N", "P", "P", "m", "M", "p", "P");
    sentToStored.forEach(
        (sent, stored) ->
            assertThat(
                    attributesOf("{\"external_id\":\"u\",\"gender\":\"" + sent + "\"}").standard())
                .as("gender sent as %s", sent)
                .containsEntry("gender", stored));
  }

  @Test
  void countryCodesAreUpperCasedAndNamesAndAlpha3CodesMapped() {
    Map<String, String> sentToStored =
        Map.of(
            "us", "US", "FR", "FR", "Australia", "AU", "Germany", "DE", "DEU", "DE", "AUS", "AU");
    sentToStored.forEach(
        (sent, stored) ->
            assertThat(
                    attributesOf("{\"external_id\":\"u\",\"country\":\"" + sent + "\"}").standard())
                .as("country sent as %s", sent)
                .containsEntry("country", stored));
  }

  @Test
  void subscriptionGroupErrors() {
    String group = "0b5a2e96-1b0e-4a5e-8d68-6f0c1c7f6c11";
    String badItem =
        "each 'subscription_groups' item must be an object with 'subscription_group_id' and 'subscription_state'";
    assertNothingValid(
        decodeAll(
            "attributes",
            "{\"external_id\":\"u\",\"subscription_groups\":{\"subscription_group_id\":\""
                + group
                + "\",\"subscription_state\":\"subscribed\"}}",
            "{\"external_id\":\"u\",\"subscription_groups\":[\"" + group + "\"]}",
            "{\"external_id\":\"u\",\"subscription_groups\":[{\"subscription_group_id\":\""
                + group
                + "\"}]}",
            "{\"external_id\":\"u\",\"subscription_groups\":[{\"subscription_state\":\"subscribed\"}]}",
            "{\"external_id\":\"u\",\"subscription_groups\":[{\"subscription_group_id\":\"not-a-uuid\",\"subscription_state\":\"subscribed\"}]}",
            "{\"external_id\":\"u\",\"subscription_groups\":[{\"subscription_group_id\":\""
                + group
                + "\",\"subscription_state\":\"opted_in\"}]}"),
        new ObjectError("'subscription_groups' must be an array", "attributes", 0),
        new ObjectError(badItem, "attributes", 1),
        new ObjectError(badItem, "attributes", 2),
        new ObjectError(badItem, "attributes", 3),
        new ObjectError(
            "'subscription_group_id' must be a valid subscription group id", "attributes", 4),
        new ObjectError(
            "'subscription_state' must be 'subscribed' or 'unsubscribed'", "attributes", 5));
  }

  @Test
  void aValidSubscriptionGroupIsAccepted() {
    attributesOf(
        """
        {"external_id":"u","subscription_groups":[
          {"subscription_group_id":"0b5a2e96-1b0e-4a5e-8d68-6f0c1c7f6c11","subscription_state":"subscribed"},
          {"subscription_group_id":"6f0c1c7f-8d68-4a5e-1b0e-0b5a2e966c11","subscription_state":"unsubscribed"}]}""");
  }

  @Test
  void sessionAndSpamDatesAcceptTheSection33Formats() {
    attributesOf(
        """
        {"external_id":"u","date_of_first_session":"2021-03-04T05:06:07Z","date_of_last_session":"2021-03-04",
         "marked_email_as_spam_at":"2021-03-04 05:06:07"}""");
  }

  @Test
  void emailTrackingFlagsAreBooleans() {
    attributesOf(
        """
        {"external_id":"u","email_open_tracking_disabled":true,"email_click_tracking_disabled":false}""");
  }

  @Test
  void facebookAndTwitterAreObjects() {
    attributesOf(
        """
        {"external_id":"u","facebook":{"id":"fb1","likes":["a"],"num_friends":3},
         "twitter":{"id":12,"screen_name":"jane","followers_count":1}}""");
  }

  @Test
  void currentLocationMustBeAnObjectWithNumericLongitudeAndLatitudeInRange() {
    assertEachRejected(
        "attributes",
        "'current_location' must be an object with numeric 'longitude' and 'latitude'",
        "{\"external_id\":\"u\",\"current_location\":{\"longitude\":-73.99}}",
        "{\"external_id\":\"u\",\"current_location\":{\"latitude\":40.75}}",
        "{\"external_id\":\"u\",\"current_location\":{\"longitude\":\"-73.99\",\"latitude\":40.75}}",
        "{\"external_id\":\"u\",\"current_location\":{\"longitude\":0,\"latitude\":91}}",
        "{\"external_id\":\"u\",\"current_location\":{\"longitude\":181,\"latitude\":0}}",
        "{\"external_id\":\"u\",\"current_location\":[-73.99,40.75]}",
        "{\"external_id\":\"u\",\"current_location\":\"New York\"}");
  }

  @Test
  void sessionAndSpamDatesRejectOtherFormatsThanSection33s() {
    assertNothingValid(
        decodeAll(
            "attributes",
            "{\"external_id\":\"u\",\"date_of_first_session\":\"yesterday\"}",
            "{\"external_id\":\"u\",\"date_of_last_session\":\"2021-02-30\"}",
            "{\"external_id\":\"u\",\"marked_email_as_spam_at\":12}"),
        new ObjectError("'date_of_first_session' must be a valid date", "attributes", 0),
        new ObjectError("'date_of_last_session' must be a valid date", "attributes", 1),
        new ObjectError("'marked_email_as_spam_at' must be a valid date", "attributes", 2));
  }

  @Test
  void emailTrackingFlagsMustBeBooleans() {
    assertNothingValid(
        decodeAll(
            "attributes",
            "{\"external_id\":\"u\",\"email_open_tracking_disabled\":\"true\"}",
            "{\"external_id\":\"u\",\"email_click_tracking_disabled\":1}"),
        new ObjectError("'email_open_tracking_disabled' must be a boolean", "attributes", 0),
        new ObjectError("'email_click_tracking_disabled' must be a boolean", "attributes", 1));
  }

  @Test
  void facebookAndTwitterMustBeObjects() {
    assertNothingValid(
        decodeAll(
            "attributes",
            "{\"external_id\":\"u\",\"facebook\":\"fb1\"}",
            "{\"external_id\":\"u\",\"twitter\":[\"jane\"]}"),
        new ObjectError("'facebook' must be an object", "attributes", 0),
        new ObjectError("'twitter' must be an object", "attributes", 1));
  }

  @Test
  void pushTokenImportIsNotSupported() {
    assertNothingValid(
        decodeAll(
            "attributes",
            "{\"push_token_import\":true,\"email\":\"std-import@example.com\","
                + "\"push_tokens\":[{\"app_id\":\"app\",\"token\":\"abcdef\",\"device_id\":\"device-0001\"}]}"),
        new ObjectError("push token import is not supported by Kiln", "attributes", 0));
  }
}
