package dev.kiln.ingest;

import static dev.kiln.ingest.TrackDecoding.assertEachRejected;
import static dev.kiln.ingest.TrackDecoding.assertNothingValid;
import static dev.kiln.ingest.TrackDecoding.decodeAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

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
}
