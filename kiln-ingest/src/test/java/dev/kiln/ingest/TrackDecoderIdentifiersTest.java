package dev.kiln.ingest;

import static dev.kiln.ingest.TrackDecoding.INVALID_EMAIL;
import static dev.kiln.ingest.TrackDecoding.MISSING_IDENTIFIER;
import static dev.kiln.ingest.TrackDecoding.TWO_PRIMARIES;
import static dev.kiln.ingest.TrackDecoding.assertNothingValid;
import static dev.kiln.ingest.TrackDecoding.assertSingleError;
import static dev.kiln.ingest.TrackDecoding.attributesUpdate;
import static dev.kiln.ingest.TrackDecoding.decode;
import static dev.kiln.ingest.TrackDecoding.decodeAll;
import static dev.kiln.ingest.TrackDecoding.event;
import static dev.kiln.ingest.TrackDecoding.onlyChange;
import static dev.kiln.ingest.TrackDecoding.purchase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.profile.ProfileChange;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.track.AttributesUpdate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The identifier rules of docs/compatibility.md ("Identifiers") and the bounds of alias names,
 * labels and phones: each bad identifier an error of its own object, beside valid objects. The wire
 * shape of such errors (201 with the errors, or 400 when no object is valid) is ITTrackEdgeCases'.
 */
class TrackDecoderIdentifiersTest {
  private static final String OVER_BOUND = "é".repeat(256); // characters, not bytes

  @Test
  void invalidIdentifierShapesArePerObjectErrors() {
    TrackBatch batch =
        decodeAll(
            "attributes",
            "{\"external_id\":42,\"first_name\":\"X\"}",
            "{\"user_alias\":{\"alias_name\":\"n\"},\"_update_existing_only\":false,\"first_name\":\"X\"}",
            "{\"user_alias\":{\"alias_name\":1,\"alias_label\":\"l\"},\"_update_existing_only\":false,\"first_name\":\"X\"}",
            "{\"user_alias\":\"n\",\"first_name\":\"X\"}",
            "{\"braze_id\":7,\"first_name\":\"X\"}",
            "{\"external_id\":\"ids-bad\",\"_update_existing_only\":\"yes\",\"first_name\":\"X\"}",
            "{\"external_id\":\"ids-ok\",\"first_name\":\"Y\"}");

    String badAlias = "'user_alias' must be an object with string 'alias_name' and 'alias_label'";
    assertThat(batch.errors())
        .containsExactly(
            new ObjectError("'external_id' must be a string", "attributes", 0),
            new ObjectError(badAlias, "attributes", 1),
            new ObjectError(badAlias, "attributes", 2),
            new ObjectError(badAlias, "attributes", 3),
            new ObjectError("'braze_id' must be a string", "attributes", 4),
            new ObjectError("'_update_existing_only' must be a boolean", "attributes", 5));
    assertThat(batch.processed()).containsExactlyEntriesOf(Map.of("attributes_processed", 1));
    assertThat(batch.changes()).as("only the valid object is applied, nothing for '42'").hasSize(1);
    ProfileChange valid = batch.changes().get(0);
    assertThat(valid.lookup()).isEqualTo(new UserLookup.ExternalId("ids-ok"));
    assertThat(((AttributesUpdate) valid.update()).standard()).containsEntry("first_name", "Y");
  }

  @Test
  void aliasNamesAndLabelsHoldUpTo255Characters() {
    assertNothingValid(
        decodeAll(
            "attributes",
            "{\"user_alias\":{\"alias_name\":\""
                + OVER_BOUND
                + "\",\"alias_label\":\"crm\"},\"_update_existing_only\":false}"),
        new ObjectError("'alias_name' must be at most 255 characters", "attributes", 0));
    assertNothingValid(
        decodeAll(
            "attributes",
            "{\"user_alias\":{\"alias_name\":\"n\",\"alias_label\":\""
                + OVER_BOUND
                + "\"},\"_update_existing_only\":false}"),
        new ObjectError("'alias_label' must be at most 255 characters", "attributes", 0));
  }

