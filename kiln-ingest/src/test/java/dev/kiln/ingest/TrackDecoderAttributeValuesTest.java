package dev.kiln.ingest;

import static dev.kiln.ingest.TrackDecoding.MISSING_IDENTIFIER;
import static dev.kiln.ingest.TrackDecoding.NOW;
import static dev.kiln.ingest.TrackDecoding.assertSingleError;
import static dev.kiln.ingest.TrackDecoding.attributesUpdate;
import static dev.kiln.ingest.TrackDecoding.blank;
import static dev.kiln.ingest.TrackDecoding.decodeAll;
import static dev.kiln.ingest.TrackDecoding.onlyChange;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.profile.ProfileChange;
import dev.kiln.core.profile.UserProfile;
import dev.kiln.core.track.AttributesUpdate;
import dev.kiln.core.track.CustomAttributeOp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the values of attributes objects become (docs/braze-reference.md section 3): conversions,
 * nulls, nested objects and arrays, and the per-object errors of bad values. The edge cases named
 * below are those of docs/braze-reference.md section 13.
 */
class TrackDecoderAttributeValuesTest {
  @Test
  void badEmailSubscribeIsAnError() {
    // edge case 12
    assertSingleError(
        decodeAll("attributes", "{\"external_id\":\"u1\",\"email_subscribe\":\"yes\"}"),
        "'email_subscribe' must be 'opted_in', 'subscribed' or 'unsubscribed'",
        "attributes",
        0);
  }

  @Test
  void badPushSubscribeIsAnError() {
    assertSingleError(
        decodeAll("attributes", "{\"external_id\":\"u1\",\"push_subscribe\":\"Subscribed\"}"),
        "'push_subscribe' must be 'opted_in', 'subscribed' or 'unsubscribed'",
        "attributes",
        0);
  }

  @Test
  void validEmailSubscribeIsAStandardValueAndGoesToSameEmailUsers() {
    ProfileChange change =
        onlyChange(
            decodeAll("attributes", "{\"external_id\":\"u1\",\"email_subscribe\":\"opted_in\"}"));

    assertThat(((AttributesUpdate) change.update()).standard())
        .containsEntry("email_subscribe", "opted_in");
    assertThat(change.sameEmail()).isPresent();
  }

