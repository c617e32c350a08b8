package dev.kiln.server.track;

import static dev.kiln.server.testing.TestJson.json;
import static dev.kiln.server.testing.TestJson.quote;
import static dev.kiln.server.testing.TestJson.uid;
import static dev.kiln.server.track.TrackFixtures.IDENTIFIER_REQUIRED;
import static dev.kiln.server.track.TrackFixtures.INVALID_EMAIL;
import static dev.kiln.server.track.TrackFixtures.ONE_PRIMARY_IDENTIFIER;
import static dev.kiln.server.track.TrackFixtures.QUANTITY_NOT_VALID;
import static dev.kiln.server.track.TrackFixtures.alias;
import static dev.kiln.server.track.TrackFixtures.assertAttributesRejected;
import static dev.kiln.server.track.TrackFixtures.assertBody;
import static dev.kiln.server.track.TrackFixtures.assertNoAliasUser;
import static dev.kiln.server.track.TrackFixtures.assertNoEmailUser;
import static dev.kiln.server.track.TrackFixtures.assertNoUser;
import static dev.kiln.server.track.TrackFixtures.assertNothingValid;
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
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Edge cases 1-11 and 24-28 (docs/braze-reference.md section 13): the request envelope, identifiers
 * and email lookups, events, purchases, the external_id bound and /users/export/ids, one test per
 * case; effects are observed through /users/export/ids. Cases 12-23, the values of attributes, are
 * ITTrackEdgeCasesValues'. The response envelopes and identifier rules of compatibility.md are
 * ITTrackEnvelopesAndIdentifiers'; where a case is the decoder's alone, its other inputs are tested
 * beside the decoder (TrackDecoder*Test in kiln-ingest).
 */
class ITTrackEdgeCases {
  @RegisterExtension static final RunningKiln kiln = RunningKiln.perClass();

  private static Response track(String json) {
    return TrackFixtures.track(kiln, json);
  }

  private static Response export(String json) {
    return TrackFixtures.export(kiln, json);
  }

  private static String attributeObjects(String prefix, int count) {
    return String.join(
        ",",
        IntStream.range(0, count)
            .mapToObj(i -> "{\"external_id\":" + quote(prefix + "-" + i) + ",\"first_name\":\"A\"}")
            .toList());
  }

  // --- 1 ---

  @Test
  void edgeCase01_76AttributeObjectsAreFatalAndNothingIsStored() {
    String prefix = uid("ec01");
    assertBody(
        track("{\"attributes\":[" + attributeObjects(prefix, 76) + "]}"),
        400,
        """
        {"message":"Max Input Length Exceeded"}""");
    assertNoUser(kiln, prefix + "-0");
    assertNoUser(kiln, prefix + "-75");
  }

  @Test
  void edgeCase01_exactly75AttributeObjectsAreAccepted() {
    String prefix = uid("ec01-75");
    trackOk(
        kiln,
        "{\"attributes\":[" + attributeObjects(prefix, 75) + "]}",
        "\"attributes_processed\":75");
    assertThat(exportedUser(kiln, prefix + "-0").path("first_name").asText()).isEqualTo("A");
    assertThat(exportedUser(kiln, prefix + "-74").path("first_name").asText()).isEqualTo("A");
  }

  // --- 2 ---

  @Test
  void edgeCase02_eventWithoutIdentifierIsReportedAndTheOtherIsProcessed() {
    String id = uid("ec02");
    Instant time = daysAgo(1);
    Response response =
        track(
            """
        {"events":[
          {"external_id":"%s","name":"opened","time":"%s"},
          {"name":"opened","time":"%s"}
        ]}"""
                .formatted(id, sent(time), sent(time)));

    assertBody(
        response,
        201,
        """
        {"message":"success","events_processed":1,"errors":[%s]}"""
            .formatted(error(IDENTIFIER_REQUIRED, "events", 1)));
    assertThat(exportedUser(kiln, id).path("custom_events"))
        .isEqualTo(
            json(
                """
        [{"name":"opened","first":"%s","last":"%s","count":1}]"""
                    .formatted(exported(time), exported(time))));
  }

  // --- 3 ---

