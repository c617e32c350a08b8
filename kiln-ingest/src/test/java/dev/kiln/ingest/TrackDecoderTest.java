package dev.kiln.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.core.profile.ActivityAggregate;
import dev.kiln.core.profile.ActivityRecord;
import dev.kiln.core.profile.ProfileChange;
import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import dev.kiln.core.track.AttributesUpdate;
import dev.kiln.core.track.CustomAttributeOp;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/braze-reference.md sections 2 to 5 and docs/compatibility.md (POST /users/track). The edge
 * cases named below are those of docs/braze-reference.md section 13.
 */
class TrackDecoderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2025-03-04T05:06:07Z");
  private static final String MISSING_IDENTIFIER =
      "'external_id', 'braze_id', 'user_alias', 'email' or 'phone' is required";
  private static final String TWO_PRIMARIES =
      "only one of 'external_id', 'braze_id' or 'user_alias' may be given";
  private static final String INVALID_EMAIL =
      "The value provided for the 'email' field is not a valid email.";
  private static final String EXTERNAL_ID_TOO_LONG = "'external_id' must be fewer than 988 bytes";

  private final TrackDecoder decoder = new TrackDecoder(TrackLimits.DEFAULTS);

  private TrackBatch decode(String json) {
    return decoder.decode(Bodies.body(json), NOW);
  }

  /** The body with one array holding one object. */
  private TrackBatch decodeOne(String array, String object) {
    return decode("{\"" + array + "\":[" + object + "]}");
  }

  private static String event(String identifier) {
    return "{" + identifier + ",\"name\":\"played\",\"time\":\"2025-01-01T00:00:00Z\"}";
  }

  private static String purchase(String identifier, String extra) {
    return "{"
        + identifier
        + ",\"product_id\":\"sku\",\"currency\":\"USD\",\"price\":12.12,"
        + "\"time\":\"2025-01-01T00:00:00Z\""
        + extra
        + "}";
  }

  private static void assertSingleError(TrackBatch batch, String type, String array, int index) {
    assertThat(batch.errors()).containsExactly(new ObjectError(type, array, index));
  }

  private static ProfileChange onlyChange(TrackBatch batch) {
    assertThat(batch.errors()).isEmpty();
    assertThat(batch.changes()).hasSize(1);
    return batch.changes().get(0);
  }

  private static AttributesUpdate attributesUpdate(TrackBatch batch) {
    return (AttributesUpdate) onlyChange(batch).update();
  }

  private static UserProfile blank() {
    return UserProfile.blank("0123456789abcdef01234567", 1, NOW);
  }

  private static String objects(int count, String object) {
    return String.join(",", java.util.Collections.nCopies(count, object));
  }

  // --- fatal errors ---

  @ParameterizedTest
  @ValueSource(strings = {"attributes", "events", "purchases"})
  void seventySixObjectsInOneArrayRejectTheRequest(String array) {
    String json = "{\"" + array + "\":[" + objects(76, "{\"external_id\":\"u\"}") + "]}";

    assertThatThrownBy(() -> decode(json))
        .isInstanceOf(RejectedRequest.class)
        .hasMessage("Max Input Length Exceeded");
  }

  @Test
  void seventyFiveObjectsInEachArrayAreAccepted() {
    String json =
        "{\"attributes\":["
            + objects(75, "{\"external_id\":\"u\",\"first_name\":\"A\"}")
            + "],"
            + "\"events\":["
            + objects(75, event("\"external_id\":\"u\""))
            + "],"
            + "\"purchases\":["
            + objects(75, purchase("\"external_id\":\"u\"", ""))
            + "]}";

    TrackBatch batch = decode(json);

    assertThat(batch.errors()).isEmpty();
    assertThat(batch.changes()).hasSize(225);
    assertThat(batch.processed())
        .isEqualTo(
            Map.of("attributes_processed", 75, "events_processed", 75, "purchases_processed", 75));
  }

  @Test
  void tooManyObjectsInALaterArrayStillRejectsTheWholeRequest() {
    String json =
        "{\"attributes\":[{\"external_id\":\"u\"}],\"purchases\":["
            + objects(76, purchase("\"external_id\":\"u\"", ""))
            + "]}";

    assertThatThrownBy(() -> decode(json))
        .isInstanceOf(RejectedRequest.class)
        .hasMessage("Max Input Length Exceeded");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "\"x\"", "1", "true"})
  void anArrayThatIsNotAnArrayRejectsTheRequest(String value) {
    assertThatThrownBy(() -> decode("{\"events\":" + value + "}"))
        .isInstanceOf(RejectedRequest.class)
        .hasMessage("'events' must be an array");
  }

  @Test
  void attributesThatAreNotAnArrayNameTheField() {
    assertThatThrownBy(() -> decode("{\"attributes\":{\"external_id\":\"u\"}}"))
        .isInstanceOf(RejectedRequest.class)
        .hasMessage("'attributes' must be an array");
  }

  // --- identifiers ---

  @Test
  void objectWithoutIdentifierIsAnErrorAtItsIndex() {
    // edge case 2
    TrackBatch batch =
        decode(
            "{\"events\":["
                + event("\"external_id\":\"u1\"")
                + ","
                + "{\"name\":\"played\",\"time\":\"2025-01-01T00:00:00Z\"}]}");

    assertSingleError(batch, MISSING_IDENTIFIER, "events", 1);
    assertThat(batch.processed()).isEqualTo(Map.of("events_processed", 1));
    assertThat(batch.changes()).hasSize(1);
  }

  @Test
  void emptyExternalIdCountsAsNoIdentifier() {
    assertSingleError(
        decodeOne("attributes", "{\"external_id\":\"\",\"first_name\":\"A\"}"),
        MISSING_IDENTIFIER,
        "attributes",
        0);
  }

  @Test
  void externalIdAndBrazeIdTogetherAreAnError() {
    // edge case 6
    TrackBatch batch =
        decode(
            "{\"attributes\":[{\"external_id\":\"u1\",\"braze_id\":\"b1\",\"first_name\":\"A\"},"
                + "{\"external_id\":\"u2\",\"first_name\":\"B\"}]}");

    assertSingleError(batch, TWO_PRIMARIES, "attributes", 0);
    assertThat(batch.changes())
        .extracting(ProfileChange::lookup)
        .containsExactly(new UserLookup.ExternalId("u2"));
  }

  @Test
  void externalIdAndUserAliasTogetherAreAnError() {
    assertSingleError(
        decodeOne(
            "events",
            event(
                "\"external_id\":\"u1\",\"user_alias\":{\"alias_name\":\"n\",\"alias_label\":\"l\"}")),
        TWO_PRIMARIES,
        "events",
        0);
  }

  @Test
  void userAliasAndBrazeIdTogetherAreAnError() {
    assertSingleError(
        decodeOne(
            "purchases",
            purchase(
                "\"braze_id\":\"b1\",\"user_alias\":{\"alias_name\":\"n\",\"alias_label\":\"l\"}",
                "")),
        TWO_PRIMARIES,
        "purchases",
        0);
  }

  @Test
  void externalIdOf987BytesIsAccepted() {
    String id = "a".repeat(987);

    ProfileChange change = onlyChange(decodeOne("attributes", "{\"external_id\":\"" + id + "\"}"));

    assertThat(change.lookup()).isEqualTo(new UserLookup.ExternalId(id));
  }

  @Test
  void externalIdOf988BytesIsAnError() {
    // edge case 27
    assertSingleError(
        decodeOne("attributes", "{\"external_id\":\"" + "a".repeat(988) + "\"}"),
        EXTERNAL_ID_TOO_LONG,
        "attributes",
        0);
  }

  @Test
  void externalIdLimitCountsUtf8BytesNotCharacters() {
    String twoByteChars = "é".repeat(494); // 494 characters, 988 bytes

    assertSingleError(
        decodeOne("attributes", "{\"external_id\":\"" + twoByteChars + "\"}"),
        EXTERNAL_ID_TOO_LONG,
        "attributes",
        0);
  }

  @Test
  void multiByteExternalIdOf987BytesIsAccepted() {
    String id = "é".repeat(493) + "a"; // 987 bytes

    assertThat(onlyChange(decodeOne("attributes", "{\"external_id\":\"" + id + "\"}")).lookup())
        .isEqualTo(new UserLookup.ExternalId(id));
  }

  @Test
  void fourByteCharactersCountFourBytesEach() {
    String tooLong = "😀".repeat(247); // 988 bytes
    String fits = "😀".repeat(246) + "abc"; // 987 bytes

    assertSingleError(
        decodeOne("events", event("\"external_id\":\"" + tooLong + "\"")),
        EXTERNAL_ID_TOO_LONG,
        "events",
        0);
    assertThat(onlyChange(decodeOne("events", event("\"external_id\":\"" + fits + "\""))).lookup())
        .isEqualTo(new UserLookup.ExternalId(fits));
  }

  @Test
  void nonStringExternalIdIsAnError() {
    assertSingleError(
        decodeOne("attributes", "{\"external_id\":123}"),
        "'external_id' must be a string",
        "attributes",
        0);
  }

  @Test
  void malformedUserAliasIsAnError() {
    assertSingleError(
        decodeOne("attributes", "{\"user_alias\":{\"alias_name\":\"n\"}}"),
        "'user_alias' must be an object with string 'alias_name' and 'alias_label'",
        "attributes",
        0);
  }

  @Test
  void emailIsTheLookupWithoutAPrimaryIdentifier() {
    assertThat(
            onlyChange(
                    decodeOne("attributes", "{\"email\":\"a@b.com\",\"phone\":\"+15551234567\"}"))
                .lookup())
        .isEqualTo(new UserLookup.Email("a@b.com"));
  }

  @Test
  void phoneIsTheLookupWithoutPrimaryOrEmail() {
    assertThat(onlyChange(decodeOne("attributes", "{\"phone\":\"+15551234567\"}")).lookup())
        .isEqualTo(new UserLookup.Phone("+15551234567"));
  }

  @Test
  void emailBesideAnExternalIdIsAnAttributeNotTheLookup() {
    // edge case 7
    TrackBatch batch = decodeOne("attributes", "{\"external_id\":\"u1\",\"email\":\"a@b.com\"}");

    assertThat(onlyChange(batch).lookup()).isEqualTo(new UserLookup.ExternalId("u1"));
    assertThat(attributesUpdate(batch).standard()).containsEntry("email", "a@b.com");
  }

  @Test
  void invalidEmailAttributeIsAnError() {
    // edge case 11
    assertSingleError(
        decodeOne("attributes", "{\"external_id\":\"u1\",\"email\":\"not-an-email\"}"),
        INVALID_EMAIL,
        "attributes",
        0);
  }

  @Test
  void invalidEmailIdentifierIsAnError() {
    assertSingleError(
        decodeOne("events", event("\"email\":\"not-an-email\"")), INVALID_EMAIL, "events", 0);
  }

  // --- attribute values ---

  @Test
  void badEmailSubscribeIsAnError() {
    // edge case 12
    assertSingleError(
        decodeOne("attributes", "{\"external_id\":\"u1\",\"email_subscribe\":\"yes\"}"),
        "'email_subscribe' must be 'opted_in', 'subscribed' or 'unsubscribed'",
        "attributes",
        0);
  }

  @Test
  void badPushSubscribeIsAnError() {
    assertSingleError(
        decodeOne("attributes", "{\"external_id\":\"u1\",\"push_subscribe\":\"Subscribed\"}"),
        "'push_subscribe' must be 'opted_in', 'subscribed' or 'unsubscribed'",
        "attributes",
        0);
  }

  @Test
  void validEmailSubscribeIsAStandardValueAndGoesToSameEmailUsers() {
    ProfileChange change =
        onlyChange(
            decodeOne("attributes", "{\"external_id\":\"u1\",\"email_subscribe\":\"opted_in\"}"));

    assertThat(((AttributesUpdate) change.update()).standard())
        .containsEntry("email_subscribe", "opted_in");
    assertThat(change.sameEmail()).isPresent();
  }

  @Test
  void attributesWithoutSubscriptionsHaveNoSameEmailUpdate() {
    assertThat(
            onlyChange(decodeOne("attributes", "{\"external_id\":\"u1\",\"first_name\":\"A\"}"))
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
    // back as a
    // time, or could not be read at all (a 500 on /users/track/sync and on every later request for
    // the user).
    assertSingleError(
        decodeOne("attributes", "{\"external_id\":\"u1\",\"facebook\":" + object + "}"),
        "'facebook' must not hold keys with '$'",
        "attributes",
        0);
    assertSingleError(
        decodeOne("attributes", "{\"external_id\":\"u1\",\"twitter\":" + object + "}"),
        "'twitter' must not hold keys with '$'",
        "attributes",
        0);
  }

  @Test
  void genderXIsIgnoredWithoutAnError() {
    // edge case 13
    TrackBatch batch =
        decodeOne("attributes", "{\"external_id\":\"u1\",\"gender\":\"X\",\"first_name\":\"A\"}");

    AttributesUpdate update = attributesUpdate(batch);
    assertThat(update.standard()).doesNotContainKey("gender").containsEntry("first_name", "A");
  }

  @Test
  void lowerCaseGenderIsStoredUpperCase() {
    assertThat(
            attributesUpdate(decodeOne("attributes", "{\"external_id\":\"u1\",\"gender\":\"f\"}"))
                .standard())
        .containsEntry("gender", "F");
  }

  @Test
  void countryNameIsStoredAsAlpha2() {
    // edge case 14
    assertThat(
            attributesUpdate(
                    decodeOne("attributes", "{\"external_id\":\"u1\",\"country\":\"Australia\"}"))
                .standard())
        .containsEntry("country", "AU");
  }

  @Test
  void unmappableCountryIsStoredAsNull() {
    // edge case 14: "Narnia" -> stored null
    AttributesUpdate update =
        attributesUpdate(
            decodeOne("attributes", "{\"external_id\":\"u1\",\"country\":\"Narnia\"}"));

    assertThat(update.standard()).containsEntry("country", null);
    UserProfile before = blank().withAttributes(Map.of("country", "AU"));
    assertThat(update.apply(before, NOW).attributes()).doesNotContainKey("country");
  }

  @Test
  void nullAttributeRemovesIt() {
    // edge case 15
    AttributesUpdate update =
        attributesUpdate(
            decodeOne(
                "attributes", "{\"external_id\":\"u1\",\"first_name\":null,\"my_attr\":null}"));

    assertThat(update.standard()).containsEntry("first_name", null);
    assertThat(update.custom()).containsEntry("my_attr", new CustomAttributeOp.Unset());
  }

  @Test
  void nullExternalIdIsNotRemovedAndIsNoIdentifier() {
    assertSingleError(
        decodeOne("attributes", "{\"external_id\":null,\"first_name\":\"A\"}"),
        MISSING_IDENTIFIER,
        "attributes",
        0);
  }

  @Test
  void pushTokenImportIsAnError() {
    assertSingleError(
        decodeOne("attributes", "{\"email\":\"a@b.com\",\"push_token_import\":true}"),
        "push token import is not supported by Kiln",
        "attributes",
        0);
  }

  @Test
  void pushTokenImportFalseIsAccepted() {
    assertThat(
            decodeOne("attributes", "{\"external_id\":\"u1\",\"push_token_import\":false}")
                .errors())
        .isEmpty();
  }

  @Test
  void nestedObjectWithBadTimeIsDroppedButOtherFieldsAreKept() {
    // edge case 22 / section 2.5
    TrackBatch batch =
        decodeOne(
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
            decodeOne(
                "attributes",
                "{\"external_id\":\"u1\",\"o\":{\"when\":{\"$time\":null}},\"p\":1}"));

    assertThat(update.custom()).doesNotContainKey("o").containsKey("p");
  }

  @Test
  void nestedObjectWithValidTimeStoresAnInstant() {
    AttributesUpdate update =
        attributesUpdate(
            decodeOne(
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
            decodeOne(
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
                    decodeOne("attributes", "{\"external_id\":\"u1\",\"d\":\"3001-01-01\"}"))
                .custom())
        .containsEntry("d", new CustomAttributeOp.Set("3001-01-01"));
  }

  @Test
  void duplicateArrayLiteralValuesAreStoredOnce() {
    // edge case 16
    assertThat(
            attributesUpdate(
                    decodeOne(
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
                    decodeOne("attributes", "{\"external_id\":\"u1\",\"count\":{\"inc\":-3}}"))
                .custom())
        .containsEntry("count", new CustomAttributeOp.Increment(-3L));
  }

  @Test
  void customStringOf255CharactersIsAccepted() {
    assertThat(
            attributesUpdate(
                    decodeOne(
                        "attributes", "{\"external_id\":\"u1\",\"s\":\"" + "x".repeat(255) + "\"}"))
                .custom())
        .containsEntry("s", new CustomAttributeOp.Set("x".repeat(255)));
  }

  @Test
  void customStringOver255CharactersIsAnError() {
    assertSingleError(
        decodeOne("attributes", "{\"external_id\":\"u1\",\"s\":\"" + "x".repeat(256) + "\"}"),
        "custom attribute 's' must be at most 255 characters",
        "attributes",
        0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"$time", "$foo"})
  void customAttributeNamesStartingWithDollarAreErrors(String name) {
    // Stored profiles mark times as {"$time": ...}: a user whose only custom attribute was
    // "$time":"t" had
    // custom_attributes {"$time":"t"}, read back as a bad time (a 500 on every later request for
    // the user).
    assertSingleError(
        decodeOne("attributes", "{\"external_id\":\"u1\",\"" + name + "\":\"t\"}"),
        "custom attribute names must not start with '$'",
        "attributes",
        0);
  }

  @Test
  void nonNumericIncIsAnError() {
    assertSingleError(
        decodeOne("attributes", "{\"external_id\":\"u1\",\"count\":{\"inc\":\"1\"}}"),
        "'inc' of custom attribute 'count' must be a number",
        "attributes",
        0);
  }

  @Test
  void nonArrayAddIsAnError() {
    assertSingleError(
        decodeOne("attributes", "{\"external_id\":\"u1\",\"tags\":{\"add\":\"x\"}}"),
        "'add' of custom attribute 'tags' must be an array",
        "attributes",
        0);
  }

  @Test
  void mergeObjectsFlagIsCarried() {
    assertThat(
            attributesUpdate(
                    decodeOne(
                        "attributes",
                        "{\"external_id\":\"u1\",\"_merge_objects\":true,\"o\":{\"b\":{\"d\":3}}}"))
                .mergeObjects())
        .isTrue();
  }

  // --- _update_existing_only ---

  private ProfileChange changeOf(String array, String object) {
    return onlyChange(decodeOne(array, object));
  }

  private static final String ALIAS = "\"user_alias\":{\"alias_name\":\"n\",\"alias_label\":\"l\"}";

  @Test
  void aliasAttributesDefaultToUpdateExistingOnly() {
    // edge case 4
    ProfileChange change = changeOf("attributes", "{" + ALIAS + ",\"first_name\":\"A\"}");

    assertThat(change.lookup()).isEqualTo(new UserLookup.Alias(new UserAlias("n", "l")));
    assertThat(change.createIfMissing()).isFalse();
  }

  @Test
  void aliasAttributesWithUpdateExistingOnlyFalseMayCreate() {
    assertThat(
            changeOf("attributes", "{" + ALIAS + ",\"_update_existing_only\":false}")
                .createIfMissing())
        .isTrue();
  }

  @Test
  void aliasAttributesWithUpdateExistingOnlyTrueDoNotCreate() {
    assertThat(
            changeOf("attributes", "{" + ALIAS + ",\"_update_existing_only\":true}")
                .createIfMissing())
        .isFalse();
  }

  @Test
  void aliasEventsNeverCreateEvenWithUpdateExistingOnlyFalse() {
    assertThat(changeOf("events", event(ALIAS)).createIfMissing()).isFalse();
    assertThat(
            changeOf("events", event(ALIAS + ",\"_update_existing_only\":false")).createIfMissing())
        .isFalse();
  }

  @Test
  void aliasPurchasesNeverCreateEvenWithUpdateExistingOnlyFalse() {
    assertThat(
            changeOf("purchases", purchase(ALIAS, ",\"_update_existing_only\":false"))
                .createIfMissing())
        .isFalse();
  }

  @Test
  void externalIdDefaultsToCreate() {
    // edge case 5
    assertThat(
            changeOf("attributes", "{\"external_id\":\"new1\",\"first_name\":\"A\"}")
                .createIfMissing())
        .isTrue();
    assertThat(changeOf("events", event("\"external_id\":\"new1\"")).createIfMissing()).isTrue();
    assertThat(changeOf("purchases", purchase("\"external_id\":\"new1\"", "")).createIfMissing())
        .isTrue();
  }

  @Test
  void externalIdWithUpdateExistingOnlyTrueDoesNotCreate() {
    assertThat(
            changeOf("attributes", "{\"external_id\":\"new1\",\"_update_existing_only\":true}")
                .createIfMissing())
        .isFalse();
    assertThat(
            changeOf("events", event("\"external_id\":\"new1\",\"_update_existing_only\":true"))
                .createIfMissing())
        .isFalse();
  }

  @Test
  void externalIdWithUpdateExistingOnlyFalseCreates() {
    assertThat(
            changeOf("attributes", "{\"external_id\":\"new1\",\"_update_existing_only\":false}")
                .createIfMissing())
        .isTrue();
  }

  @Test
  void emailIdentifierDefaultsToCreate() {
    // edge case 9
    assertThat(changeOf("attributes", "{\"email\":\"new@x.com\",\"foo\":1}").createIfMissing())
        .isTrue();
  }

  @Test
  void nonBooleanUpdateExistingOnlyIsAnError() {
    assertSingleError(
        decodeOne("attributes", "{\"external_id\":\"u1\",\"_update_existing_only\":\"yes\"}"),
        "'_update_existing_only' must be a boolean",
        "attributes",
        0);
  }

  // --- events ---

  @Test
  void eventIsRecordedWithItsTimeAndProperties() {
    ProfileChange change =
        changeOf(
            "events",
            "{\"external_id\":\"u1\",\"name\":\"played\",\"app_id\":\"app\","
                + "\"time\":\"2025-01-01T00:00:00Z\",\"properties\":{\"level\":3}}");

    assertThat(change.activities())
        .containsExactly(
            new ActivityRecord.CustomEvent(
                "played", Instant.parse("2025-01-01T00:00:00Z"), "app", Map.of("level", 3L)));
    assertThat(change.update().apply(blank(), NOW).customEvents())
        .containsEntry("played", ActivityAggregate.of(Instant.parse("2025-01-01T00:00:00Z"), 1));
  }

  @Test
  void futureEventTimeIsClampedToNow() {
    // edge case 24
    ProfileChange change =
        changeOf(
            "events",
            "{\"external_id\":\"u1\",\"name\":\"played\",\"time\":\"2030-01-01T00:00:00Z\"}");

    assertThat(change.activities().get(0).time()).isEqualTo(NOW);
    assertThat(change.update().apply(blank(), NOW).customEvents())
        .containsEntry("played", ActivityAggregate.of(NOW, 1));
  }

  @Test
  void futurePurchaseTimeIsClampedToNow() {
    ProfileChange change =
        changeOf(
            "purchases",
            "{\"external_id\":\"u1\",\"product_id\":\"sku\",\"currency\":\"USD\","
                + "\"price\":1,\"time\":\"2030-01-01T00:00:00Z\"}");

    assertThat(change.activities().get(0).time()).isEqualTo(NOW);
  }

  @Test
  void timeWithSingleDigitOffsetIsAccepted() {
    ProfileChange change =
        changeOf(
            "events",
            "{\"external_id\":\"u1\",\"name\":\"played\",\"time\":\"2013-07-16T19:20:30+1:00\"}");

    assertThat(change.activities().get(0).time()).isEqualTo(Instant.parse("2013-07-16T18:20:30Z"));
  }

  @Test
  void eventWithoutTimeIsAnError() {
    assertSingleError(
        decodeOne("events", "{\"external_id\":\"u1\",\"name\":\"played\"}"),
        "'time' is required",
        "events",
        0);
  }

  @Test
  void eventWithBadTimeIsAnError() {
    assertSingleError(
        decodeOne("events", "{\"external_id\":\"u1\",\"name\":\"played\",\"time\":\"hello\"}"),
        "'time' must be a valid time",
        "events",
        0);
  }

  @Test
  void eventWithoutNameIsAnError() {
    assertSingleError(
        decodeOne("events", "{\"external_id\":\"u1\",\"time\":\"2025-01-01T00:00:00Z\"}"),
        "'name' is required",
        "events",
        0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"time", "event_name", "$foo"})
  void reservedOrDollarPropertyNamesAreErrors(String name) {
    // edge case 25
    assertSingleError(
        decodeOne(
            "events",
            "{\"external_id\":\"u1\",\"name\":\"played\",\"time\":\"2025-01-01T00:00:00Z\","
                + "\"properties\":{\""
                + name
                + "\":1}}"),
        "property name '" + name + "' is not allowed",
        "events",
        0);
  }

  @Test
  void reservedPropertyNamesAreErrorsOnPurchasesToo() {
    assertSingleError(
        decodeOne("purchases", purchase("\"external_id\":\"u1\"", ",\"properties\":{\"$foo\":1}")),
        "property name '$foo' is not allowed",
        "purchases",
        0);
  }

  @Test
  void eventPropertyWithNullValueDoesNotFailTheWholeRequest() {
    // FAILS (bug): JsonValues.property keeps JSON null ("null is kept"), but
    // ActivityRecord.CustomEvent
    // copies properties with Map.copyOf, which throws NullPointerException on a null value. The NPE
    // escapes
    // TrackDecoder.decode, so one event with {"note": null} turns the whole /users/track request
    // into a 500
    // instead of being processed (or, at worst, reported as a per-object error).
    TrackBatch batch =
        decode(
            "{\"events\":[{\"external_id\":\"u1\",\"name\":\"played\","
                + "\"time\":\"2025-01-01T00:00:00Z\",\"properties\":{\"note\":null,\"level\":3}},"
                + event("\"external_id\":\"u2\"")
                + "]}");

    assertThat(batch.errors()).isEmpty();
    assertThat(batch.processed()).isEqualTo(Map.of("events_processed", 2));
  }

  @Test
  void purchasePropertyWithNullValueDoesNotFailTheWholeRequest() {
    // FAILS (bug): same as above, through ActivityRecord.Purchase's Map.copyOf.
    TrackBatch batch =
        decode(
            "{\"purchases\":["
                + purchase("\"external_id\":\"u1\"", ",\"properties\":{\"note\":null}")
                + "]}");

    assertThat(batch.errors()).isEmpty();
    assertThat(batch.processed()).isEqualTo(Map.of("purchases_processed", 1));
  }

  @Test
  void nonObjectPropertiesAreAnError() {
    assertSingleError(
        decodeOne(
            "events",
            "{\"external_id\":\"u1\",\"name\":\"played\",\"time\":\"2025-01-01T00:00:00Z\","
                + "\"properties\":[1]}"),
        "'properties' must be an object",
        "events",
        0);
  }

  // --- purchases ---

  @Test
  void purchaseWithoutQuantityCountsOne() {
    // edge case 26
    ProfileChange change = changeOf("purchases", purchase("\"external_id\":\"u1\"", ""));

    ActivityRecord.Purchase record = (ActivityRecord.Purchase) change.activities().get(0);
    assertThat(record.quantity()).isEqualTo(1);
    assertThat(record.currency()).isEqualTo("USD");
    assertThat(record.price()).isEqualByComparingTo("12.12");
  }

  @Test
  void purchaseQuantityCountsAndMultipliesRevenue() {
    ProfileChange change =
        changeOf("purchases", purchase("\"external_id\":\"u1\"", ",\"quantity\":6"));

    UserProfile after = change.update().apply(blank(), NOW);
    assertThat(after.purchases().get("sku").count()).isEqualTo(6);
    assertThat(after.totalRevenue()).isEqualByComparingTo("72.72");
  }

  @Test
  void quantityOf100IsAccepted() {
    assertThat(
            decodeOne("purchases", purchase("\"external_id\":\"u1\"", ",\"quantity\":100"))
                .errors())
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"invalid\"", "0", "-1", "101", "1.5", "\"3\"", "true"})
  void badQuantityIsAnError(String quantity) {
    assertSingleError(
        decodeOne("purchases", purchase("\"external_id\":\"u1\"", ",\"quantity\":" + quantity)),
        "'quantity' is not valid",
        "purchases",
        0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"dollars\"", "\"US\"", "\"ZZZ\"", "1", "\"\""})
  void badCurrencyIsAnError(String currency) {
    String object =
        "{\"external_id\":\"u1\",\"product_id\":\"sku\",\"currency\":"
            + currency
            + ",\"price\":1,\"time\":\"2025-01-01T00:00:00Z\"}";

    assertSingleError(
        decodeOne("purchases", object), "'currency' must be an ISO 4217 currency", "purchases", 0);
  }

  @Test
  void missingCurrencyIsAnError() {
    assertSingleError(
        decodeOne(
            "purchases",
            "{\"external_id\":\"u1\",\"product_id\":\"sku\",\"price\":1,\"time\":\"2025-01-01T00:00:00Z\"}"),
        "'currency' must be an ISO 4217 currency",
        "purchases",
        0);
  }

  @Test
  void missingPriceIsAnError() {
    assertSingleError(
        decodeOne(
            "purchases",
            "{\"external_id\":\"u1\",\"product_id\":\"sku\",\"currency\":\"USD\",\"time\":\"2025-01-01T00:00:00Z\"}"),
        "'price' is required",
        "purchases",
        0);
  }

  @Test
  void nonNumericPriceIsAnError() {
    assertSingleError(
        decodeOne(
            "purchases",
            "{\"external_id\":\"u1\",\"product_id\":\"sku\",\"currency\":\"USD\","
                + "\"price\":\"12\",\"time\":\"2025-01-01T00:00:00Z\"}"),
        "'price' must be a number",
        "purchases",
        0);
  }

  @Test
  void missingProductIdIsAnError() {
    assertSingleError(
        decodeOne(
            "purchases",
            "{\"external_id\":\"u1\",\"currency\":\"USD\",\"price\":1,\"time\":\"2025-01-01T00:00:00Z\"}"),
        "'product_id' is required",
        "purchases",
        0);
  }

  // --- processed counts and order ---

  @Test
  void processedCountsOnlyTheArraysSent() {
    TrackBatch batch = decode("{\"events\":[" + event("\"external_id\":\"u1\"") + "]}");

    assertThat(batch.processed()).isEqualTo(Map.of("events_processed", 1));
  }

  @Test
  void processedCountsOnlyValidObjects() {
    TrackBatch batch =
        decode(
            "{\"attributes\":[{\"external_id\":\"u1\"},{\"first_name\":\"x\"},{\"external_id\":\"u2\"}],"
                + "\"purchases\":["
                + purchase("\"external_id\":\"u1\"", ",\"quantity\":0")
                + "]}");

    assertThat(batch.processed())
        .isEqualTo(Map.of("attributes_processed", 2, "purchases_processed", 0));
    assertThat(batch.errors())
        .containsExactly(
            new ObjectError(MISSING_IDENTIFIER, "attributes", 1),
            new ObjectError("'quantity' is not valid", "purchases", 0));
  }

  @Test
  void nullArrayIsTreatedAsNotSent() {
    TrackBatch batch =
        decode("{\"attributes\":null,\"events\":[" + event("\"external_id\":\"u1\"") + "]}");

    assertThat(batch.processed()).isEqualTo(Map.of("events_processed", 1));
  }

  @Test
  void emptyBodyHasNoChangesAndNoCounts() {
    TrackBatch batch = decode("{}");

    assertThat(batch.changes()).isEmpty();
    assertThat(batch.processed()).isEmpty();
    assertThat(batch.errors()).isEmpty();
    assertThat(batch.hasValidObjects()).isFalse();
  }

  @Test
  void nonObjectArrayItemIsAnErrorAtItsIndex() {
    TrackBatch batch = decode("{\"events\":[" + event("\"external_id\":\"u1\"") + ",42]}");

    assertSingleError(batch, "each item of 'events' must be an object", "events", 1);
  }

  @Test
  void changesComeInOrderAttributesEventsPurchasesWhateverTheBodyOrder() {
    String json =
        "{\"purchases\":["
            + purchase("\"external_id\":\"p1\"", "")
            + "],"
            + "\"events\":["
            + event("\"external_id\":\"e1\"")
            + ","
            + event("\"external_id\":\"e2\"")
            + "],"
            + "\"attributes\":[{\"external_id\":\"a1\"},{\"external_id\":\"a2\"}]}";

    TrackBatch batch = decode(json);

    assertThat(batch.changes())
        .extracting(ProfileChange::lookup)
        .containsExactly(
            new UserLookup.ExternalId("a1"),
            new UserLookup.ExternalId("a2"),
            new UserLookup.ExternalId("e1"),
            new UserLookup.ExternalId("e2"),
            new UserLookup.ExternalId("p1"));
    assertThat(batch.processed().keySet())
        .containsExactly("attributes_processed", "events_processed", "purchases_processed");
  }

  @Test
  void objectCountIncludesInvalidObjects() {
    TrackBatch batch =
        decode("{\"events\":[" + event("\"external_id\":\"u1\"") + ",{\"name\":\"x\"}]}");

    assertThat(batch.objectCount()).isEqualTo(2);
  }

  @Test
  void errorIndexesAreZeroBasedWithinTheirArray() {
    ArrayNode attributes = JSON.createArrayNode();
    for (int i = 0; i < 5; i++) {
      attributes.add(
          i == 3
              ? Bodies.body("{\"first_name\":\"x\"}")
              : Bodies.body("{\"external_id\":\"u" + i + "\"}"));
    }
    ObjectNode request = JSON.createObjectNode();
    request.set("attributes", attributes);

    TrackBatch batch = decoder.decode(request, NOW);

    assertSingleError(batch, MISSING_IDENTIFIER, "attributes", 3);
    assertThat(batch.processed()).containsEntry("attributes_processed", 4);
  }

  @Test
  void purchaseTotalsUseExactDecimalPrice() {
    ProfileChange change =
        changeOf(
            "purchases",
            "{\"external_id\":\"u1\",\"product_id\":\"sku\",\"currency\":\"EUR\","
                + "\"price\":0.1,\"quantity\":3,\"time\":\"2025-01-01T00:00:00Z\"}");

    assertThat(change.update().apply(blank(), NOW).totalRevenue())
        .isEqualByComparingTo(new BigDecimal("0.3"));
  }
}
