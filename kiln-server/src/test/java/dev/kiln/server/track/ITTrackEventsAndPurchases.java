package dev.kiln.server.track;

import static dev.kiln.server.testing.TestJson.json;
import static dev.kiln.server.testing.TestJson.uid;
import static dev.kiln.server.track.TrackFixtures.alias;
import static dev.kiln.server.track.TrackFixtures.assertEventRejected;
import static dev.kiln.server.track.TrackFixtures.assertNoAliasUser;
import static dev.kiln.server.track.TrackFixtures.assertNoUser;
import static dev.kiln.server.track.TrackFixtures.assertPurchaseRejected;
import static dev.kiln.server.track.TrackFixtures.daysAgo;
import static dev.kiln.server.track.TrackFixtures.error;
import static dev.kiln.server.track.TrackFixtures.exported;
import static dev.kiln.server.track.TrackFixtures.exportedAliasUser;
import static dev.kiln.server.track.TrackFixtures.exportedEmailUser;
import static dev.kiln.server.track.TrackFixtures.exportedUser;
import static dev.kiln.server.track.TrackFixtures.named;
import static dev.kiln.server.track.TrackFixtures.nowSeconds;
import static dev.kiln.server.track.TrackFixtures.sent;
import static dev.kiln.server.track.TrackFixtures.setAttributes;
import static dev.kiln.server.track.TrackFixtures.trackOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Events (docs/braze-reference.md section 4) and purchases (section 5) through /users/track, their
 * aggregates through /users/export/ids (section 9, including the 90-day rule), with
 * compatibility.md "Events" and "Purchases". Which objects the decoder refuses, and in what words,
 * is TrackDecoderEventsAndPurchasesTest's (kiln-ingest); here, what reaches the store, and refusals
 * that depend on it.
 */
class ITTrackEventsAndPurchases {
  @RegisterExtension static final RunningKiln kiln = RunningKiln.perClass();

  /**
   * Tracks one event {"external_id": id, "name": name, "time": time} and expects events_processed
   * 1.
   */
  private static void event(String id, String name, Instant time) {
    trackOk(
        kiln,
        """
        {"events":[{"external_id":"%s","name":"%s","time":"%s"}]}"""
            .formatted(id, name, sent(time)),
        "\"events_processed\":1");
  }

  /**
   * Tracks one purchase and expects purchases_processed 1; extra is more JSON fields, e.g. {@code
   * "quantity":3}.
   */
  private static void purchase(
      String id, String productId, String price, Instant time, String extra) {
    trackOk(
        kiln,
        """
        {"purchases":[{"external_id":"%s","product_id":"%s","currency":"USD","price":%s,"time":"%s"%s}]}"""
            .formatted(id, productId, price, sent(time), extra.isEmpty() ? "" : "," + extra),
        "\"purchases_processed\":1");
  }

  private static String aggregate(String name, Instant first, Instant last, int count) {
    return """
        {"name":"%s","first":"%s","last":"%s","count":%d}"""
        .formatted(name, exported(first), exported(last), count);
  }

  // --- events ---

  @Test
  void eventsAreAggregatedPerNameWithFirstLastAndCount() {
    String id = uid("ev-agg");
    Instant earlier = daysAgo(5);
    Instant later = daysAgo(2);
    event(id, "played", later);
    event(id, "played", earlier); // sent out of order: first is still the earlier time
    event(id, "paused", later);

    JsonNode events = exportedUser(kiln, id).path("custom_events");
    assertThat(events.size()).isEqualTo(2);
    assertThat(named(events, "played")).isEqualTo(json(aggregate("played", earlier, later, 2)));
    assertThat(named(events, "paused")).isEqualTo(json(aggregate("paused", later, later, 1)));
  }

  @Test
  void identicalEventsAreCountedEachTime() {
    String id = uid("ev-dup");
    Instant time = daysAgo(1);
    event(id, "tap", time);
    event(id, "tap", time);
    event(id, "tap", time);
    assertThat(exportedUser(kiln, id).path("custom_events"))
        .isEqualTo(json("[" + aggregate("tap", time, time, 3) + "]"));
  }

  @Test
  void anEventNameOf255CharactersIsAccepted() {
    String id = uid("ev-name-255");
    Instant time = daysAgo(1);
    String name = "n".repeat(255);
    event(id, name, time);
    assertThat(named(exportedUser(kiln, id).path("custom_events"), name))
        .isEqualTo(json(aggregate(name, time, time, 1)));
  }

