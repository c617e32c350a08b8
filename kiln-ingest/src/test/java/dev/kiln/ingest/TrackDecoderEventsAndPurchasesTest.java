package dev.kiln.ingest;

import static dev.kiln.ingest.TrackDecoding.NOW;
import static dev.kiln.ingest.TrackDecoding.assertEachRejected;
import static dev.kiln.ingest.TrackDecoding.assertNothingValid;
import static dev.kiln.ingest.TrackDecoding.assertSingleError;
import static dev.kiln.ingest.TrackDecoding.blank;
import static dev.kiln.ingest.TrackDecoding.changeOf;
import static dev.kiln.ingest.TrackDecoding.decode;
import static dev.kiln.ingest.TrackDecoding.decodeAll;
import static dev.kiln.ingest.TrackDecoding.event;
import static dev.kiln.ingest.TrackDecoding.purchase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.profile.ActivityAggregate;
import dev.kiln.core.profile.ActivityRecord;
import dev.kiln.core.profile.ProfileChange;
import dev.kiln.core.profile.UserProfile;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The checks of events (docs/braze-reference.md section 4) and purchases (5) with
 * docs/compatibility.md "Events" and "Purchases": which objects are refused and with what words.
 * Their aggregates through the store, and one refusal of each kind through the server, are
 * ITTrackEventsAndPurchases' and ITTrackEdgeCases'.
 */
class TrackDecoderEventsAndPurchasesTest {
  private static final String TIME = "2025-01-01T00:00:00Z";
  private static final String QUANTITY_NOT_VALID = "'quantity' is not valid";

  /** An event or purchase of user "u" with these other fields. */
  private static String of(String fields) {
    return "{\"external_id\":\"u\"," + fields + "}";
  }

  @Test
  void eventRequiredFieldsAndTheirErrors() {
    assertNothingValid(
        decodeAll(
            "events",
            of("\"time\":\"" + TIME + "\""),
            of("\"name\":\"" + "n".repeat(256) + "\",\"time\":\"" + TIME + "\""),
            of("\"name\":\"e\""),
            of("\"name\":\"e\",\"time\":\"yesterday\""),
            of("\"name\":\"e\",\"time\":\"" + TIME + "\",\"properties\":\"x\""),
            of("\"name\":\"e\",\"time\":\"" + TIME + "\",\"properties\":[1,2]")),
        new ObjectError("'name' is required", "events", 0),
        new ObjectError("'name' must be at most 255 characters", "events", 1),
        new ObjectError("'time' is required", "events", 2),
        new ObjectError("'time' must be a valid time", "events", 3),
        new ObjectError("'properties' must be an object", "events", 4),
        new ObjectError("'properties' must be an object", "events", 5));
  }

  @Test
  void propertyNameRules() {
    String longName = "p".repeat(256);
    String named = "\"name\":\"e\",\"time\":\"" + TIME + "\",\"properties\":";
    TrackBatch batch =
        decodeAll(
            "events",
            of(named + "{\"ok\":1,\"$foo\":1}"),
            of(named + "{\"time\":\"2021-01-01\"}"),
            of(named + "{\"event_name\":\"x\"}"),
            of(named + "{\"\":\"x\"}"),
            of(named + "{\"" + longName + "\":\"x\"}"),
            of(named + "{\"fo$o\":\"dollar inside is fine\",\"" + "p".repeat(255) + "\":1}"));

    assertThat(batch.errors())
        .containsExactly(
            new ObjectError("property name '$foo' is not allowed", "events", 0),
            new ObjectError("property name 'time' is not allowed", "events", 1),
            new ObjectError("property name 'event_name' is not allowed", "events", 2),
            new ObjectError("property name '' is not allowed", "events", 3),
            new ObjectError("property name '" + longName + "' is not allowed", "events", 4));
    assertThat(batch.processed()).containsExactlyEntriesOf(Map.of("events_processed", 1));
    assertThat(batch.changes()).hasSize(1);
  }

  @Test
  void stringPropertyValuesAreLimitedTo255Characters() {
    assertNothingValid(
        decodeAll(
            "events",
            of(
                "\"name\":\"e\",\"time\":\""
                    + TIME
                    + "\",\"properties\":{\"note\":\""
                    + "s".repeat(256)
                    + "\"}")),
        new ObjectError("property 'note' must be at most 255 characters", "events", 0));
  }

  @Test
  void aQuantityThatIsNotAnIntegerFrom1To100IsNotValid() {
    String fields =
        "\"product_id\":\"p\",\"currency\":\"USD\",\"price\":1,\"time\":\""
            + TIME
            + "\",\"quantity\":";
    assertEachRejected(
        "purchases",
        QUANTITY_NOT_VALID,
        of(fields + "0"),
        of(fields + "101"),
        of(fields + "\"invalid\""),
        of(fields + "2.5"),
        of(fields + "-1"),
        of(fields + "\"3\""));
  }

  @Test
  void currencyMustBeAnIso4217Code() {
    String fields = "\"product_id\":\"p\",\"price\":1,\"time\":\"" + TIME + "\"";
    TrackBatch batch =
        decodeAll(
            "purchases",
            of(fields + ",\"currency\":\"DOLLARS\""),
            of(fields + ",\"currency\":\"US\""),
            of(fields + ",\"currency\":\"ABC\""),
            of(fields + ",\"currency\":840"),
            of(fields),
            of(fields + ",\"currency\":\"EUR\""),
            of(fields + ",\"currency\":\"JPY\""));

    String type = "'currency' must be an ISO 4217 currency";
    assertThat(batch.errors())
        .containsExactly(
            new ObjectError(type, "purchases", 0),
            new ObjectError(type, "purchases", 1),
            new ObjectError(type, "purchases", 2),
            new ObjectError(type, "purchases", 3),
            new ObjectError(type, "purchases", 4));
    assertThat(batch.processed()).containsExactlyEntriesOf(Map.of("purchases_processed", 2));
    assertThat(batch.changes()).hasSize(2);
  }