  @Test
  void edgeCase03_everyObjectInvalidIsFatalWithEveryErrorAndNothingIsStored() {
    String id = uid("ec03");
    String time = sent(daysAgo(1));
    Response response =
        track(
            """
        {"attributes":[{"first_name":"nobody"}],
         "events":[{"external_id":"%s","time":"%s"}],
         "purchases":[{"external_id":"%s","product_id":"p","currency":"USD","price":1,"quantity":0,"time":"%s"}]}"""
                .formatted(id, time, id, time));

    assertNothingValid(
        response,
        error(IDENTIFIER_REQUIRED, "attributes", 0),
        error("'name' is required", "events", 0),
        error(QUANTITY_NOT_VALID, "purchases", 0));
    assertNoUser(kiln, id);
  }

  // --- 4 ---

  @Test
  void edgeCase04_unknownAliasCreatesNothingByDefaultButDoesWithUpdateExistingOnlyFalse() {
    String name = uid("ec04");
    String label = "crm_id";

    trackOk(
        kiln,
        """
        {"attributes":[{"user_alias":%s,"first_name":"A"}]}"""
            .formatted(alias(name, label)),
        "\"attributes_processed\":1");
    assertNoAliasUser(kiln, name, label);

    trackOk(
        kiln,
        """
        {"attributes":[{"user_alias":%s,"_update_existing_only":false,"first_name":"A"}]}"""
            .formatted(alias(name, label)),
        "\"attributes_processed\":1");
    JsonNode user = exportedAliasUser(kiln, name, label);
    assertThat(user.path("user_aliases")).isEqualTo(json("[" + alias(name, label) + "]"));
    assertThat(user.path("first_name").asText()).isEqualTo("A");
    assertThat(user.has("external_id"))
        .as("an alias-only profile has no external_id: %s", user)
        .isFalse();

    // Once it exists, the default (update only) updates it.
    trackOk(
        kiln,
        """
        {"attributes":[{"user_alias":%s,"first_name":"B"}]}"""
            .formatted(alias(name, label)),
        "\"attributes_processed\":1");
    assertThat(exportedAliasUser(kiln, name, label).path("first_name").asText()).isEqualTo("B");
  }

  // --- 5 ---

  @Test
  void edgeCase05_unknownExternalIdCreatesAProfileUnlessUpdateExistingOnlyIsTrue() {
    String created = uid("ec05-new");
    String notCreated = uid("ec05-not");

    setAttributes(
        kiln,
        """
        {"external_id":"%s","first_name":"A"}"""
            .formatted(created));
    trackOk(
        kiln,
        """
        {"attributes":[{"external_id":"%s","_update_existing_only":true,"first_name":"A"}]}"""
            .formatted(notCreated),
        "\"attributes_processed\":1");

    JsonNode user = exportedUser(kiln, created);
    assertThat(user.path("external_id").asText()).isEqualTo(created);
    assertThat(user.path("first_name").asText()).isEqualTo("A");
    assertNoUser(kiln, notCreated);

    // update-only mode still updates a user that exists
    setAttributes(
        kiln,
        """
        {"external_id":"%s","_update_existing_only":true,"first_name":"B"}"""
            .formatted(created));
    assertThat(exportedUser(kiln, created).path("first_name").asText()).isEqualTo("B");
  }

  // --- 6 ---

  @Test
  void edgeCase06_objectWithTwoPrimaryIdentifiersIsRejectedAndTheOthersAreProcessed() {
    String rejectedWithBrazeId = uid("ec06-a");
    String rejectedWithAlias = uid("ec06-b");
    String accepted = uid("ec06-c");
    String aliasName = uid("ec06-alias");

    Response response =
        track(
            """
        {"attributes":[
          {"external_id":"%s","braze_id":"5fbd99bac125ca40511f2cb1","first_name":"X"},
          {"external_id":"%s","user_alias":%s,"_update_existing_only":false,"first_name":"X"},
          {"external_id":"%s","first_name":"Y"}
        ]}"""
                .formatted(
                    rejectedWithBrazeId, rejectedWithAlias, alias(aliasName, "l"), accepted));

    assertBody(
        response,
        201,
        """
        {"message":"success","attributes_processed":1,"errors":[%s,%s]}"""
            .formatted(
                error(ONE_PRIMARY_IDENTIFIER, "attributes", 0),
                error(ONE_PRIMARY_IDENTIFIER, "attributes", 1)));
    assertThat(exportedUser(kiln, accepted).path("first_name").asText()).isEqualTo("Y");
    assertNoUser(kiln, rejectedWithBrazeId);
    assertNoUser(kiln, rejectedWithAlias);
    assertNoAliasUser(kiln, aliasName, "l");
  }