  @Test
  void stringPropertyValuesOf255CharactersAreAccepted() {
    String id = uid("ev-prop-long");
    Instant time = daysAgo(1);
    // One character more: TrackDecoderEventsAndPurchasesTest.
    trackOk(
        kiln,
        """
        {"events":[{"external_id":"%s","name":"e","time":"%s","properties":{"note":"%s"}}]}"""
            .formatted(id, sent(time), "s".repeat(255)),
        "\"events_processed\":1");
    assertThat(named(exportedUser(kiln, id).path("custom_events"), "e"))
        .isEqualTo(json(aggregate("e", time, time, 1)));
  }

  @Test
  void eventPropertiesMayTotal100KbButNotMore() {
    String id = uid("ev-prop-size");
    Instant time = daysAgo(1);
    trackOk(
        kiln,
        """
        {"events":[{"external_id":"%s","name":"e","time":"%s","properties":{"big":%s}}]}"""
            .formatted(id, sent(time), nestedObjectOfAbout(60_000)),
        "\"events_processed\":1");

    assertEventRejected(
        kiln,
        """
        {"external_id":"%s","name":"e","time":"%s","properties":{"big":%s}}"""
            .formatted(id, sent(time), nestedObjectOfAbout(110_000)),
        "'properties' must be at most 100 KB");
    assertThat(named(exportedUser(kiln, id).path("custom_events"), "e").path("count").asInt())
        .isEqualTo(1);
  }

  @Test
  void purchasePropertiesMayTotal50KbButNotMore() {
    String id = uid("pu-prop-size");
    assertPurchaseRejected(
        kiln,
        """
        {"external_id":"%s","product_id":"p","currency":"USD","price":1,"time":"%s","properties":{"big":%s}}"""
            .formatted(id, sent(daysAgo(1)), nestedObjectOfAbout(60_000)),
        "'properties' must be at most 50 KB");
    assertNoUser(kiln, id);

    purchase(
        id, "p", "1", daysAgo(1), "\"properties\":{\"big\":" + nestedObjectOfAbout(40_000) + "}");
  }

  /** A JSON object of about this many bytes, made of short keys and 200-character strings. */
  private static String nestedObjectOfAbout(int bytes) {
    int entries = bytes / 210 + 1;
    return IntStream.range(0, entries)
        .mapToObj(i -> "\"k" + i + "\":\"" + "v".repeat(200) + "\"")
        .collect(Collectors.joining(",", "{", "}"));
  }

  @Test
  void theSeedsTimeFormatWithAnHourOffsetIsAccepted() {
    String id = uid("ev-seed-time");
    trackOk(
        kiln,
        """
        {"events":[{"external_id":"%s","name":"seed","time":"2013-07-16T19:20:30+1:00"}]}"""
            .formatted(id),
        "\"events_processed\":1");

    Instant recent = daysAgo(1);
    String plusOneHour =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
                .withZone(ZoneOffset.ofHours(1))
                .format(recent)
            + "+1:00";
    trackOk(
        kiln,
        """
        {"events":[{"external_id":"%s","name":"recent","time":"%s"}]}"""
            .formatted(id, plusOneHour),
        "\"events_processed\":1");

    assertThat(named(exportedUser(kiln, id).path("custom_events"), "recent"))
        .isEqualTo(json(aggregate("recent", recent, recent, 1)));
  }

  @Test
  void aFutureEventTimeIsRecordedAsNow() {
    String id = uid("ev-future");
    Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    event(id, "later", nowSeconds().plus(400, ChronoUnit.DAYS));
    Instant after = Instant.now();

    JsonNode later = named(exportedUser(kiln, id).path("custom_events"), "later");
    assertThat(later).as("custom_events entry 'later'").isNotNull();
    assertThat(Instant.parse(later.path("last").asText())).isBetween(before, after);
    assertThat(Instant.parse(later.path("first").asText())).isBetween(before, after);
  }

  // --- the 90-day rule ---

  @Test
  void anEventWithRecentActivityIsExportedWithAllTimeFirstAndCount() {
    String id = uid("ev-90-recent");
    Instant longAgo = daysAgo(200);
    Instant recently = daysAgo(3);
    event(id, "visited", longAgo);
    event(id, "visited", recently);

    assertThat(named(exportedUser(kiln, id).path("custom_events"), "visited"))
        .isEqualTo(json(aggregate("visited", longAgo, recently, 2)));
  }