  @Test
  void priceProductIdAndTimeAreRequired() {
    assertNothingValid(
        decodeAll(
            "purchases",
            of("\"product_id\":\"p\",\"currency\":\"USD\",\"time\":\"" + TIME + "\""),
            of(
                "\"product_id\":\"p\",\"currency\":\"USD\",\"price\":\"12.5\",\"time\":\""
                    + TIME
                    + "\""),
            of("\"currency\":\"USD\",\"price\":1,\"time\":\"" + TIME + "\""),
            of(
                "\"product_id\":\""
                    + "p".repeat(256)
                    + "\",\"currency\":\"USD\",\"price\":1,\"time\":\""
                    + TIME
                    + "\""),
            of("\"product_id\":\"p\",\"currency\":\"USD\",\"price\":1"),
            of("\"product_id\":\"p\",\"currency\":\"USD\",\"price\":1,\"time\":\"not a time\"")),
        new ObjectError("'price' is required", "purchases", 0),
        new ObjectError("'price' must be a number", "purchases", 1),
        new ObjectError("'product_id' is required", "purchases", 2),
        new ObjectError("'product_id' must be at most 255 characters", "purchases", 3),
        new ObjectError("'time' is required", "purchases", 4),
        new ObjectError("'time' must be a valid time", "purchases", 5));
  }

  @Test
  void purchasePropertyNamesFollowTheEventRules() {
    assertNothingValid(
        decodeAll(
            "purchases",
            of(
                "\"product_id\":\"p\",\"currency\":\"USD\",\"price\":1,\"time\":\""
                    + TIME
                    + "\",\"properties\":{\"$foo\":1}")),
        new ObjectError("property name '$foo' is not allowed", "purchases", 0));
  }

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
  void everyPropertyValueTypeIsAccepted() {
    changeOf(
        "events",
        """
        {"external_id":"u","app_id":"my-app","name":"e","time":"2025-01-01T00:00:00Z","properties":{
          "n":1,"f":2.5,"b":true,"s":"x","d":"2021-03-04T05:06:07Z","arr":["a",1,false],
          "obj":{"k":{"deep":[{"x":1}]}}}}""");
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
        decodeAll("events", "{\"external_id\":\"u1\",\"name\":\"played\"}"),
        "'time' is required",
        "events",
        0);
  }

  @Test
  void eventWithBadTimeIsAnError() {
    assertSingleError(
        decodeAll("events", "{\"external_id\":\"u1\",\"name\":\"played\",\"time\":\"hello\"}"),
        "'time' must be a valid time",
        "events",
        0);
  }

  @Test
  void eventWithoutNameIsAnError() {
    assertSingleError(
        decodeAll("events", "{\"external_id\":\"u1\",\"time\":\"2025-01-01T00:00:00Z\"}"),
        "'name' is required",
        "events",
        0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"time", "event_name", "$foo"})
  void reservedOrDollarPropertyNamesAreErrors(String name) {
    // edge case 25
    assertSingleError(
        decodeAll(
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
        decodeAll("purchases", purchase("\"external_id\":\"u1\"", ",\"properties\":{\"$foo\":1}")),
        "property name '$foo' is not allowed",
        "purchases",
        0);
  }

  @Test
  void eventPropertyWithNullValueDoesNotFailTheWholeRequest() {
    // A property whose value is JSON null is kept, and must not fail the request: a copy with
    // Map.copyOf (which refuses nulls) once turned one such event into a 500 for the whole body.
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
    // The same for a purchase's properties.
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
        decodeAll(
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
            decodeAll("purchases", purchase("\"external_id\":\"u1\"", ",\"quantity\":100"))
                .errors())
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"invalid\"", "0", "-1", "101", "1.5", "\"3\"", "true"})
  void badQuantityIsAnError(String quantity) {
    assertSingleError(
        decodeAll("purchases", purchase("\"external_id\":\"u1\"", ",\"quantity\":" + quantity)),
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
        decodeAll("purchases", object), "'currency' must be an ISO 4217 currency", "purchases", 0);
  }

  @Test
  void missingCurrencyIsAnError() {
    assertSingleError(
        decodeAll(
            "purchases",
            "{\"external_id\":\"u1\",\"product_id\":\"sku\",\"price\":1,\"time\":\"2025-01-01T00:00:00Z\"}"),
        "'currency' must be an ISO 4217 currency",
        "purchases",
        0);
  }

  @Test
  void missingPriceIsAnError() {
    assertSingleError(
        decodeAll(
            "purchases",
            "{\"external_id\":\"u1\",\"product_id\":\"sku\",\"currency\":\"USD\",\"time\":\"2025-01-01T00:00:00Z\"}"),
        "'price' is required",
        "purchases",
        0);
  }

  @Test
  void nonNumericPriceIsAnError() {
    assertSingleError(
        decodeAll(
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
        decodeAll(
            "purchases",
            "{\"external_id\":\"u1\",\"currency\":\"USD\",\"price\":1,\"time\":\"2025-01-01T00:00:00Z\"}"),
        "'product_id' is required",
        "purchases",
        0);
  }
}
