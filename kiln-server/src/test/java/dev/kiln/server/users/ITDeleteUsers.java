package dev.kiln.server.users;

import static dev.kiln.server.segments.SegmentFixtures.createOk;
import static dev.kiln.server.segments.SegmentFixtures.inCohort;
import static dev.kiln.server.segments.SegmentFixtures.size;
import static dev.kiln.server.segments.SegmentFixtures.within;
import static dev.kiln.server.testing.TestJson.quote;
import static dev.kiln.server.testing.TestJson.uid;
import static dev.kiln.server.track.TrackFixtures.alias;
import static dev.kiln.server.track.TrackFixtures.assertNoAliasUser;
import static dev.kiln.server.track.TrackFixtures.assertNoEmailUser;
import static dev.kiln.server.track.TrackFixtures.assertNoUser;
import static dev.kiln.server.track.TrackFixtures.daysAgo;
import static dev.kiln.server.track.TrackFixtures.exportedAliasUser;
import static dev.kiln.server.track.TrackFixtures.exportedEmailUser;
import static dev.kiln.server.track.TrackFixtures.exportedUser;
import static dev.kiln.server.track.TrackFixtures.sent;
import static dev.kiln.server.track.TrackFixtures.setAttributes;
import static dev.kiln.server.track.TrackFixtures.trackOk;
import static dev.kiln.server.users.DeleteFixtures.BRAZE_IDS_STRINGS;
import static dev.kiln.server.users.DeleteFixtures.TOO_MANY_IDS;
import static dev.kiln.server.users.DeleteFixtures.aliasRows;
import static dev.kiln.server.users.DeleteFixtures.delete;
import static dev.kiln.server.users.DeleteFixtures.deleteOk;
import static dev.kiln.server.users.DeleteFixtures.exportIds;
import static dev.kiln.server.users.DeleteFixtures.exportedSegmentIds;
import static dev.kiln.server.users.DeleteFixtures.letAMillisecondPass;
import static dev.kiln.server.users.DeleteFixtures.rowsMarked;
import static dev.kiln.server.users.DeleteFixtures.strings;
import static dev.kiln.server.users.DeleteFixtures.uniqueEmail;
import static dev.kiln.server.users.DeleteFixtures.unknownIds;
import static dev.kiln.server.users.UserManagementFixtures.assertFatal;
import static dev.kiln.server.users.UserManagementFixtures.assertNoBrazeId;
import static dev.kiln.server.users.UserManagementFixtures.brazeIdOf;
import static dev.kiln.server.users.UserManagementFixtures.emailItem;
import static dev.kiln.server.users.UserManagementFixtures.identifiedUser;
import static dev.kiln.server.users.UserManagementFixtures.newAliasUser;
import static dev.kiln.server.users.UserManagementFixtures.phoneItem;
import static dev.kiln.server.users.UserManagementFixtures.uniquePhone;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.RunningKiln;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * POST /users/delete (docs/user-management.md, docs/braze-reference.md section 11 and edge case
 * 33): users named by each kind of identifier are gone for every reader (export, segments, segment
 * exports, the store itself), the count is of users deleted, prioritization chooses among users
 * sharing an email or phone, and fatal errors change nothing (their exact words are
 * DeleteRequestTest's, in kiln-ingest).
 */
class ITDeleteUsers {
  private static final String LABEL = "crm_id";

  @RegisterExtension static final RunningKiln kiln = RunningKiln.perClass();

  private static String email(String address) {
    return "\"email\":" + quote(address);
  }

  private static String phone(String number) {
    return "\"phone\":" + quote(number);
  }

  /**
   * Gives the alias user a new attribute value, which makes it the most recently updated of its
   * peers.
   */
  private static void touchAliasUser(String aliasName) {
    letAMillisecondPass();
    setAttributes(
        kiln,
        "{\"user_alias\":" + alias(aliasName, LABEL) + ",\"touched\":" + quote(uid("t")) + "}");
  }

  private static void touchUser(String externalId) {
    letAMillisecondPass();
    identifiedUser(kiln, externalId, "\"touched\":" + quote(uid("t")));
  }

  private static void assertNoPhoneUser(String number) {
    JsonNode answer = exportIds(kiln, "{\"phone\":" + quote(number) + "}");
    assertThat(answer.path("users").size()).as("users with phone %s: %s", number, answer).isZero();
  }

  private static void deleteByExternalId(String externalId, int deleted) {
    deleteOk(kiln, "{\"external_ids\":[" + quote(externalId) + "]}", deleted);
  }

  /**
   * Deletes among the users sharing this email, as the prioritization (a JSON array of steps)
   * chooses.
   */
  private static void deleteByEmail(String address, String prioritization, int deleted) {
    deleteOk(kiln, "{\"email_addresses\":[" + emailItem(address, prioritization) + "]}", deleted);
  }

  private static void assertUserKept(String externalId) {
    assertUserKeeps(externalId, "external_id", externalId);
  }

  /** The user is still there, with this value of the field. */
  private static void assertUserKeeps(String externalId, String field, String value) {
    assertThat(exportedUser(kiln, externalId).path(field).asText()).isEqualTo(value);
  }

  private static void assertAliasUserKeeps(String aliasName, String field, String value) {
    assertThat(exportedAliasUser(kiln, aliasName, LABEL).path(field).asText()).isEqualTo(value);
  }

  // --- each kind of identifier ---

  @Test
  void deletesByExternalId() {
    String id = uid("del-ext");
    identifiedUser(kiln, id, "\"first_name\":\"Gone\"");
    String other = uid("del-ext-other");
    identifiedUser(kiln, other, "");

    deleteByExternalId(id, 1);

    assertNoUser(kiln, id);
    assertUserKept(other);
  }

  @Test
  void deletesByUserAliasWithItsAliases() {
    String name = uid("del-alias");
    newAliasUser(kiln, name, LABEL, "\"first_name\":\"Al\"");
    assertThat(aliasRows(kiln, name, LABEL)).as("the alias in the store before").isEqualTo(1);

    deleteOk(kiln, "{\"user_aliases\":[" + alias(name, LABEL) + "]}", 1);

    assertNoAliasUser(kiln, name, LABEL);
    assertThat(aliasRows(kiln, name, LABEL)).as("the alias in the store after").isZero();
  }

  @Test
  void deletesByBrazeIdReadFromAnExport() {
    String id = uid("del-braze");
    identifiedUser(kiln, id, "");
    String brazeId = brazeIdOf(kiln, id);

    deleteOk(kiln, "{\"braze_ids\":[" + quote(brazeId) + "]}", 1);

    assertNoUser(kiln, id);
    assertNoBrazeId(kiln, brazeId);
  }

  @Test
  void deletesByEmailWithPrioritization() {
    String id = uid("del-email");
    String address = uniqueEmail();
    identifiedUser(kiln, id, email(address));

    deleteByEmail(address, "[\"identified\"]", 1);

    assertNoUser(kiln, id);
    assertNoEmailUser(kiln, address);
  }

  @Test
  void deletesByPhoneWithPrioritization() {
    String id = uid("del-phone");
    String number = uniquePhone();
    identifiedUser(kiln, id, phone(number));

    deleteOk(
        kiln,
        "{\"phone_numbers\":["
            + phoneItem(number, "[\"identified\",\"most_recently_updated\"]")
            + "]}",
        1);

    assertNoUser(kiln, id);
    assertNoPhoneUser(number);
  }

  @Test
  void deletesAMixOfEveryKindInOneRequest() {
    String byExternalId = uid("mix-ext");
    identifiedUser(kiln, byExternalId, "");
    String aliasName = uid("mix-alias");
    newAliasUser(kiln, aliasName, LABEL);
    String byBrazeId = uid("mix-braze");
    identifiedUser(kiln, byBrazeId, "");
    String brazeId = brazeIdOf(kiln, byBrazeId);
    String address = uniqueEmail();
    trackOk(
        kiln,
        "{\"attributes\":[{" + email(address) + ",\"first_name\":\"Em\"}]}",
        "\"attributes_processed\":1");
    String number = uniquePhone();
    trackOk(
        kiln,
        "{\"attributes\":[{" + phone(number) + ",\"first_name\":\"Ph\"}]}",
        "\"attributes_processed\":1");
    assertThat(exportedEmailUser(kiln, address).has("external_id"))
        .as("an email-only user")
        .isFalse();

    deleteOk(
        kiln,
        """
        {"external_ids":[%s],"user_aliases":[%s],"braze_ids":[%s],
         "email_addresses":[%s],"phone_numbers":[%s]}"""
            .formatted(
                quote(byExternalId),
                alias(aliasName, LABEL),
                quote(brazeId),
                emailItem(address, "[\"unidentified\"]"),
                phoneItem(number, "[\"most_recently_updated\"]")),
        5);

    assertNoUser(kiln, byExternalId);
    assertNoAliasUser(kiln, aliasName, LABEL);
    assertNoUser(kiln, byBrazeId);
    assertNoEmailUser(kiln, address);
    assertNoPhoneUser(number);
  }

  // --- the count ---

  @Test
  void countsUsersDeletedNotIdentifiersGiven() {
    String a = uid("count-a");
    identifiedUser(kiln, a, "");
    String b = uid("count-b");
    identifiedUser(kiln, b, "");
    String bEmail = uniqueEmail();
    identifiedUser(kiln, b, email(bEmail));
    String survivor = uid("count-survivor");
    identifiedUser(kiln, survivor, "");

    // a three times (twice by external_id, once by braze_id), b twice (external_id, email), and ids
    // that name nobody
    deleteOk(
        kiln,
        """
        {"external_ids":[%s,%s,%s,%s],"braze_ids":[%s,%s],"user_aliases":[%s],
         "email_addresses":[%s,%s]}"""
            .formatted(
                quote(a),
                quote(uid("nobody")),
                quote(b),
                quote(a),
                quote(brazeIdOf(kiln, a)),
                quote(uid("no-braze")),
                alias(uid("no-alias"), LABEL),
                emailItem(bEmail, "[\"identified\"]"),
                emailItem(uniqueEmail(), "[\"identified\"]")),
        2);

    assertNoUser(kiln, a);
    assertNoUser(kiln, b);
    assertNoEmailUser(kiln, bEmail);
    assertUserKept(survivor);
  }

  @Test
  void identifiersNamingNobodyDeleteNothing() {
    deleteOk(
        kiln,
        "{\"external_ids\":["
            + quote(uid("nobody"))
            + "],\"braze_ids\":["
            + quote(uid("nobody"))
            + "]}",
        0);
  }

  @Test
  void aUserAlreadyDeletedByAnEarlierRequestCountsNothing() {
    String id = uid("twice");
    identifiedUser(kiln, id, "");
    deleteByExternalId(id, 1);
    deleteByExternalId(id, 0);
  }

  // --- prioritization ---

  @Test
  void edgeCase33TwoUnidentifiedUsersSharingAnEmailAreBothKept() {
    String address = uniqueEmail();
    String first = uid("ec33-a");
    String second = uid("ec33-b");
    newAliasUser(kiln, first, LABEL, email(address));
    newAliasUser(kiln, second, LABEL, email(address));

    deleteByEmail(address, "[\"unidentified\"]", 0);

    assertAliasUserKeeps(first, "email", address);
    assertAliasUserKeeps(second, "email", address);
  }

  @Test
  void aSingleCandidateIsTakenWhateverThePrioritization() {
    String unidentifiedEmail = uniqueEmail();
    String aliasName = uid("single-alias");
    newAliasUser(kiln, aliasName, LABEL, email(unidentifiedEmail));
    String identifiedPhone = uniquePhone();
    String id = uid("single-ext");
    identifiedUser(kiln, id, phone(identifiedPhone));

    deleteOk(
        kiln,
        "{\"email_addresses\":["
            + emailItem(unidentifiedEmail, "[\"identified\"]")
            + "],"
            + "\"phone_numbers\":["
            + phoneItem(identifiedPhone, "[\"unidentified\"]")
            + "]}",
        2);

    assertNoAliasUser(kiln, aliasName, LABEL);
    assertNoUser(kiln, id);
  }

  @Test
  void identifiedAndUnidentifiedChooseAmongUsersSharingAnEmail() {
    String first = uniqueEmail();
    String identifiedOne = uid("pref-ext-1");
    String anonymousOne = uid("pref-alias-1");
    identifiedUser(kiln, identifiedOne, email(first));
    newAliasUser(kiln, anonymousOne, LABEL, email(first));
    String second = uniqueEmail();
    String identifiedTwo = uid("pref-ext-2");
    String anonymousTwo = uid("pref-alias-2");
    identifiedUser(kiln, identifiedTwo, email(second));
    newAliasUser(kiln, anonymousTwo, LABEL, email(second));

    deleteByEmail(first, "[\"identified\"]", 1);
    deleteByEmail(second, "[\"unidentified\"]", 1);

    assertNoUser(kiln, identifiedOne);
    assertAliasUserKeeps(anonymousOne, "email", first);
    assertNoAliasUser(kiln, anonymousTwo, LABEL);
    assertUserKeeps(identifiedTwo, "email", second);
  }

  @Test
  void unidentifiedChoosesAmongUsersSharingAPhone() {
    String number = uniquePhone();
    String id = uid("phone-pref-ext");
    String aliasName = uid("phone-pref-alias");
    identifiedUser(kiln, id, phone(number));
    newAliasUser(kiln, aliasName, LABEL, phone(number));

    deleteOk(kiln, "{\"phone_numbers\":[" + phoneItem(number, "[\"unidentified\"]") + "]}", 1);

    assertNoAliasUser(kiln, aliasName, LABEL);
    assertUserKeeps(id, "phone", number);
  }

  @Test
  void mostRecentlyUpdatedTakesTheLaterUpdatedUserWhicheverWasCreatedFirst() {
    // created first, updated last
    String address = uniqueEmail();
    String firstCreated = uid("recent-a");
    String secondCreated = uid("recent-b");
    newAliasUser(kiln, firstCreated, LABEL, email(address));
    newAliasUser(kiln, secondCreated, LABEL, email(address));
    touchAliasUser(firstCreated);
    // created last, updated last
    String otherAddress = uniqueEmail();
    String untouched = uid("recent-c");
    String createdLater = uid("recent-d");
    newAliasUser(kiln, untouched, LABEL, email(otherAddress));
    letAMillisecondPass();
    newAliasUser(kiln, createdLater, LABEL, email(otherAddress));

    deleteOk(
        kiln,
        "{\"email_addresses\":["
            + emailItem(address, "[\"most_recently_updated\"]")
            + ","
            + emailItem(otherAddress, "[\"most_recently_updated\"]")
            + "]}",
        2);

    assertNoAliasUser(kiln, firstCreated, LABEL);
    assertAliasUserKeeps(secondCreated, "email", address);
    assertNoAliasUser(kiln, createdLater, LABEL);
    assertAliasUserKeeps(untouched, "email", otherAddress);
  }

  @Test
  void stepsApplyInOrder() {
    // identified first: the identified user, although the other was updated later
    String address = uniqueEmail();
    String id = uid("order-ext");
    String aliasName = uid("order-alias");
    identifiedUser(kiln, id, email(address));
    newAliasUser(kiln, aliasName, LABEL, email(address));
    touchAliasUser(aliasName);

    deleteByEmail(address, "[\"identified\",\"most_recently_updated\"]", 1);

    assertNoUser(kiln, id);
    assertAliasUserKeeps(aliasName, "email", address);
  }

  @Test
  void aPreferenceMatchingNoCandidateLeavesThemAll() {
    String address = uniqueEmail();
    String first = uid("none-a");
    String second = uid("none-b");
    identifiedUser(kiln, first, email(address));
    identifiedUser(kiln, second, email(address));

    // Both identified: "unidentified" keeps them both, so nothing is chosen.
    deleteByEmail(address, "[\"unidentified\"]", 0);
    assertUserKeeps(first, "email", address);
    assertUserKeeps(second, "email", address);

    // The next step still sees both, and takes the later-updated one.
    touchUser(first);
    deleteByEmail(address, "[\"unidentified\",\"most_recently_updated\"]", 1);
    assertNoUser(kiln, first);
    assertUserKeeps(second, "email", address);
  }

  // --- fatal errors ---

  @Test
  void aFatalErrorBesideValidIdentifiersDeletesNothing() {
    String id = uid("fatal-keep");
    identifiedUser(kiln, id, "");
    String aliasName = uid("fatal-keep-alias");
    newAliasUser(kiln, aliasName, LABEL);

    assertFatal(
        delete(
            kiln,
            "{\"external_ids\":["
                + quote(id)
                + "],\"user_aliases\":["
                + alias(aliasName, LABEL)
                + "],\"braze_ids\":[7]}"),
        BRAZE_IDS_STRINGS);
    // a refused prioritization beside them is refused alike: DeleteRequestTest (kiln-ingest)

    assertUserKept(id);
    assertThat(exportedAliasUser(kiln, aliasName, LABEL).path("user_aliases")).hasSize(1);
  }

  /**
   * The external ids and the alias, with a braze id and an email that name nobody:
   * externalIds.size() + 3 identifiers.
   */
  private static String everyKind(List<String> externalIds, String aliasName) {
    return "{\"external_ids\":"
        + strings(externalIds)
        + ",\"user_aliases\":["
        + alias(aliasName, LABEL)
        + "],\"braze_ids\":["
        + quote(uid("b"))
        + "],\"email_addresses\":["
        + emailItem(uniqueEmail(), "[\"identified\"]")
        + "]}";
  }

  @Test
  void fiftyIdentifiersAreAcceptedAndFiftyOneRefusedWithNothingDeleted() {
    String kept = uid("cap-kept");
    identifiedUser(kiln, kept, "");
    String keptAlias = uid("cap-kept-alias");
    newAliasUser(kiln, keptAlias, LABEL);
    List<String> fiftyOne = new ArrayList<>(unknownIds("cap51-", 47));
    fiftyOne.add(kept);
    assertFatal(delete(kiln, everyKind(fiftyOne, keptAlias)), TOO_MANY_IDS);
    assertUserKept(kept);
    assertThat(exportedAliasUser(kiln, keptAlias, LABEL).path("user_aliases")).hasSize(1);

    List<String> fifty = new ArrayList<>(unknownIds("cap50-", 46));
    fifty.add(kept);
    deleteOk(kiln, everyKind(fifty, keptAlias), 2);
    assertNoUser(kiln, kept);
    assertNoAliasUser(kiln, keptAlias, LABEL);
  }

  @Test
  void fiftyOneExternalIdsAloneAreRefused() {
    assertFatal(
        delete(kiln, "{\"external_ids\":" + strings(unknownIds("cap-only-", 51)) + "}"),
        TOO_MANY_IDS);
    deleteOk(kiln, "{\"external_ids\":" + strings(unknownIds("cap-only-", 50)) + "}", 0);
  }

  // --- the data is really gone ---

  @Test
  void segmentsNoLongerCountTheUserNorItsEventsAndPurchases() {
    String cohort = uid("del-seg");
    String event = uid("ev");
    String sku = uid("sku");
    String gone = cohort + "-gone";
    String kept = cohort + "-kept";
    String time = sent(daysAgo(1));
    for (String id : List.of(gone, kept)) {
      trackOk(
          kiln,
          """
          {"attributes":[{"external_id":%1$s,"cohort":%2$s}],
           "events":[{"external_id":%1$s,"name":%3$s,"time":"%5$s"}],
           "purchases":[{"external_id":%1$s,"product_id":%4$s,"currency":"USD","price":2.5,"time":"%5$s"}]}"""
              .formatted(quote(id), quote(cohort), quote(event), quote(sku), time),
          "\"attributes_processed\":1,\"events_processed\":1,\"purchases_processed\":1");
    }
    String all = createOk(kiln, uid("all"), inCohort(cohort));
    String performed =
        createOk(
            kiln,
            uid("performed"),
            within(
                cohort,
                "{\"custom_event\":"
                    + quote(event)
                    + ",\"op\":\"count_greater_than_or_equal\",\"value\":1,\"in_last_days\":30}"));
    String purchased =
        createOk(
            kiln,
            uid("purchased"),
            within(cohort, "{\"purchased_product\":" + quote(sku) + ",\"op\":\"purchased\"}"));
    // outside the cohort too: only these two users ever performed this event or bought this product
    String performedAnywhere =
        createOk(
            kiln,
            uid("performed-any"),
            "{\"custom_event\":" + quote(event) + ",\"op\":\"performed\"}");
    String purchasedAnywhere =
        createOk(
            kiln,
            uid("purchased-any"),
            "{\"purchased_product\":"
                + quote(sku)
                + ",\"op\":\"count_greater_than_or_equal\",\"value\":1,\"in_last_days\":30}");
    for (String segment :
        List.of(all, performed, purchased, performedAnywhere, purchasedAnywhere)) {
      assertThat(size(kiln, segment)).as("size of %s before", segment).isEqualTo(2);
    }

    deleteByExternalId(gone, 1);

    for (String segment :
        List.of(all, performed, purchased, performedAnywhere, purchasedAnywhere)) {
      assertThat(size(kiln, segment)).as("size of %s after", segment).isEqualTo(1);
    }
  }

  @Test
  void theStoreHoldsNoRawEventsOrPurchasesOfTheUser() {
    String gone = uid("store-gone");
    String kept = uid("store-kept");
    String goneMarker = uid("marker");
    String keptMarker = uid("marker");
    for (String[] user :
        List.of(new String[] {gone, goneMarker}, new String[] {kept, keptMarker})) {
      String properties = "{\"marker\":" + quote(user[1]) + "}";
      trackOk(
          kiln,
          """
          {"events":[{"external_id":%1$s,"name":"opened","time":"%3$s","properties":%2$s},
                     {"external_id":%1$s,"name":"closed","time":"%3$s","properties":%2$s}],
           "purchases":[{"external_id":%1$s,"product_id":"sku","currency":"USD","price":1,"time":"%3$s","properties":%2$s}]}"""
              .formatted(quote(user[0]), properties, sent(daysAgo(2))),
          "\"events_processed\":2,\"purchases_processed\":1");
    }
    assertThat(rowsMarked(kiln, "custom_events", goneMarker))
        .as("events of the user before")
        .isEqualTo(2);
    assertThat(rowsMarked(kiln, "purchases", goneMarker))
        .as("purchases of the user before")
        .isEqualTo(1);

    deleteByExternalId(gone, 1);

    assertThat(rowsMarked(kiln, "custom_events", goneMarker))
        .as("events of the user after")
        .isZero();
    assertThat(rowsMarked(kiln, "purchases", goneMarker))
        .as("purchases of the user after")
        .isZero();
    assertThat(rowsMarked(kiln, "custom_events", keptMarker))
        .as("events of another user")
        .isEqualTo(2);
    assertThat(rowsMarked(kiln, "purchases", keptMarker))
        .as("purchases of another user")
        .isEqualTo(1);
  }

  @Test
  void aSegmentExportNoLongerHoldsTheUser() throws Exception {
    String cohort = uid("del-export");
    String gone = cohort + "-gone";
    String kept = cohort + "-kept";
    trackOk(
        kiln,
        """
        {"attributes":[{"external_id":%s,"cohort":%s},{"external_id":%s,"cohort":%s}]}"""
            .formatted(quote(gone), quote(cohort), quote(kept), quote(cohort)),
        "\"attributes_processed\":2");
    String segment = createOk(kiln, uid("export"), inCohort(cohort));
    assertThat(exportedSegmentIds(kiln, segment))
        .as("export before")
        .containsExactlyInAnyOrder(gone, kept);

    deleteByExternalId(gone, 1);

    assertThat(exportedSegmentIds(kiln, segment)).as("export after").containsExactly(kept);
  }

  @Test
  void trackingTheExternalIdAgainCreatesANewEmptyUser() {
    String id = uid("reborn");
    String address = uniqueEmail();
    trackOk(
        kiln,
        """
        {"attributes":[{"external_id":%1$s,"first_name":"Old","country":"US","plan":"gold",%2$s}],
         "events":[{"external_id":%1$s,"name":"opened","time":"%3$s"}],
         "purchases":[{"external_id":%1$s,"product_id":"sku","currency":"USD","price":3,"time":"%3$s"}]}"""
            .formatted(quote(id), email(address), sent(daysAgo(1))),
        "\"attributes_processed\":1,\"events_processed\":1,\"purchases_processed\":1");
    String oldBrazeId = brazeIdOf(kiln, id);

    deleteByExternalId(id, 1);
    identifiedUser(kiln, id, "\"last_name\":\"New\"");

    JsonNode reborn = exportedUser(kiln, id);
    assertThat(reborn.path("external_id").asText()).isEqualTo(id);
    assertThat(reborn.path("last_name").asText()).isEqualTo("New");
    assertThat(reborn.path("braze_id").asText()).as("a new user").isNotEqualTo(oldBrazeId);
    for (String field :
        List.of(
            "first_name", "country", "email", "custom_attributes", "custom_events", "purchases")) {
      assertThat(reborn.has(field)).as("%s of the new user: %s", field, reborn).isFalse();
    }
    assertNoEmailUser(kiln, address);
  }
}