  @Test
  void attributesWithoutSubscriptionsHaveNoSameEmailUpdate() {
    assertThat(
            onlyChange(decodeAll("attributes", "{\"external_id\":\"u1\",\"first_name\":\"A\"}"))
                .sameEmail())
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"$time\":\"2021-03-04\"}",
        "{\"likes\":[{\"a\":{\"$time\":\"\"}}]}",
        "{\"$x\":1}"
      })
  void facebookAndTwitterWithADollarInAKeyAreErrors(String object) {
    // Stored profiles mark times as {"$time": ...}; a client's own "$time" object there was read
    // back as a time, or could not be read at all (a 500 on /users/track/sync and on every later
    // request for the user).
    assertSingleError(
        decodeAll("attributes", "{\"external_id\":\"u1\",\"facebook\":" + object + "}"),
        "'facebook' must not hold keys with '$'",
        "attributes",
        0);
    assertSingleError(
        decodeAll("attributes", "{\"external_id\":\"u1\",\"twitter\":" + object + "}"),
        "'twitter' must not hold keys with '$'",
        "attributes",
        0);
  }

  @Test
  void genderXIsIgnoredWithoutAnError() {
    // edge case 13
    TrackBatch batch =
        decodeAll("attributes", "{\"external_id\":\"u1\",\"gender\":\"X\",\"first_name\":\"A\"}");

    AttributesUpdate update = attributesUpdate(batch);
    assertThat(update.standard()).doesNotContainKey("gender").containsEntry("first_name", "A");
  }

  @Test
  void lowerCaseGenderIsStoredUpperCase() {
    assertThat(
            attributesUpdate(decodeAll("attributes", "{\"external_id\":\"u1\",\"gender\":\"f\"}"))
                .standard())
        .containsEntry("gender", "F");
  }

  @Test
  void countryNameIsStoredAsAlpha2() {
    // edge case 14
    assertThat(
            attributesUpdate(
                    decodeAll("attributes", "{\"external_id\":\"u1\",\"country\":\"Australia\"}"))
                .standard())
        .containsEntry("country", "AU");
  }

  @Test
  void unmappableCountryIsStoredAsNull() {
    // edge case 14: "Narnia" -> stored null
    AttributesUpdate update =
        attributesUpdate(
            decodeAll("attributes", "{\"external_id\":\"u1\",\"country\":\"Narnia\"}"));

    assertThat(update.standard()).containsEntry("country", null);
    UserProfile before = blank().withAttributes(Map.of("country", "AU"));
    assertThat(update.apply(before, NOW).attributes()).doesNotContainKey("country");
  }

  @Test
  void nullAttributeRemovesIt() {
    // edge case 15
    AttributesUpdate update =
        attributesUpdate(
            decodeAll(
                "attributes", "{\"external_id\":\"u1\",\"first_name\":null,\"my_attr\":null}"));

    assertThat(update.standard()).containsEntry("first_name", null);
    assertThat(update.custom()).containsEntry("my_attr", new CustomAttributeOp.Unset());
  }

  @Test
  void nullExternalIdIsNotRemovedAndIsNoIdentifier() {
    assertSingleError(
        decodeAll("attributes", "{\"external_id\":null,\"first_name\":\"A\"}"),
        MISSING_IDENTIFIER,
        "attributes",
        0);
  }

  @Test
  void pushTokenImportIsAnError() {
    assertSingleError(
        decodeAll("attributes", "{\"email\":\"a@b.com\",\"push_token_import\":true}"),
        "push token import is not supported by Kiln",
        "attributes",
        0);
  }

  @Test
  void pushTokenImportFalseIsAccepted() {
    assertThat(
            decodeAll("attributes", "{\"external_id\":\"u1\",\"push_token_import\":false}")
                .errors())
        .isEmpty();
  }

  @Test
  void nestedObjectWithBadTimeIsDroppedButOtherFieldsAreKept() {
    // edge case 22 / section 2.5
    TrackBatch batch =
        decodeAll(
            "attributes",
            "{\"external_id\":\"u1\",\"first_name\":\"A\","
                + "\"o\":{\"a\":1,\"when\":{\"$time\":\"garbage\"}},\"points\":5}");

    AttributesUpdate update = attributesUpdate(batch);
    assertThat(update.custom()).doesNotContainKey("o").containsKey("points");
    assertThat(update.standard()).containsEntry("first_name", "A");
  }

  @Test
  void nestedObjectWithNullTimeIsDropped() {
    AttributesUpdate update =
        attributesUpdate(
            decodeAll(
                "attributes",
                "{\"external_id\":\"u1\",\"o\":{\"when\":{\"$time\":null}},\"p\":1}"));

    assertThat(update.custom()).doesNotContainKey("o").containsKey("p");
  }

  @Test
  void nestedObjectWithValidTimeStoresAnInstant() {
    AttributesUpdate update =
        attributesUpdate(
            decodeAll(
                "attributes",
                "{\"external_id\":\"u1\",\"o\":{\"when\":{\"$time\":\"2021-03-04\"}}}"));

    assertThat(update.custom())
        .containsEntry(
            "o",
            new CustomAttributeOp.SetObject(Map.of("when", Instant.parse("2021-03-04T00:00:00Z"))));
  }

  @Test
  void dateShapedCustomStringIsATime() {
    // edge case 20
    AttributesUpdate update =
        attributesUpdate(
            decodeAll(
                "attributes",
                "{\"external_id\":\"u1\",\"d\":\"2021-03-04\",\"us\":\"12/1/2021\"}"));

    assertThat(update.custom())
        .containsEntry("d", new CustomAttributeOp.Set(Instant.parse("2021-03-04T00:00:00Z")))
        .containsEntry("us", new CustomAttributeOp.Set(Instant.parse("2021-12-01T00:00:00Z")));
  }

  @Test
  void dateWithYear3001StaysAString() {
    // edge case 20
    assertThat(
            attributesUpdate(
                    decodeAll("attributes", "{\"external_id\":\"u1\",\"d\":\"3001-01-01\"}"))
                .custom())
        .containsEntry("d", new CustomAttributeOp.Set("3001-01-01"));
  }

  @Test
  void duplicateArrayLiteralValuesAreStoredOnce() {
    // edge case 16
    assertThat(
            attributesUpdate(
                    decodeAll(
                        "attributes",
                        "{\"external_id\":\"u1\",\"food\":[\"hotdog\",\"hotdog\",\"hotdog\",\"pizza\"]}"))
                .custom())
        .containsEntry("food", new CustomAttributeOp.Set(List.of("hotdog", "pizza")));
  }

  @Test
  void customIncIsDecoded() {
    // edge case 19
    assertThat(
            attributesUpdate(
                    decodeAll("attributes", "{\"external_id\":\"u1\",\"count\":{\"inc\":-3}}"))
                .custom())
        .containsEntry("count", new CustomAttributeOp.Increment(-3L));
  }

  @Test
  void customStringOf255CharactersIsAccepted() {
    assertThat(
            attributesUpdate(
                    decodeAll(
                        "attributes", "{\"external_id\":\"u1\",\"s\":\"" + "x".repeat(255) + "\"}"))
                .custom())
        .containsEntry("s", new CustomAttributeOp.Set("x".repeat(255)));
  }

  @Test
  void customStringOver255CharactersIsAnError() {
    assertSingleError(
        decodeAll("attributes", "{\"external_id\":\"u1\",\"s\":\"" + "x".repeat(256) + "\"}"),
        "custom attribute 's' must be at most 255 characters",
        "attributes",
        0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"$time", "$foo"})
  void customAttributeNamesStartingWithDollarAreErrors(String name) {
    // Stored profiles mark times as {"$time": ...}: a user whose only custom attribute was
    // "$time":"t" had custom_attributes {"$time":"t"}, read back as a bad time (a 500 on every
    // later request for the user).
    assertSingleError(
        decodeAll("attributes", "{\"external_id\":\"u1\",\"" + name + "\":\"t\"}"),
        "custom attribute names must not start with '$'",
        "attributes",
        0);
  }

  @Test
  void nonNumericIncIsAnError() {
    assertSingleError(
        decodeAll("attributes", "{\"external_id\":\"u1\",\"count\":{\"inc\":\"1\"}}"),
        "'inc' of custom attribute 'count' must be a number",
        "attributes",
        0);
  }

  @Test
  void nonArrayAddIsAnError() {
    assertSingleError(
        decodeAll("attributes", "{\"external_id\":\"u1\",\"tags\":{\"add\":\"x\"}}"),
        "'add' of custom attribute 'tags' must be an array",
        "attributes",
        0);
  }

  @Test
  void nonArrayRemoveIsAnError() {
    assertSingleError(
        decodeAll("attributes", "{\"external_id\":\"u1\",\"tags\":{\"remove\":\"a\"}}"),
        "'remove' of custom attribute 'tags' must be an array",
        "attributes",
        0);
  }

  @Test
  void mergeObjectsFlagIsCarried() {
    assertThat(
            attributesUpdate(
                    decodeAll(
                        "attributes",
                        "{\"external_id\":\"u1\",\"_merge_objects\":true,\"o\":{\"b\":{\"d\":3}}}"))
                .mergeObjects())
        .isTrue();
  }
}
