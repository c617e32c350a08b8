package dev.kiln.server.users;

import static dev.kiln.server.testing.TestJson.json;
import static dev.kiln.server.testing.TestJson.quote;
import static dev.kiln.server.testing.TestJson.uid;
import static dev.kiln.server.track.TrackFixtures.alias;
import static dev.kiln.server.track.TrackFixtures.assertBody;
import static dev.kiln.server.track.TrackFixtures.assertNoAliasUser;
import static dev.kiln.server.track.TrackFixtures.assertNoUser;
import static dev.kiln.server.track.TrackFixtures.daysAgo;
import static dev.kiln.server.track.TrackFixtures.exportedAliasUser;
import static dev.kiln.server.track.TrackFixtures.exportedUser;
import static dev.kiln.server.track.TrackFixtures.named;
import static dev.kiln.server.track.TrackFixtures.sent;
import static dev.kiln.server.track.TrackFixtures.setAttributes;
import static dev.kiln.server.track.TrackFixtures.trackOk;
import static dev.kiln.server.users.UserManagementFixtures.SUCCESS;
import static dev.kiln.server.users.UserManagementFixtures.aliasNew;
import static dev.kiln.server.users.UserManagementFixtures.aliasUserWithEmail;
import static dev.kiln.server.users.UserManagementFixtures.aliasWithId;
import static dev.kiln.server.users.UserManagementFixtures.aliasesOf;
import static dev.kiln.server.users.UserManagementFixtures.array;
import static dev.kiln.server.users.UserManagementFixtures.assertAliasesProcessed;
import static dev.kiln.server.users.UserManagementFixtures.assertFatal;
import static dev.kiln.server.users.UserManagementFixtures.assertNoBrazeId;
import static dev.kiln.server.users.UserManagementFixtures.brazeIdOf;
import static dev.kiln.server.users.UserManagementFixtures.brazeIdOfAlias;
import static dev.kiln.server.users.UserManagementFixtures.byExternalId;
import static dev.kiln.server.users.UserManagementFixtures.emailItem;
import static dev.kiln.server.users.UserManagementFixtures.exportLines;
import static dev.kiln.server.users.UserManagementFixtures.identifiedUser;
import static dev.kiln.server.users.UserManagementFixtures.merge;
import static dev.kiln.server.users.UserManagementFixtures.newAliasUser;
import static dev.kiln.server.users.UserManagementFixtures.phoneItem;
import static dev.kiln.server.users.UserManagementFixtures.renameOk;
import static dev.kiln.server.users.UserManagementFixtures.storedAttributes;
import static dev.kiln.server.users.UserManagementFixtures.uniquePhone;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.segments.SegmentFixtures;
import dev.kiln.server.testing.CallbackReceiver;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import dev.kiln.server.track.TrackFixtures;
import dev.kiln.server.users.UserManagementFixtures.MergeScenario;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * POST /users/merge (docs/user-management.md, docs/braze-reference.md section 11 and edge case 31)
 * and what merged users look like. The four fatal texts are MergeRequestTest's (kiln-ingest); here,
 * that a refusal merges nothing stored.
 */
class ITMerge {
  private static final String TOO_MANY =
      "a single request may not contain more than 50 merge updates";
  private static final CallbackReceiver RECEIVER = CallbackReceiver.start();

  @RegisterExtension
  static final RunningKiln kiln =
      RunningKiln.perClass(Map.of("KILN_CALLBACK_ALLOW_PRIVATE", "true"));

  @AfterAll
  static void stopReceiver() {
    RECEIVER.close();
  }

  private static String byExternal(String externalId) {
    return "{\"external_id\":" + quote(externalId) + "}";
  }

  private static String byAliasIdentifier(String aliasName, String aliasLabel) {
    return "{\"user_alias\":" + alias(aliasName, aliasLabel) + "}";
  }

