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
import dev.kiln.server.testing.TestJson;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Edge cases 1-28 (docs/braze-reference.md section 13), those about /users/track and
 * /users/export/ids, one test per case; effects are observed through /users/export/ids. The
 * response envelopes and identifier rules of compatibility.md are ITTrackEnvelopesAndIdentifiers';
 * where a case is the decoder's alone, its other inputs are tested beside the decoder
 * (TrackDecoder*Test in kiln-ingest).
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

  // --- 12 ---

  @Test
  void edgeCase12_emailSubscribeAcceptsExactlyThreeValues() {
    String id = uid("ec12");
    assertAttributesRejected(
        kiln,
        """
        {"external_id":"%s","email_subscribe":"yes"}"""
            .formatted(id),
        "'email_subscribe' must be 'opted_in', 'subscribed' or 'unsubscribed'");
    assertNoUser(kiln, id);

    for (String state : List.of("opted_in", "unsubscribed", "subscribed")) {
      setAttributes(
          kiln,
          """
          {"external_id":"%s","email_subscribe":"%s"}"""
              .formatted(id, state));
      assertThat(exportedUser(kiln, id).path("email_subscribe").asText()).isEqualTo(state);
    }
  }

  // --- 13 ---

  @Test
  void edgeCase13_unknownGenderIsIgnoredAndTheRestOfTheObjectApplied() {
    String id = uid("ec13");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","gender":"F"}"""
            .formatted(id));

    setAttributes(
        kiln,
        """
        {"external_id":"%s","gender":"X","first_name":"G"}"""
            .formatted(id));

    JsonNode user = exportedUser(kiln, id);
    assertThat(user.path("gender").asText()).isEqualTo("F");
    assertThat(user.path("first_name").asText()).isEqualTo("G");
  }

  // --- 14 ---

  @Test
  void edgeCase14_countryNameIsMappedAndAnUnmappableOneStoredAsNull() {
    String id = uid("ec14");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","country":"Australia"}"""
            .formatted(id));
    assertThat(exportedUser(kiln, id).path("country").asText()).isEqualTo("AU");

    setAttributes(
        kiln,
        """
        {"external_id":"%s","country":"Narnia"}"""
            .formatted(id));
    JsonNode user = exportedUser(kiln, id);
    assertThat(user.has("country")).as("country is null, so omitted: %s", user).isFalse();
  }

  // --- 15 ---

  @Test
  void edgeCase15_nullRemovesACustomAttributeButNotTheExternalId() {
    String id = uid("ec15");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","my_attr":"v","kept":"k"}"""
            .formatted(id));

    setAttributes(
        kiln,
        """
        {"external_id":"%s","my_attr":null}"""
            .formatted(id));
    JsonNode user = exportedUser(kiln, id);
    assertThat(user.path("custom_attributes"))
        .isEqualTo(
            json(
                """
        {"kept":"k"}"""));

    // external_id: null is ignored (compatibility.md: cannot be removed)
    String brazeId = user.path("braze_id").asText();
    setAttributes(
        kiln,
        """
        {"braze_id":"%s","external_id":null,"first_name":"Still"}"""
            .formatted(brazeId));
    JsonNode after = exportedUser(kiln, id);
    assertThat(after.path("external_id").asText()).isEqualTo(id);
    assertThat(after.path("first_name").asText()).isEqualTo("Still");
  }

  // --- 16 ---

  @Test
  void edgeCase16_arrayLiteralKeepsUniqueValues() {
    String id = uid("ec16");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","foods":["hotdog","hotdog","hotdog","pizza"]}"""
            .formatted(id));
    assertThat(exportedUser(kiln, id).path("custom_attributes").path("foods"))
        .isEqualTo(
            json(
                """
        ["hotdog","pizza"]"""));
  }

  // --- 17 ---

  @Test
  void edgeCase17_addMovesAPresentValueToTheEndAndRemoveDeletes() {
    String id = uid("ec17");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","letters":["a","b","c"]}"""
            .formatted(id));

    setAttributes(
        kiln,
        """
        {"external_id":"%s","letters":{"add":["a"]}}"""
            .formatted(id));
    assertThat(exportedUser(kiln, id).path("custom_attributes").path("letters"))
        .isEqualTo(
            json(
                """
        ["b","c","a"]"""));

    setAttributes(
        kiln,
        """
        {"external_id":"%s","letters":{"remove":["b"]}}"""
            .formatted(id));
    assertThat(exportedUser(kiln, id).path("custom_attributes").path("letters"))
        .isEqualTo(
            json(
                """
        ["c","a"]"""));
  }

  // --- 18 ---

  @Test
  void edgeCase18_addingToAFullArrayDropsTheOldest() {
    String id = uid("ec18");
    List<String> full = IntStream.rangeClosed(1, 25).mapToObj(i -> "v" + i).toList();
    setAttributes(
        kiln,
        """
        {"external_id":"%s","seen":%s}"""
            .formatted(id, TrackFixtures.stringArray(full.toArray(String[]::new))));
    assertThat(TestJson.texts(exportedUser(kiln, id).path("custom_attributes").path("seen")))
        .isEqualTo(full);

    setAttributes(
        kiln,
        """
        {"external_id":"%s","seen":{"add":["z"]}}"""
            .formatted(id));

    List<String> expected = new ArrayList<>(full.subList(1, 25));
    expected.add("z");
    assertThat(TestJson.texts(exportedUser(kiln, id).path("custom_attributes").path("seen")))
        .hasSize(25)
        .isEqualTo(expected);
  }

  // --- 19 ---

  @Test
  void edgeCase19_incAddsAndSubtracts() {
    String id = uid("ec19");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","count":10}"""
            .formatted(id));

    setAttributes(
        kiln,
        """
        {"external_id":"%s","count":{"inc":5}}"""
            .formatted(id));
    assertThat(exportedUser(kiln, id).path("custom_attributes"))
        .isEqualTo(
            json(
                """
        {"count":15}"""));

    setAttributes(
        kiln,
        """
        {"external_id":"%s","count":{"inc":-3}}"""
            .formatted(id));
    assertThat(exportedUser(kiln, id).path("custom_attributes"))
        .isEqualTo(
            json(
                """
        {"count":12}"""));
  }

  // --- 20 ---

  @Test
  void edgeCase20_dateLikeStringsBecomeTimesUnlessTheYearIsOver3000() {
    String id = uid("ec20");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","d":"2021-03-04","us":"12/1/2021","far":"3001-01-01"}"""
            .formatted(id));

    assertThat(exportedUser(kiln, id).path("custom_attributes"))
        .isEqualTo(
            json(
                """
        {"d":"2021-03-04T00:00:00.000Z","us":"2021-12-01T00:00:00.000Z","far":"3001-01-01"}"""));
  }

  // --- 21 ---

  @Test
  void edgeCase21_nestedObjectIsOverwrittenByDefaultAndDeepMergedWithMergeObjects() {
    String merged = uid("ec21-merge");
    String replaced = uid("ec21-replace");
    for (String id : List.of(merged, replaced)) {
      setAttributes(
          kiln,
          """
          {"external_id":"%s","o":{"a":1,"b":{"c":2}}}"""
              .formatted(id));
    }

    setAttributes(
        kiln,
        """
        {"external_id":"%s","_merge_objects":true,"o":{"b":{"d":3}}}"""
            .formatted(merged));
    setAttributes(
        kiln,
        """
        {"external_id":"%s","o":{"b":{"d":3}}}"""
            .formatted(replaced));

    assertThat(exportedUser(kiln, merged).path("custom_attributes").path("o"))
        .isEqualTo(
            json(
                """
        {"a":1,"b":{"c":2,"d":3}}"""));
    assertThat(exportedUser(kiln, replaced).path("custom_attributes").path("o"))
        .isEqualTo(
            json(
                """
        {"b":{"d":3}}"""));
  }

  // --- 22 ---

  @Test
  void edgeCase22_badOrNullTimeLeavesTheNestedAttributeUntouched() {
    String id = uid("ec22");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","o":{"a":1},"p":{"a":1}}"""
            .formatted(id));

    setAttributes(
        kiln,
        """
        {"external_id":"%s","o":{"a":2,"when":{"$time":"garbage"}},"other":"applied"}"""
            .formatted(id));
    setAttributes(
        kiln,
        """
        {"external_id":"%s","p":{"a":2,"when":{"$time":null}},"first_name":"Applied"}"""
            .formatted(id));

    JsonNode user = exportedUser(kiln, id);
    assertThat(user.path("custom_attributes"))
        .isEqualTo(
            json(
                """
        {"o":{"a":1},"p":{"a":1},"other":"applied"}"""));
    assertThat(user.path("first_name").asText()).isEqualTo("Applied");
  }

  // --- 23 ---

  @Test
  void edgeCase23_removeDeletesEveryMatchingItem() {
    String id = uid("ec23-remove");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","pets":[{"id":1,"type":"dog"},{"id":2,"type":"cat"},{"id":3,"type":"dog"}]}"""
            .formatted(id));

    setAttributes(
        kiln,
        """
        {"external_id":"%s","pets":{"$remove":[{"$identifier_key":"type","$identifier_value":"dog"}]}}"""
            .formatted(id));

    assertThat(exportedUser(kiln, id).path("custom_attributes").path("pets"))
        .isEqualTo(
            json(
                """
        [{"id":2,"type":"cat"}]"""));
  }

  @Test
  void edgeCase23_updateWithoutMergeObjectsReplacesTheMatchedItem() {
    String id = uid("ec23-update");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","pets":[{"id":1,"type":"dog","name":"Rex"},{"id":2,"type":"cat","name":"Tom"}]}"""
            .formatted(id));

    setAttributes(
        kiln,
        """
        {"external_id":"%s","pets":{"$update":[
          {"$identifier_key":"id","$identifier_value":1,"$new_object":{"id":1,"name":"Max"}}]}}"""
            .formatted(id));

    assertThat(exportedUser(kiln, id).path("custom_attributes").path("pets"))
        .isEqualTo(
            json(
                """
        [{"id":1,"name":"Max"},{"id":2,"type":"cat","name":"Tom"}]"""));
  }

  @Test
  void edgeCase23_addRemoveAndUpdateInOneRequestApplyInThatOrder() {
    String id = uid("ec23-order");
    setAttributes(
        kiln,
        """
        {"external_id":"%s","pets":[{"id":1,"type":"cat","name":"a"}]}"""
            .formatted(id));

    // add first (so the added dog is then removed), remove second, update last (so the added bird
    // is found).
    setAttributes(
        kiln,
        """
        {"external_id":"%s","_merge_objects":true,"pets":{
          "$add":[{"id":2,"type":"dog","name":"b"},{"id":3,"type":"bird","name":"c"}],
          "$remove":[{"$identifier_key":"type","$identifier_value":"dog"}],
          "$update":[{"$identifier_key":"id","$identifier_value":3,"$new_object":{"name":"z"}}]}}"""
            .formatted(id));

    assertThat(exportedUser(kiln, id).path("custom_attributes").path("pets"))
        .isEqualTo(
            json(
                """
        [{"id":1,"type":"cat","name":"a"},{"id":3,"type":"bird","name":"z"}]"""));
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
    String id = uid("ec26");
    Instant time = daysAgo(1);
    assertPurchaseRejected(
        kiln,
        """
        {"external_id":"%s","product_id":"sku","currency":"USD","price":1,"quantity":"invalid","time":"%s"}"""
            .formatted(id, sent(time)),
        QUANTITY_NOT_VALID);
    assertPurchaseRejected(
        kiln,
        """
        {"external_id":"%s","product_id":"sku","currency":"USD","price":1,"quantity":101,"time":"%s"}"""
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
    String tooLong = "a".repeat(988);
    String tooLongMultiByte = "é".repeat(494); // 494 characters, 988 UTF-8 bytes
    String longest = "b".repeat(987);
    String longestMultiByte = "é".repeat(493) + "c"; // 987 bytes

    for (String id : List.of(tooLong, tooLongMultiByte)) {
      assertAttributesRejected(
          kiln,
          "{\"external_id\":" + quote(id) + ",\"first_name\":\"X\"}",
          "'external_id' must be fewer than 988 bytes");
    }
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