  @Test
  void anEventLastSeen120DaysAgoIsNotExportedUntilItHappensAgain() {
    String id = uid("ev-90-old");
    Instant old = daysAgo(120);
    event(id, "stale", old);
    event(id, "fresh", daysAgo(1));

    JsonNode before = exportedUser(kiln, id).path("custom_events");
    assertThat(named(before, "stale")).as("custom_events: %s", before).isNull();
    assertThat(named(before, "fresh")).isNotNull();

    Instant now = daysAgo(1);
    event(id, "stale", now);
    assertThat(named(exportedUser(kiln, id).path("custom_events"), "stale"))
        .isEqualTo(json(aggregate("stale", old, now, 2)));
  }

  @Test
  void aProductLastBought120DaysAgoIsNotExportedUntilBoughtAgain() {
    String id = uid("pu-90-old");
    Instant old = daysAgo(120);
    purchase(id, "old-sku", "1", old, "\"quantity\":2");
    purchase(id, "new-sku", "1", daysAgo(1), "");

    JsonNode before = exportedUser(kiln, id).path("purchases");
    assertThat(named(before, "old-sku")).as("purchases: %s", before).isNull();
    assertThat(named(before, "new-sku")).isNotNull();

    Instant now = daysAgo(1);
    purchase(id, "old-sku", "1", now, "");
    assertThat(named(exportedUser(kiln, id).path("purchases"), "old-sku"))
        .isEqualTo(json(aggregate("old-sku", old, now, 3)));
  }

  // --- _update_existing_only with aliases and other identifiers ---

  @Test
  void eventsAndPurchasesForAnUnknownAliasNeverCreateAUser() {
    String name = uid("ev-alias");
    String time = sent(daysAgo(1));
    trackOk(
        kiln,
        """
        {"events":[{"user_alias":%1$s,"name":"e","time":"%2$s"},
                   {"user_alias":%1$s,"_update_existing_only":false,"name":"e","time":"%2$s"}],
         "purchases":[{"user_alias":%1$s,"_update_existing_only":false,"product_id":"p","currency":"USD","price":1,"time":"%2$s"}]}"""
            .formatted(alias(name, "l"), time),
        "\"events_processed\":2,\"purchases_processed\":1");

    assertNoAliasUser(kiln, name, "l");
  }

  @Test
  void eventsAndPurchasesForAnExistingAliasAreRecorded() {
    String name = uid("ev-alias-known");
    Instant time = daysAgo(1);
    setAttributes(
        kiln,
        """
        {"user_alias":%s,"_update_existing_only":false,"first_name":"A"}"""
            .formatted(alias(name, "l")));

    trackOk(
        kiln,
        """
        {"events":[{"user_alias":%1$s,"name":"e","time":"%2$s"}],
         "purchases":[{"user_alias":%1$s,"product_id":"p","currency":"USD","price":2.5,"time":"%2$s"}]}"""
            .formatted(alias(name, "l"), sent(time)),
        "\"events_processed\":1,\"purchases_processed\":1");

    JsonNode user = exportedAliasUser(kiln, name, "l");
    assertThat(user.path("custom_events"))
        .isEqualTo(json("[" + aggregate("e", time, time, 1) + "]"));
    assertThat(user.path("purchases")).isEqualTo(json("[" + aggregate("p", time, time, 1) + "]"));
  }

  @Test
  void anEventForAnUnknownEmailCreatesAnEmailOnlyUser() {
    String email = uid("ev-email") + "@example.com";
    Instant time = daysAgo(1);
    trackOk(
        kiln,
        """
        {"events":[{"email":"%s","name":"signed_up","time":"%s"}]}"""
            .formatted(email, sent(time)),
        "\"events_processed\":1");

    JsonNode user = exportedEmailUser(kiln, email);
    assertThat(user.path("email").asText()).isEqualTo(email);
    assertThat(user.path("custom_events"))
        .isEqualTo(json("[" + aggregate("signed_up", time, time, 1) + "]"));
  }

  @Test
  void purchasesForAnUnknownExternalIdWithUpdateExistingOnlyCreateNothing() {
    String id = uid("pu-existing-only");
    trackOk(
        kiln,
        """
        {"purchases":[{"external_id":"%s","_update_existing_only":true,"product_id":"p","currency":"USD","price":1,"time":"%s"}]}"""
            .formatted(id, sent(daysAgo(1))),
        "\"purchases_processed\":1");
    assertNoUser(kiln, id);
  }

  // --- purchases ---