  private static String update(String toMerge, String toKeep) {
    return "{\"identifier_to_merge\":" + toMerge + ",\"identifier_to_keep\":" + toKeep + "}";
  }

  /** Merges with these updates and expects 202 {"message":"success"}. */
  private static void mergeOk(String... updates) {
    assertBody(
        merge(kiln, "{\"merge_updates\":[" + String.join(",", updates) + "]}"), 202, SUCCESS);
  }

  /** Two identified users, the second with last_name Merged, for tests of what is refused. */
  private static String[] pair(String prefix) {
    String kept = uid(prefix + "-kept");
    String merged = uid(prefix + "-merged");
    identifiedUser(kiln, kept, "\"first_name\":\"Kept\"");
    identifiedUser(kiln, merged, "\"last_name\":\"Merged\"");
    return new String[] {kept, merged};
  }

  /** Neither user of the pair changed: both exist, and the kept one has nothing of the other. */
  private static void assertNotMerged(String[] pair) {
    assertThat(exportedUser(kiln, pair[1]).path("last_name").asText()).isEqualTo("Merged");
    assertThat(exportedUser(kiln, pair[0]).has("last_name"))
        .as("nothing merged into %s", pair[0])
        .isFalse();
  }

  // --- edge case 31 and the cap ---

  @Test
  void fiftyOneUpdatesAreRefusedWithNothingMergedAndAValidRequestSucceeds() {
    String[] pair = pair("mg-51");
    String valid = update(byExternal(pair[1]), byExternal(pair[0]));
    String nobody = update(byExternal(uid("mg-51-nobody")), byExternal(uid("mg-51-nobody")));

    assertFatal(
        merge(
            kiln, "{\"merge_updates\":[" + valid + "," + array(50, i -> nobody).substring(1) + "}"),
        TOO_MANY);
    assertNotMerged(pair);

    assertBody(
        merge(
            kiln, "{\"merge_updates\":[" + valid + "," + array(49, i -> nobody).substring(1) + "}"),
        202,
        SUCCESS);
    assertThat(exportedUser(kiln, pair[0]).path("last_name").asText()).isEqualTo("Merged");
    assertNoUser(kiln, pair[1]);
  }

  @Test
  void anEmptyArrayIsAcceptedAndDoesNothing() {
    assertBody(merge(kiln, "{\"merge_updates\":[]}"), 202, SUCCESS);
  }

  // --- the merge rules ---

  @Test
  void mergeByExternalIdAppliesTheMergeRules() {
    MergeScenario scenario = MergeScenario.start();
    String kept = uid("mg-rules-kept");
    String merged = uid("mg-rules-merged");
    scenario.trackKept(kiln, "\"external_id\":" + quote(kept), "");
    scenario.trackMerged(kiln, "\"external_id\":" + quote(merged), "");
    JsonNode before = exportedUser(kiln, kept);
    String mergedBrazeId = brazeIdOf(kiln, merged);
    Map<String, Object> keptStored = storedAttributes(kiln, byExternalId(kept));
    Map<String, Object> mergedStored = storedAttributes(kiln, byExternalId(merged));

    mergeOk(update(byExternal(merged), byExternal(kept)));

    scenario.assertMerged(exportedUser(kiln, kept), before);
    MergeScenario.assertSessions(
        storedAttributes(kiln, byExternalId(kept)), keptStored, mergedStored);
    assertNoUser(kiln, merged);
    assertNoBrazeId(kiln, mergedBrazeId);
  }