  @Test
  void aPhoneUsedAsIdentifierHoldsUpTo255Characters() {
    assertNothingValid(
        decodeAll("attributes", "{\"phone\":\"" + "1".repeat(256) + "\",\"plan\":\"pro\"}"),
        new ObjectError("'phone' must be at most 255 characters", "attributes", 0));
  }

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
        decodeAll("attributes", "{\"external_id\":\"\",\"first_name\":\"A\"}"),
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
        decodeAll(
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
        decodeAll(
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

    ProfileChange change = onlyChange(decodeAll("attributes", "{\"external_id\":\"" + id + "\"}"));

    assertThat(change.lookup()).isEqualTo(new UserLookup.ExternalId(id));
  }

  @Test
  void externalIdOf988BytesIsAnError() {
    // edge case 27
    assertSingleError(
        decodeAll("attributes", "{\"external_id\":\"" + "a".repeat(988) + "\"}"),
        Bodies.TOO_LONG_EXTERNAL_ID_MESSAGE,
        "attributes",
        0);
  }

  @Test
  void externalIdLimitCountsUtf8BytesNotCharacters() {
    String twoByteChars = "é".repeat(494); // 494 characters, 988 bytes

    assertSingleError(
        decodeAll("attributes", "{\"external_id\":\"" + twoByteChars + "\"}"),
        Bodies.TOO_LONG_EXTERNAL_ID_MESSAGE,
        "attributes",
        0);
  }

  @Test
  void multiByteExternalIdOf987BytesIsAccepted() {
    String id = "é".repeat(493) + "a"; // 987 bytes

    assertThat(onlyChange(decodeAll("attributes", "{\"external_id\":\"" + id + "\"}")).lookup())
        .isEqualTo(new UserLookup.ExternalId(id));
  }

  @Test
  void fourByteCharactersCountFourBytesEach() {
    String tooLong = "😀".repeat(247); // 988 bytes
    String fits = "😀".repeat(246) + "abc"; // 987 bytes

    assertSingleError(
        decodeAll("events", event("\"external_id\":\"" + tooLong + "\"")),
        Bodies.TOO_LONG_EXTERNAL_ID_MESSAGE,
        "events",
        0);
    assertThat(onlyChange(decodeAll("events", event("\"external_id\":\"" + fits + "\""))).lookup())
        .isEqualTo(new UserLookup.ExternalId(fits));
  }

  @Test
  void nonStringExternalIdIsAnError() {
    assertSingleError(
        decodeAll("attributes", "{\"external_id\":123}"),
        "'external_id' must be a string",
        "attributes",
        0);
  }

  @Test
  void malformedUserAliasIsAnError() {
    assertSingleError(
        decodeAll("attributes", "{\"user_alias\":{\"alias_name\":\"n\"}}"),
        "'user_alias' must be an object with string 'alias_name' and 'alias_label'",
        "attributes",
        0);
  }

  @Test
  void emailIsTheLookupWithoutAPrimaryIdentifier() {
    assertThat(
            onlyChange(
                    decodeAll("attributes", "{\"email\":\"a@b.com\",\"phone\":\"+15551234567\"}"))
                .lookup())
        .isEqualTo(new UserLookup.Email("a@b.com"));
  }

  @Test
  void phoneIsTheLookupWithoutPrimaryOrEmail() {
    assertThat(onlyChange(decodeAll("attributes", "{\"phone\":\"+15551234567\"}")).lookup())
        .isEqualTo(new UserLookup.Phone("+15551234567"));
  }

  @Test
  void emailBesideAnExternalIdIsAnAttributeNotTheLookup() {
    // edge case 7
    TrackBatch batch = decodeAll("attributes", "{\"external_id\":\"u1\",\"email\":\"a@b.com\"}");

    assertThat(onlyChange(batch).lookup()).isEqualTo(new UserLookup.ExternalId("u1"));
    assertThat(attributesUpdate(batch).standard()).containsEntry("email", "a@b.com");
  }

  @Test
  void invalidEmailAttributeIsAnError() {
    // edge case 11
    assertSingleError(
        decodeAll("attributes", "{\"external_id\":\"u1\",\"email\":\"not-an-email\"}"),
        INVALID_EMAIL,
        "attributes",
        0);
  }

  @Test
  void invalidEmailIdentifierIsAnError() {
    assertSingleError(
        decodeAll("events", event("\"email\":\"not-an-email\"")), INVALID_EMAIL, "events", 0);
  }
}