  // --- 7 ---

  @Test
  void edgeCase07_emailBesideAnExternalIdIsAnAttributeNotALookup() {
    String other = uid("ec07-other");
    String u1 = uid("ec07-u1");
    String email = uid("ec07") + "@example.com";
    setAttributes(
        kiln,
        """
        {"external_id":"%s","email":"%s","first_name":"Other"}"""
            .formatted(other, email));

    setAttributes(
        kiln,
        """
        {"external_id":"%s","email":"%s","first_name":"U1"}"""
            .formatted(u1, email));

    JsonNode newUser = exportedUser(kiln, u1);
    assertThat(newUser.path("email").asText()).isEqualTo(email);
    assertThat(newUser.path("first_name").asText()).isEqualTo("U1");
    JsonNode otherUser = exportedUser(kiln, other);
    assertThat(otherUser.path("email").asText()).isEqualTo(email);
    assertThat(otherUser.path("first_name").asText())
        .as("the profile that already had the email is untouched")
        .isEqualTo("Other");
    assertThat(newUser.path("braze_id").asText()).isNotEqualTo(otherUser.path("braze_id").asText());
  }

  // --- 8 ---

  @Test
  void edgeCase08_emailAndPhoneWithoutPrimaryIdResolveByEmail() {
    String byEmail = uid("ec08-email");
    String byPhone = uid("ec08-phone");
    String email = uid("ec08") + "@example.com";
    String phone = "+1415555" + (1000 + (int) (Math.random() * 8999));
    setAttributes(
        kiln,
        """
        {"external_id":"%s","email":"%s"}"""
            .formatted(byEmail, email));
    setAttributes(
        kiln,
        """
        {"external_id":"%s","phone":"%s"}"""
            .formatted(byPhone, phone));

    setAttributes(
        kiln,
        """
        {"email":"%s","phone":"%s","first_name":"Resolved"}"""
            .formatted(email, phone));

    assertThat(exportedUser(kiln, byEmail).path("first_name").asText()).isEqualTo("Resolved");
    assertThat(exportedUser(kiln, byPhone).has("first_name"))
        .as("the phone's user is not the one updated")
        .isFalse();
  }

  // --- 9 ---

  @Test
  void edgeCase09_unknownEmailCreatesAnEmailOnlyProfileWithoutAlias() {
    String email = uid("ec09") + "@example.com";
    assertNoEmailUser(kiln, email);

    setAttributes(
        kiln,
        """
        {"email":"%s","foo":1}"""
            .formatted(email));

    JsonNode user = exportedEmailUser(kiln, email);
    assertThat(user.path("email").asText()).isEqualTo(email);
    assertThat(user.path("custom_attributes"))
        .isEqualTo(
            json(
                """
        {"foo":1}"""));
    assertThat(user.has("external_id")).as("email-only profile: %s", user).isFalse();
    assertThat(user.has("user_aliases")).as("no alias is created: %s", user).isFalse();

    // The next object with that email updates the same profile rather than creating another.
    setAttributes(
        kiln,
        """
        {"email":"%s","foo":2}"""
            .formatted(email));
    JsonNode again = exportedEmailUser(kiln, email);
    assertThat(again.path("braze_id").asText()).isEqualTo(user.path("braze_id").asText());
    assertThat(again.path("custom_attributes"))
        .isEqualTo(
            json(
                """
        {"foo":2}"""));
  }

  // --- 10 ---

  @Test
  void edgeCase10_emailMatchingTwoProfilesUpdatesTheIdentifiedOne() throws InterruptedException {
    String identified = uid("ec10-id");
    String aliasName = uid("ec10-alias");
    String email = uid("ec10") + "@example.com";
    setAttributes(
        kiln,
        """
        {"external_id":"%s","email":"%s"}"""
            .formatted(identified, email));
    pauseSoUpdateTimesDiffer();
    // An unidentified (alias-only) profile with the same email, updated more recently.
    setAttributes(
        kiln,
        """
        {"user_alias":%s,"_update_existing_only":false,"email":"%s"}"""
            .formatted(alias(aliasName, "l"), email));

    setAttributes(
        kiln,
        """
        {"email":"%s","last_name":"Hit"}"""
            .formatted(email));

    assertThat(exportedUser(kiln, identified).path("last_name").asText()).isEqualTo("Hit");
    assertThat(exportedAliasUser(kiln, aliasName, "l").has("last_name")).isFalse();
  }