  @Test
  void customAttributesOfTheTargetAreKeptAndOnlyMissingOnesAdded() {
    String kept = uid("mg-custom-kept");
    String merged = uid("mg-custom-merged");
    identifiedUser(
        kiln,
        kept,
        """
        "plan":"pro","score":10,"tags":["a"],"address":{"city":"Paris"},"vip":false""");
    identifiedUser(
        kiln,
        merged,
        """
        "plan":"free","score":99,"tags":["b","c"],"address":{"city":"Lyon","zip":"69000"},"vip":true,
        "referrer":"ads","visits":3,"interests":["jazz"],"profile":{"age":30}""");

    mergeOk(update(byExternal(merged), byExternal(kept)));

    assertThat(exportedUser(kiln, kept).path("custom_attributes"))
        .isEqualTo(
            json(
                """
        {"plan":"pro","score":10,"tags":["a"],"address":{"city":"Paris"},"vip":false,
         "referrer":"ads","visits":3,"interests":["jazz"],"profile":{"age":30}}"""));
  }

  @Test
  void totalRevenuesWhoseSumIsBeyondADoublesRangeMergeToTheLargestStorableNumber() {
    String kept = uid("mg-revenue-kept");
    String merged = uid("mg-revenue-merged");
    for (String user : List.of(kept, merged)) {
      trackOk(
          kiln,
          """
          {"purchases":[{"external_id":"%s","product_id":"p","currency":"USD","price":1.5e308,"time":"%s"}]}"""
              .formatted(user, sent(daysAgo(1))),
          "\"purchases_processed\":1");
    }

    mergeOk(update(byExternal(merged), byExternal(kept)));

    JsonNode user = exportedUser(kiln, kept);
    assertThat(user.path("total_revenue").doubleValue()).isEqualTo(Double.MAX_VALUE);
    assertThat(named(user.path("purchases"), "p").path("count").asInt())
        .as("both purchases count")
        .isEqualTo(2);
  }

  @Test
  void aliasesMoveToTheKeptUserUnlessItHasTheirLabel() {
    String kept = uid("mg-aliases-kept");
    String merged = uid("mg-aliases-merged");
    String name = uid("mg-aliases");
    identifiedUser(kiln, kept, "");
    identifiedUser(kiln, merged, "");
    assertAliasesProcessed(
        aliasNew(
            kiln,
            "{\"user_aliases\":["
                + aliasWithId(name + "-k", "shared_label", kept)
                + ","
                + aliasWithId(name + "-m", "shared_label", merged)
                + ","
                + aliasWithId(name + "-own", "own_label", merged)
                + "]}"),
        3);

    mergeOk(update(byExternal(merged), byExternal(kept)));

    assertThat(aliasesOf(exportedUser(kiln, kept)))
        .containsExactlyInAnyOrder("shared_label:" + name + "-k", "own_label:" + name + "-own");
    assertThat(exportedAliasUser(kiln, name + "-own", "own_label").path("external_id").asText())
        .isEqualTo(kept);
    assertNoAliasUser(kiln, name + "-m", "shared_label");
  }

  @Test
  void theMergedUserIsGoneAndItsExternalIdFree() {
    String[] pair = pair("mg-gone");
    String keptBrazeId = brazeIdOf(kiln, pair[0]);
    String mergedBrazeId = brazeIdOf(kiln, pair[1]);
    trackOk(
        kiln,
        "{\"events\":[{\"external_id\":"
            + quote(pair[1])
            + ",\"name\":\"opened\",\"time\":\""
            + sent(daysAgo(1))
            + "\"}],\"attributes\":[{\"external_id\":"
            + quote(pair[1])
            + ",\"plan\":\"gold\"}]}",
        "\"attributes_processed\":1,\"events_processed\":1");

    mergeOk(update(byExternal(pair[1]), byExternal(pair[0])));

    assertNoUser(kiln, pair[1]);
    assertNoBrazeId(kiln, mergedBrazeId);
    setAttributes(kiln, "{\"external_id\":" + quote(pair[1]) + ",\"first_name\":\"Reborn\"}");
    assertBody(
        TrackFixtures.export(
            kiln,
            "{\"external_ids\":["
                + quote(pair[1])
                + "],\"fields_to_export\":[\"external_id\","
                + "\"first_name\",\"last_name\",\"custom_attributes\",\"custom_events\",\"purchases\",\"user_aliases\"]}"),
        200,
        "{\"message\":\"success\",\"users\":[{\"external_id\":"
            + quote(pair[1])
            + ",\"first_name\":\"Reborn\"}]}");
    String reborn = brazeIdOf(kiln, pair[1]);
    assertThat(reborn).isNotEqualTo(mergedBrazeId).isNotEqualTo(keptBrazeId);
    assertThat(exportedUser(kiln, pair[0]).path("custom_attributes").path("plan").asText())
        .isEqualTo("gold");
  }