  @Test
  void purchasesAreExportedPerProductIdUnderName() {
    String id = uid("pu-agg");
    Instant earlier = daysAgo(4);
    Instant later = daysAgo(1);
    purchase(id, "sku-a", "1", earlier, "");
    purchase(id, "sku-a", "1", later, "");
    purchase(id, "sku-b", "1", later, "");

    JsonNode purchases = exportedUser(kiln, id).path("purchases");
    assertThat(purchases.size()).isEqualTo(2);
    assertThat(named(purchases, "sku-a")).isEqualTo(json(aggregate("sku-a", earlier, later, 2)));
    assertThat(named(purchases, "sku-b")).isEqualTo(json(aggregate("sku-b", later, later, 1)));
  }

  @Test
  void quantityDefaultsToOneAndCountsAsThatManyPurchases() {
    String id = uid("pu-quantity");
    Instant time = daysAgo(1);
    purchase(id, "one", "1", time, "");
    purchase(id, "three", "1", time, "\"quantity\":3");
    purchase(id, "hundred", "1", time, "\"quantity\":100");

    JsonNode purchases = exportedUser(kiln, id).path("purchases");
    assertThat(named(purchases, "one").path("count")).isEqualTo(json("1"));
    assertThat(named(purchases, "three").path("count")).isEqualTo(json("3"));
    assertThat(named(purchases, "hundred").path("count")).isEqualTo(json("100"));
  }

  @Test
  void aProductIdOf255CharactersIsAccepted() {
    String id = uid("pu-product-255");
    Instant time = daysAgo(1);
    String productId = "p".repeat(255);
    purchase(id, productId, "1", time, "");
    assertThat(named(exportedUser(kiln, id).path("purchases"), productId))
        .isEqualTo(json(aggregate(productId, time, time, 1)));
  }

  @Test
  void totalRevenueIsTheSumOfPriceTimesQuantityInTheCurrenciesAsSent() {
    String id = uid("pu-revenue");
    Instant time = daysAgo(1);
    purchase(id, "a", "12.5", time, "\"quantity\":2");
    purchase(id, "b", "3.25", time, "");
    purchase(id, "free", "0", time, "\"quantity\":5");
    trackOk(
        kiln,
        """
        {"purchases":[{"external_id":"%s","product_id":"c","currency":"EUR","price":10,"time":"%s"}]}"""
            .formatted(id, sent(time)),
        "\"purchases_processed\":1");

    JsonNode revenue = exportedUser(kiln, id).path("total_revenue");
    assertThat(revenue.isNumber()).as("total_revenue %s", revenue).isTrue();
    assertThat(revenue.decimalValue()).isEqualByComparingTo("38.25");
  }

  @Test
  void aPurchaseTakingTotalRevenueBeyondADoublesRangeIsTheObjectsErrorAndNothingOfItIsStored() {
    String id = uid("pu-revenue-overflow");
    Instant time = daysAgo(1);
    purchase(id, "a", "1e308", time, "");
    String tooMuch =
        "The purchase would take the user's total revenue beyond 1.7976931348623157e308, the largest number Kiln stores";

    Response response =
        TrackFixtures.track(
            kiln,
            """
        {"purchases":[{"external_id":"%1$s","product_id":"b","currency":"USD","price":1e308,"time":"%2$s"},
          {"external_id":"%1$s","product_id":"c","currency":"USD","price":0,"time":"%2$s"},
          {"external_id":"%1$s","product_id":"d","currency":"USD","price":1e307,"quantity":100,"time":"%2$s"}]}"""
                .formatted(id, sent(time)));
    TrackFixtures.assertBody(
        response,
        201,
        "{\"message\":\"success\",\"purchases_processed\":1,\"errors\":["
            + error(tooMuch, "purchases", 0)
            + ","
            + error(tooMuch, "purchases", 2)
            + "]}");
    assertPurchaseRejected(
        kiln,
        """
        {"external_id":"%s","product_id":"b","currency":"USD","price":1e308,"time":"%s"}"""
            .formatted(id, sent(time)),
        tooMuch);

    JsonNode user = exportedUser(kiln, id);
    assertThat(user.path("total_revenue").doubleValue()).isEqualTo(1e308);
    assertThat(user.path("purchases").findValuesAsText("name")).containsExactlyInAnyOrder("a", "c");
  }

  @Test
  void aFuturePurchaseTimeIsRecordedAsNow() {
    String id = uid("pu-future");
    Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    purchase(id, "p", "1", nowSeconds().plus(10, ChronoUnit.DAYS), "");
    Instant after = Instant.now();

    JsonNode entry = named(exportedUser(kiln, id).path("purchases"), "p");
    assertThat(entry).as("purchases entry 'p'").isNotNull();
    assertThat(Instant.parse(entry.path("last").asText())).isBetween(before, after);
  }
}