  @Test
  void edgeCase10_emailMatchingTwoIdentifiedProfilesUpdatesTheMostRecentlyUpdatedOne()
      throws InterruptedException {
    String older = uid("ec10-older");
    String newer = uid("ec10-newer");
    String email = uid("ec10b") + "@example.com";
    setAttributes(
        kiln,
        """
        {"external_id":"%s","email":"%s"}"""
            .formatted(older, email));
    pauseSoUpdateTimesDiffer();
    setAttributes(
        kiln,
        """
        {"external_id":"%s","email":"%s"}"""
            .formatted(newer, email));
    pauseSoUpdateTimesDiffer();
    // Updating the first one makes it the most recently updated.
    setAttributes(
        kiln,
        """
        {"external_id":"%s","first_name":"Touched"}"""
            .formatted(older));
    pauseSoUpdateTimesDiffer();

    setAttributes(
        kiln,
        """
        {"email":"%s","last_name":"Hit"}"""
            .formatted(email));

    assertThat(exportedUser(kiln, older).path("last_name").asText()).isEqualTo("Hit");
    assertThat(exportedUser(kiln, newer).has("last_name")).isFalse();
  }

  /** "Most recently updated" must not depend on two updates landing in the same millisecond. */
  private static void pauseSoUpdateTimesDiffer() throws InterruptedException {
    Thread.sleep(15);
  }

  // --- 11 ---

  @Test
  void edgeCase11_invalidEmailIsAPerObjectError() {
    String withId = uid("ec11");
    String valid = uid("ec11-ok");
    Response response =
        track(
            """
        {"attributes":[
          {"external_id":"%s","email":"not-an-email","first_name":"X"},
          {"email":"not-an-email","first_name":"X"},
          {"external_id":"%s","email":"fine@example.com"}
        ]}"""
                .formatted(withId, valid));

    assertBody(
        response,
        201,
        """
        {"message":"success","attributes_processed":1,"errors":[%s,%s]}"""
            .formatted(
                error(INVALID_EMAIL, "attributes", 0), error(INVALID_EMAIL, "attributes", 1)));
    assertNoUser(kiln, withId);
    assertNoEmailUser(kiln, "not-an-email");
    assertThat(exportedUser(kiln, valid).path("email").asText()).isEqualTo("fine@example.com");
  }

  // --- 24 ---

  @Test
  void edgeCase24_futureEventTimeIsRecordedAsNow() {
    String id = uid("ec24-future");
    Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    trackOk(
        kiln,
        """
        {"events":[{"external_id":"%s","name":"later","time":"%s"}]}"""
            .formatted(id, sent(nowSeconds().plus(30, ChronoUnit.DAYS))),
        "\"events_processed\":1");
    Instant after = Instant.now();

    JsonNode event = named(exportedUser(kiln, id).path("custom_events"), "later");
    assertThat(event).as("custom_events entry 'later'").isNotNull();
    assertThat(Instant.parse(event.path("last").asText())).isBetween(before, after);
    assertThat(event.path("first").asText()).isEqualTo(event.path("last").asText());
    assertThat(event.path("count").asInt()).isEqualTo(1);
  }

  @Test
  void edgeCase24_twoIdenticalEventsCountTwice() {
    String id = uid("ec24-twice");
    Instant time = daysAgo(2);
    String event =
        """
        {"external_id":"%s","name":"clicked","time":"%s","properties":{"k":"v"}}"""
            .formatted(id, sent(time));

    trackOk(kiln, "{\"events\":[" + event + "," + event + "]}", "\"events_processed\":2");

    assertThat(exportedUser(kiln, id).path("custom_events"))
        .isEqualTo(
            json(
                """
        [{"name":"clicked","first":"%s","last":"%s","count":2}]"""
                    .formatted(exported(time), exported(time))));
  }

  // --- 25 ---