  @Test
  void deprecatedExternalIdsNameTheirUsers() {
    String[] pair = pair("mg-deprecated");
    String keptRenamed = uid("mg-deprecated-kept-renamed");
    String mergedRenamed = uid("mg-deprecated-merged-renamed");
    renameOk(kiln, pair[0], keptRenamed);
    renameOk(kiln, pair[1], mergedRenamed);

    mergeOk(update(byExternal(pair[1]), byExternal(pair[0])));

    JsonNode user = exportedUser(kiln, keptRenamed);
    assertThat(user.path("last_name").asText()).isEqualTo("Merged");
    assertThat(user.path("external_id").asText()).isEqualTo(keptRenamed);
    assertNoUser(kiln, mergedRenamed);
    assertNoUser(kiln, pair[1]);
  }

  @Test
  void mergeByUserAlias() {
    String kept = uid("mg-alias-kept");
    String merged = uid("mg-alias-merged");
    newAliasUser(kiln, kept, "label_k", "\"first_name\":\"Kept\"");
    newAliasUser(
        kiln,
        merged,
        "label_m",
        "\"first_name\":\"Merged\",\"last_name\":\"Mergedson\",\"plan\":\"pro\"");
    String keptBrazeId = brazeIdOfAlias(kiln, kept, "label_k");
    String mergedBrazeId = brazeIdOfAlias(kiln, merged, "label_m");

    mergeOk(update(byAliasIdentifier(merged, "label_m"), byAliasIdentifier(kept, "label_k")));

    JsonNode user = exportedAliasUser(kiln, kept, "label_k");
    assertThat(user.path("braze_id").asText()).isEqualTo(keptBrazeId);
    assertThat(user.path("first_name").asText()).isEqualTo("Kept");
    assertThat(user.path("last_name").asText()).isEqualTo("Mergedson");
    assertThat(user.path("custom_attributes").path("plan").asText()).isEqualTo("pro");
    assertThat(brazeIdOfAlias(kiln, merged, "label_m"))
        .as("the merged user's alias names the kept user")
        .isEqualTo(keptBrazeId);
    assertNoBrazeId(kiln, mergedBrazeId);
  }

  @Test
  void mergeByEmailWithPrioritization() {
    String email = uid("mg-email") + "@example.com";
    String identified = uid("mg-email-identified");
    String kept = uid("mg-email-kept");
    setAttributes(
        kiln, "{\"email\":" + quote(email) + ",\"first_name\":\"EmailOnly\",\"plan\":\"trial\"}");
    identifiedUser(
        kiln, identified, "\"email\":" + quote(email) + ",\"first_name\":\"Identified\"");
    identifiedUser(kiln, kept, "\"last_name\":\"Kept\"");
    JsonNode identifiedBefore = exportedUser(kiln, identified);

    mergeOk(
        update(emailItem(email, "[\"unidentified\",\"most_recently_updated\"]"), byExternal(kept)));

    JsonNode user = exportedUser(kiln, kept);
    assertThat(user.path("first_name").asText())
        .as("the email-only user was merged")
        .isEqualTo("EmailOnly");
    assertThat(user.path("custom_attributes").path("plan").asText()).isEqualTo("trial");
    assertThat(exportedUser(kiln, identified))
        .as("the identified user is untouched")
        .isEqualTo(identifiedBefore);

    // as the kept user: "identified" chooses the identified one among kept and identified (both
    // have the email now)
    String other = uid("mg-email-other");
    identifiedUser(kiln, other, "\"home_city\":\"Oslo\"");
    mergeOk(
        update(byExternal(other), emailItem(email, "[\"identified\",\"least_recently_updated\"]")));
    assertThat(exportedUser(kiln, identified).path("home_city").asText())
        .as("merged into the least recently updated")
        .isEqualTo("Oslo");
    assertThat(exportedUser(kiln, kept).has("home_city")).isFalse();
  }

  @Test
  void anAmbiguousEmailMergesNothing() {
    String email = uid("mg-ambiguous") + "@example.com";
    String first = uid("mg-ambiguous-1");
    String second = uid("mg-ambiguous-2");
    String kept = uid("mg-ambiguous-kept");
    aliasUserWithEmail(kiln, first, email, "First");
    aliasUserWithEmail(kiln, second, email, "Second");
    identifiedUser(kiln, kept, "\"last_name\":\"Kept\"");
    JsonNode keptBefore = exportedUser(kiln, kept);

    mergeOk(
        update(emailItem(email, "[\"unidentified\"]"), byExternal(kept)),
        update(emailItem(email, "[\"identified\"]"), byExternal(kept)));

    assertThat(exportedUser(kiln, kept)).isEqualTo(keptBefore);
    assertThat(exportedAliasUser(kiln, first, "anon_id").path("first_name").asText())
        .isEqualTo("First");
    assertThat(exportedAliasUser(kiln, second, "anon_id").path("first_name").asText())
        .isEqualTo("Second");

    // recency decides between the two
    mergeOk(
        update(emailItem(email, "[\"unidentified\",\"most_recently_updated\"]"), byExternal(kept)));
    assertThat(exportedUser(kiln, kept).path("first_name").asText()).isEqualTo("Second");
    assertThat(exportedAliasUser(kiln, first, "anon_id").path("first_name").asText())
        .isEqualTo("First");
  }

  @Test
  void mergeByPhoneWithPrioritization() {
    String phone = uniquePhone();
    String identified = uid("mg-phone-identified");
    String kept = uid("mg-phone-kept");
    setAttributes(kiln, "{\"phone\":" + quote(phone) + ",\"first_name\":\"PhoneOnly\"}");
    identifiedUser(
        kiln, identified, "\"phone\":" + quote(phone) + ",\"first_name\":\"Identified\"");
    identifiedUser(kiln, kept, "\"last_name\":\"Kept\"");
    JsonNode identifiedBefore = exportedUser(kiln, identified);

    mergeOk(update(phoneItem(phone, "[\"unidentified\"]"), byExternal(kept)));

    JsonNode user = exportedUser(kiln, kept);
    assertThat(user.path("first_name").asText()).isEqualTo("PhoneOnly");
    assertThat(user.path("phone").asText()).isEqualTo(phone);
    assertThat(exportedUser(kiln, identified)).isEqualTo(identifiedBefore);

    // two candidates left (kept and identified both have the phone now, both identified): nothing
    // happens
    String other = uid("mg-phone-other");
    identifiedUser(kiln, other, "\"home_city\":\"Oslo\"");
    mergeOk(update(byExternal(other), phoneItem(phone, "[\"identified\"]")));
    assertThat(exportedUser(kiln, other).path("home_city").asText()).isEqualTo("Oslo");
    assertThat(exportedUser(kiln, kept).has("home_city")).isFalse();
    assertThat(exportedUser(kiln, identified).has("home_city")).isFalse();
  }