  @Test
  void edgeCase25_dollarAndReservedPropertyNamesArePerObjectErrors() {
    String id = uid("ec25");
    String time = sent(daysAgo(1));
    Response response =
        track(
            """
        {"events":[
          {"external_id":"%1$s","name":"e","time":"%2$s","properties":{"$foo":1}},
          {"external_id":"%1$s","name":"e","time":"%2$s","properties":{"time":"x"}},
          {"external_id":"%1$s","name":"e","time":"%2$s","properties":{"event_name":"x"}},
          {"external_id":"%1$s","name":"e","time":"%2$s","properties":{"fine":"x"}}
        ]}"""
                .formatted(id, time));

    assertBody(
        response,
        201,
        """
        {"message":"success","events_processed":1,"errors":[%s,%s,%s]}"""
            .formatted(
                error("property name '$foo' is not allowed", "events", 0),
                error("property name 'time' is not allowed", "events", 1),
                error("property name 'event_name' is not allowed", "events", 2)));
    assertThat(named(exportedUser(kiln, id).path("custom_events"), "e").path("count").asInt())
        .isEqualTo(1);
  }

  // --- 26 ---

  @Test
  void edgeCase26_purchaseQuantityRules() {
    // 101 and the other quantities refused: TrackDecoderEventsAndPurchasesTest.
    String id = uid("ec26");
    Instant time = daysAgo(1);
    assertPurchaseRejected(
        kiln,
        """
        {"external_id":"%s","product_id":"sku","currency":"USD","price":1,"quantity":"invalid","time":"%s"}"""
            .formatted(id, sent(time)),
        QUANTITY_NOT_VALID);
    assertNoUser(kiln, id);

    trackOk(
        kiln,
        """
        {"purchases":[{"external_id":"%s","product_id":"sku","currency":"USD","price":1,"quantity":3,"time":"%s"}]}"""
            .formatted(id, sent(time)),
        "\"purchases_processed\":1");
    assertThat(named(exportedUser(kiln, id).path("purchases"), "sku").path("count").asInt())
        .isEqualTo(3);

    trackOk(
        kiln,
        """
        {"purchases":[{"external_id":"%s","product_id":"sku","currency":"USD","price":1,"time":"%s"}]}"""
            .formatted(id, sent(time)),
        "\"purchases_processed\":1");
    assertThat(exportedUser(kiln, id).path("purchases"))
        .isEqualTo(
            json(
                """
        [{"name":"sku","first":"%s","last":"%s","count":4}]"""
                    .formatted(exported(time), exported(time))));
  }

  // --- 27 ---

  @Test
  void edgeCase27_externalIdOf988BytesIsRejectedAnd987Accepted() {
    String longest = "b".repeat(987);
    String longestMultiByte = "é".repeat(493) + "c"; // 987 bytes

    // 494 two-byte characters (988 bytes) refused alike: TrackDecoderIdentifiersTest.
    assertAttributesRejected(
        kiln,
        "{\"external_id\":" + quote("a".repeat(988)) + ",\"first_name\":\"X\"}",
        "'external_id' must be fewer than 988 bytes");
    for (String id : List.of(longest, longestMultiByte)) {
      setAttributes(kiln, "{\"external_id\":" + quote(id) + ",\"first_name\":\"X\"}");
      assertThat(exportedUser(kiln, id).path("external_id").asText()).isEqualTo(id);
    }
  }

  // --- 28 ---

  @Test
  void edgeCase28_exportOf51IdsIsFatalAndUnknownIdsAreListed() {
    String known = uid("ec28-known");
    String unknown = uid("ec28-unknown");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","first_name":"K"}"""
            .formatted(known));

    String fiftyOne =
        TrackFixtures.stringArray(
            IntStream.range(0, 51).mapToObj(i -> known + i).toArray(String[]::new));
    assertBody(
        export("{\"external_ids\":" + fiftyOne + "}"),
        400,
        """
        {"message":"The max number of external_ids and aliases per request was exceeded"}""");

    assertBody(
        export(
            """
        {"external_ids":["%s","%s"],"fields_to_export":["external_id"]}"""
                .formatted(known, unknown)),
        200,
        """
        {"message":"success","users":[{"external_id":"%s"}],"invalid_user_ids":["%s"]}"""
            .formatted(known, unknown));

    JsonNode all =
        export(
                """
        {"external_ids":["%s","%s"]}"""
                    .formatted(known, unknown))
            .json();
    assertThat(all.path("users").size()).isEqualTo(1);
    assertThat(all.path("users").get(0).path("external_id").asText()).isEqualTo(known);
    assertThat(all.path("users").get(0).path("first_name").asText()).isEqualTo("K");
    assertThat(all.path("invalid_user_ids")).isEqualTo(json("[" + quote(unknown) + "]"));
  }
}