  @Test
  void nothingHappensWhenAUserIsMissingOrBothAreOne() {
    String id = uid("mg-noop");
    String name = uid("mg-noop-alias");
    identifiedUser(kiln, id, "\"first_name\":\"Alone\"");
    assertAliasesProcessed(
        aliasNew(kiln, "{\"user_aliases\":[" + aliasWithId(name, "crm_id", id) + "]}"), 1);
    JsonNode before = exportedUser(kiln, id);
    String ghost = uid("mg-noop-ghost");

    mergeOk(
        update(byExternal(id), byExternal(id)),
        update(byAliasIdentifier(name, "crm_id"), byExternal(id)),
        update(byExternal(ghost), byExternal(id)),
        update(byExternal(id), byExternal(ghost)),
        update(byAliasIdentifier(uid("mg-noop-nobody"), "crm_id"), byExternal(id)));

    assertThat(exportedUser(kiln, id)).isEqualTo(before);
    assertNoUser(kiln, ghost);
  }

  @Test
  void updatesAreAppliedInRequestOrder() {
    String a = uid("mg-chain-a");
    String b = uid("mg-chain-b");
    String c = uid("mg-chain-c");
    identifiedUser(kiln, a, "\"first_name\":\"A\"");
    identifiedUser(kiln, b, "\"last_name\":\"B\"");
    identifiedUser(kiln, c, "\"home_city\":\"C\"");

    // a into b, then b (now holding a's data) into c; then c into the gone a: nothing
    mergeOk(
        update(byExternal(a), byExternal(b)),
        update(byExternal(b), byExternal(c)),
        update(byExternal(c), byExternal(a)));

    JsonNode user = exportedUser(kiln, c);
    assertThat(user.path("first_name").asText()).isEqualTo("A");
    assertThat(user.path("last_name").asText()).isEqualTo("B");
    assertThat(user.path("home_city").asText()).isEqualTo("C");
    assertNoUser(kiln, a);
    assertNoUser(kiln, b);
  }

  // --- merged users in segments ---

  @Test
  void segmentSizesCountTheMergedUserOnceAndItsEventsForTheKeptUser() {
    String cohort = uid("mg-segment");
    String kept = uid("mg-segment-kept");
    String merged = uid("mg-segment-merged");
    String c = "\"cohort\":" + quote(cohort);
    identifiedUser(kiln, kept, c);
    identifiedUser(kiln, merged, c);
    trackOk(
        kiln,
        """
        {"events":[
          {"external_id":%1$s,"name":"played","time":%3$s},
          {"external_id":%1$s,"name":"played","time":%4$s},
          {"external_id":%2$s,"name":"played","time":%5$s,"properties":{"genre":"jazz"}}],
         "purchases":[
          {"external_id":%1$s,"product_id":"sku","currency":"USD","price":10,"time":%3$s},
          {"external_id":%2$s,"product_id":"sku","currency":"USD","price":30,"time":%4$s}]}"""
            .formatted(
                quote(kept),
                quote(merged),
                quote(sent(daysAgo(2))),
                quote(sent(daysAgo(3))),
                quote(sent(daysAgo(4)))),
        "\"events_processed\":3,\"purchases_processed\":2");
    String keptIs =
        "{\"attribute\":\"external_id\",\"op\":\"equals\",\"value\":" + quote(kept) + "}";
    String everyone =
        SegmentFixtures.createOk(kiln, cohort + " all", SegmentFixtures.inCohort(cohort));
    String threePlays =
        SegmentFixtures.createOk(
            kiln,
            cohort + " plays",
            SegmentFixtures.within(
                cohort,
                "{\"custom_event\":\"played\",\"op\":\"count_greater_than_or_equal\",\"value\":3,\"in_last_days\":30}"));
    String jazzForKept =
        SegmentFixtures.createOk(
            kiln,
            cohort + " jazz",
            SegmentFixtures.within(
                cohort,
                "{\"and\":["
                    + keptIs
                    + ",{\"custom_event\":\"played\",\"op\":\"performed\",\"in_last_days\":30,"
                    + "\"property\":{\"name\":\"genre\",\"op\":\"equals\",\"value\":\"jazz\"}}]}"));
    String twoPurchases =
        SegmentFixtures.createOk(
            kiln,
            cohort + " purchases",
            SegmentFixtures.within(
                cohort,
                "{\"purchased_product\":\"sku\",\"op\":\"count_greater_than_or_equal\",\"value\":2,\"in_last_days\":30}"));
    String revenue =
        SegmentFixtures.createOk(
            kiln,
            cohort + " revenue",
            SegmentFixtures.within(
                cohort,
                "{\"attribute\":\"total_revenue\",\"op\":\"greater_than_or_equal\",\"value\":40}"));
    assertThat(
            List.of(
                SegmentFixtures.size(kiln, everyone),
                SegmentFixtures.size(kiln, threePlays),
                SegmentFixtures.size(kiln, jazzForKept),
                SegmentFixtures.size(kiln, twoPurchases),
                SegmentFixtures.size(kiln, revenue)))
        .as("sizes before the merge: everyone, three plays, jazz for kept, two purchases, revenue")
        .containsExactly(2L, 0L, 0L, 0L, 0L);

    mergeOk(update(byExternal(merged), byExternal(kept)));

    assertThat(
            List.of(
                SegmentFixtures.size(kiln, everyone),
                SegmentFixtures.size(kiln, threePlays),
                SegmentFixtures.size(kiln, jazzForKept),
                SegmentFixtures.size(kiln, twoPurchases),
                SegmentFixtures.size(kiln, revenue)))
        .as("sizes after the merge: everyone, three plays, jazz for kept, two purchases, revenue")
        .containsExactly(1L, 1L, 1L, 1L, 1L);
  }

  @Test
  void aSegmentExportListsTheKeptUserWithTheMergedActivity() throws Exception {
    String cohort = uid("mg-export");
    String kept = uid("mg-export-kept");
    String merged = uid("mg-export-merged");
    String c = "\"cohort\":" + quote(cohort);
    identifiedUser(kiln, kept, c + ",\"first_name\":\"Kept\"");
    identifiedUser(kiln, merged, c + ",\"last_name\":\"Merged\"");
    trackOk(
        kiln,
        """
        {"events":[{"external_id":%1$s,"name":"played","time":%3$s},{"external_id":%2$s,"name":"played","time":%4$s}]}"""
            .formatted(
                quote(kept), quote(merged), quote(sent(daysAgo(2))), quote(sent(daysAgo(5)))),
        "\"events_processed\":2");
    String segment = SegmentFixtures.createOk(kiln, cohort, SegmentFixtures.inCohort(cohort));

    mergeOk(update(byExternal(merged), byExternal(kept)));

    String fields = "[\"external_id\",\"first_name\",\"last_name\",\"custom_events\"]";
    Response started =
        kiln.post(
            "/users/export/segment",
            "{\"segment_id\":"
                + quote(segment)
                + ",\"fields_to_export\":"
                + fields
                + ",\"callback_endpoint\":"
                + quote(RECEIVER.url())
                + "}");
    assertThat(started.status()).as("export request: %s", started).isEqualTo(201);
    List<String> lines =
        exportLines(json(RECEIVER.next(Duration.ofSeconds(60))).path("url").asText());

    assertThat(lines).hasSize(1);
    JsonNode user = json(lines.getFirst());
    assertThat(user.path("external_id").asText()).isEqualTo(kept);
    assertThat(user.path("first_name").asText()).isEqualTo("Kept");
    assertThat(user.path("last_name").asText()).isEqualTo("Merged");
    assertThat(named(user.path("custom_events"), "played").path("count").asInt()).isEqualTo(2);
    assertThat(
            TrackFixtures.export(
                    kiln,
                    "{\"external_ids\":[" + quote(kept) + "],\"fields_to_export\":" + fields + "}")
                .body())
        .as("the same line as /users/export/ids")
        .contains(lines.getFirst());
  }
}
