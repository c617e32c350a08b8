package dev.kiln.server.users;

import static dev.kiln.server.testing.TestJson.quote;
import static dev.kiln.server.testing.TestJson.uid;
import static dev.kiln.server.track.TrackFixtures.alias;
import static dev.kiln.server.track.TrackFixtures.assertBody;
import static dev.kiln.server.track.TrackFixtures.assertNoAliasUser;
import static dev.kiln.server.track.TrackFixtures.assertNoUser;
import static dev.kiln.server.track.TrackFixtures.exportedAliasUser;
import static dev.kiln.server.track.TrackFixtures.exportedUser;
import static dev.kiln.server.track.TrackFixtures.onlyUser;
import static dev.kiln.server.track.TrackFixtures.setAttributes;
import static dev.kiln.server.users.UserManagementFixtures.aliasUserWithEmail;
import static dev.kiln.server.users.UserManagementFixtures.aliasesOf;
import static dev.kiln.server.users.UserManagementFixtures.array;
import static dev.kiln.server.users.UserManagementFixtures.assertFatal;
import static dev.kiln.server.users.UserManagementFixtures.assertNoBrazeId;
import static dev.kiln.server.users.UserManagementFixtures.brazeIdOfAlias;
import static dev.kiln.server.users.UserManagementFixtures.byAlias;
import static dev.kiln.server.users.UserManagementFixtures.byExternalId;
import static dev.kiln.server.users.UserManagementFixtures.emailItem;
import static dev.kiln.server.users.UserManagementFixtures.identifiedUser;
import static dev.kiln.server.users.UserManagementFixtures.identify;
import static dev.kiln.server.users.UserManagementFixtures.newAliasUser;
import static dev.kiln.server.users.UserManagementFixtures.phoneItem;
import static dev.kiln.server.users.UserManagementFixtures.renameOk;
import static dev.kiln.server.users.UserManagementFixtures.storedAttributes;
import static dev.kiln.server.users.UserManagementFixtures.uniquePhone;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.track.TrackFixtures;
import dev.kiln.server.users.UserManagementFixtures.MergeScenario;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * POST /users/identify (docs/user-management.md, docs/braze-reference.md section 11) and the merge
 * it performs. The bodies refused as a whole, and their words, are IdentifyRequestTest's
 * (kiln-ingest); here, that such a refusal changes nothing stored.
 */
class ITIdentify {
  private static final String TOO_MANY =
      "a single request may not contain more than 50 identifications";

  @RegisterExtension static final RunningKiln kiln = RunningKiln.perClass();

  private static String aliasItem(String externalId, String aliasName, String aliasLabel) {
    return "{\"external_id\":"
        + quote(externalId)
        + ",\"user_alias\":"
        + alias(aliasName, aliasLabel)
        + "}";
  }

  /**
   * Identifies with these items of one array and expects 201 with exactly these counts and
   * "message":"success".
   */
  private static void identifyOk(String array, String counts, String... items) {
    assertBody(
        identify(kiln, "{" + quote(array) + ":[" + String.join(",", items) + "]}"),
        201,
        "{" + counts + ",\"message\":\"success\"}");
  }

  /**
   * Identifies these aliases_to_identify items and expects 201 {"aliases_processed": n, "message":
   * "success"}.
   */
  private static void identifyAliases(String... items) {
    identifyOk("aliases_to_identify", "\"aliases_processed\":" + items.length, items);
  }

  private static void identifyEmails(String... items) {
    identifyOk(
        "emails_to_identify",
        "\"aliases_processed\":0,\"emails_processed\":" + items.length,
        items);
  }

  private static void identifyPhones(String... items) {
    identifyOk(
        "phone_numbers_to_identify",
        "\"aliases_processed\":0,\"phone_numbers_processed\":" + items.length,
        items);
  }

  /** The alias user (label anon_id) was not identified: it still has no external_id. */
  private static void assertStillAnonymous(String aliasName) {
    assertThat(exportedAliasUser(kiln, aliasName, "anon_id").has("external_id")).isFalse();
  }

  // --- aliases_to_identify ---

  @Test
  void anAliasOnlyUserTakesAnExternalIdNoUserHas() {
    String id = uid("idf-free");
    String name = uid("idf-free-alias");
    newAliasUser(kiln, name, "anon_id", "\"first_name\":\"Anon\"");
    String brazeId = brazeIdOfAlias(kiln, name, "anon_id");

    identifyAliases(aliasItem(id, name, "anon_id"));

    JsonNode user = exportedUser(kiln, id);
    assertThat(user.path("braze_id").asText())
        .as("the same user, now identified")
        .isEqualTo(brazeId);
    assertThat(user.path("first_name").asText()).isEqualTo("Anon");
    assertThat(aliasesOf(user)).containsExactly("anon_id:" + name);
    assertThat(exportedAliasUser(kiln, name, "anon_id").path("external_id").asText()).isEqualTo(id);

    // /users/track with the external_id now reaches it
    setAttributes(kiln, "{\"external_id\":" + quote(id) + ",\"last_name\":\"Known\"}");
    assertThat(exportedAliasUser(kiln, name, "anon_id").path("last_name").asText())
        .isEqualTo("Known");
  }

  @Test
  void theAnonymousUserIsMergedIntoTheUserWithTheExternalIdAndRemoved() {
    MergeScenario scenario = MergeScenario.start();
    String id = uid("idf-merge");
    String name = uid("idf-merge-alias");
    scenario.trackKept(kiln, "\"external_id\":" + quote(id), "");
    newAliasUser(kiln, name, "anon_id");
    scenario.trackMerged(kiln, "\"user_alias\":" + alias(name, "anon_id"), "");
    JsonNode before = exportedUser(kiln, id);
    String anonymous = brazeIdOfAlias(kiln, name, "anon_id");
    Map<String, Object> keptStored = storedAttributes(kiln, byExternalId(id));
    Map<String, Object> mergedStored = storedAttributes(kiln, byAlias(name, "anon_id"));

    identifyAliases(aliasItem(id, name, "anon_id"));

    JsonNode after = exportedUser(kiln, id);
    scenario.assertMerged(after, before);
    MergeScenario.assertSessions(
        storedAttributes(kiln, byExternalId(id)), keptStored, mergedStored);
    assertThat(aliasesOf(after))
        .as("the alias now names the identified user")
        .containsExactly("anon_id:" + name);
    assertThat(brazeIdOfAlias(kiln, name, "anon_id")).isEqualTo(before.path("braze_id").asText());
    assertNoBrazeId(kiln, anonymous);
  }

  @Test
  void nothingIsMergedWhenTheIdentifiedUserHasAnAliasWithTheSameLabel() {
    String id = uid("idf-same-label");
    String keptAlias = uid("idf-kept-alias");
    String anonAlias = uid("idf-anon-alias");
    newAliasUser(kiln, keptAlias, "anon_id");
    identifyAliases(
        aliasItem(id, keptAlias, "anon_id")); // the user with id holds anon_id:keptAlias
    setAttributes(kiln, "{\"external_id\":" + quote(id) + ",\"first_name\":\"Kept\"}");
    newAliasUser(
        kiln,
        anonAlias,
        "anon_id",
        "\"first_name\":\"Anon\",\"last_name\":\"Anonymous\",\"only_anon\":true");
    JsonNode keptBefore = exportedUser(kiln, id);
    JsonNode anonBefore = exportedAliasUser(kiln, anonAlias, "anon_id");

    identifyAliases(aliasItem(id, anonAlias, "anon_id"));

    assertThat(exportedUser(kiln, id)).as("the identified user is unchanged").isEqualTo(keptBefore);
    assertThat(exportedAliasUser(kiln, anonAlias, "anon_id"))
        .as("the anonymous user is unchanged")
        .isEqualTo(anonBefore);
  }

  @Test
  void theSameLabelExceptionHoldsForAliasesOnly() {
    String id = uid("idf-label-email");
    String keptAlias = uid("idf-label-email-kept");
    String anonAlias = uid("idf-label-email-anon");
    String email = anonAlias + "@example.com";
    newAliasUser(kiln, keptAlias, "anon_id");
    identifyAliases(
        aliasItem(id, keptAlias, "anon_id")); // the user with id holds anon_id:keptAlias
    aliasUserWithEmail(kiln, anonAlias, email, "Anon");
    String anonymous = brazeIdOfAlias(kiln, anonAlias, "anon_id");

    // chosen by email, the anonymous user is merged although both hold an anon_id alias
    identifyEmails(emailItem(id, email, "[\"unidentified\"]"));

    JsonNode user = exportedUser(kiln, id);
    assertThat(user.path("first_name").asText()).isEqualTo("Anon");
    assertThat(user.path("email").asText()).isEqualTo(email);
    assertThat(aliasesOf(user))
        .as("the kept user keeps its own alias of that label")
        .containsExactly("anon_id:" + keptAlias);
    assertNoBrazeId(kiln, anonymous);
    assertNoAliasUser(kiln, anonAlias, "anon_id");
  }

  @Test
  void anAliasOfAnotherIdentifiedUserIsNotIdentifiedAgain() {
    String holderId = uid("idf-holder");
    String id = uid("idf-other");
    String name = uid("idf-holder-alias");
    newAliasUser(kiln, name, "anon_id", "\"first_name\":\"Holder\"");
    identifyAliases(aliasItem(holderId, name, "anon_id"));
    JsonNode holder = exportedUser(kiln, holderId);

    identifyAliases(aliasItem(id, name, "anon_id"));
    assertNoUser(kiln, id);
    assertThat(exportedUser(kiln, holderId)).isEqualTo(holder);

    // the same external_id again: already done, nothing changes
    identifyAliases(aliasItem(holderId, name, "anon_id"));
    assertThat(exportedUser(kiln, holderId)).isEqualTo(holder);
  }

  @Test
  void anAliasNoUserHoldsIdentifiesNobody() {
    String id = uid("idf-no-holder");
    identifyAliases(aliasItem(id, uid("idf-nobody"), "anon_id"));
    assertNoUser(kiln, id);
  }

  @Test
  void severalAliasesMayIdentifyOneExternalId() {
    String id = uid("idf-several");
    String first = uid("idf-several-1");
    String second = uid("idf-several-2");
    newAliasUser(kiln, first, "label_a", "\"first_name\":\"First\"");
    newAliasUser(kiln, second, "label_b", "\"last_name\":\"Second\"");
    String firstBrazeId = brazeIdOfAlias(kiln, first, "label_a");
    String secondBrazeId = brazeIdOfAlias(kiln, second, "label_b");

    // the first takes the free external_id; the second is then merged into it
    identifyAliases(aliasItem(id, first, "label_a"), aliasItem(id, second, "label_b"));

    JsonNode user = exportedUser(kiln, id);
    assertThat(user.path("braze_id").asText()).isEqualTo(firstBrazeId);
    assertThat(user.path("first_name").asText()).isEqualTo("First");
    assertThat(user.path("last_name").asText()).isEqualTo("Second");
    assertThat(aliasesOf(user)).containsExactlyInAnyOrder("label_a:" + first, "label_b:" + second);
    assertNoBrazeId(kiln, secondBrazeId);
  }

  @Test
  void aDeprecatedExternalIdNamesItsUser() {
    String id = uid("idf-deprecated");
    String renamed = uid("idf-renamed");
    String name = uid("idf-deprecated-alias");
    identifiedUser(kiln, id, "\"first_name\":\"Renamed\"");
    renameOk(kiln, id, renamed);
    newAliasUser(kiln, name, "anon_id", "\"last_name\":\"Anon\"");

    identifyAliases(aliasItem(id, name, "anon_id"));

    JsonNode user = exportedUser(kiln, renamed);
    assertThat(user.path("external_id").asText()).as("the primary id stays").isEqualTo(renamed);
    assertThat(user.path("last_name").asText()).as("merged in").isEqualTo("Anon");
    assertThat(aliasesOf(user)).containsExactly("anon_id:" + name);
  }

  // --- emails_to_identify and phone_numbers_to_identify ---

  @Test
  void anEmailOnlyUserTakesAFreeExternalId() {
    String id = uid("idf-email");
    String email = id + "@example.com";
    setAttributes(kiln, "{\"email\":" + quote(email) + ",\"first_name\":\"ByEmail\"}");
    String brazeId = TrackFixtures.exportedEmailUser(kiln, email).path("braze_id").asText();

    identifyEmails(emailItem(id, email, "[\"unidentified\"]"));

    JsonNode user = exportedUser(kiln, id);
    assertThat(user.path("braze_id").asText()).isEqualTo(brazeId);
    assertThat(user.path("email").asText()).isEqualTo(email);
    assertThat(user.path("first_name").asText()).isEqualTo("ByEmail");
  }

  @Test
  void anEmailOnlyUserIsMergedIntoTheUserWithTheExternalId() {
    String id = uid("idf-email-merge");
    String email = id + "@example.com";
    identifiedUser(kiln, id, "\"first_name\":\"Kept\"");
    setAttributes(
        kiln,
        "{\"email\":"
            + quote(email)
            + ",\"first_name\":\"Anon\",\"last_name\":\"Anonymous\",\"plan\":\"pro\"}");
    String anonymous = TrackFixtures.exportedEmailUser(kiln, email).path("braze_id").asText();

    identifyEmails(emailItem(id, email, "[\"unidentified\"]"));

    JsonNode user = exportedUser(kiln, id);
    assertThat(user.path("first_name").asText()).isEqualTo("Kept");
    assertThat(user.path("last_name").asText()).isEqualTo("Anonymous");
    assertThat(user.path("email").asText()).isEqualTo(email);
    assertThat(user.path("custom_attributes").path("plan").asText()).isEqualTo("pro");
    assertNoBrazeId(kiln, anonymous);
  }

  @Test
  void emailPrioritizationChoosesAmongUsersWithTheEmail() {
    String email = uid("idf-prio") + "@example.com";
    String otherId = uid("idf-prio-identified");
    String id = uid("idf-prio-new");
    setAttributes(kiln, "{\"email\":" + quote(email) + ",\"first_name\":\"EmailOnly\"}");
    identifiedUser(kiln, otherId, "\"email\":" + quote(email) + ",\"first_name\":\"Identified\"");
    JsonNode identified = exportedUser(kiln, otherId);

    // "identified" chooses the user that already has another external_id: nothing happens
    identifyEmails(emailItem(id, email, "[\"identified\"]"));
    assertNoUser(kiln, id);
    assertThat(exportedUser(kiln, otherId)).isEqualTo(identified);

    // "unidentified" chooses the email-only user, which takes the external_id
    identifyEmails(emailItem(id, email, "[\"unidentified\",\"most_recently_updated\"]"));
    JsonNode user = exportedUser(kiln, id);
    assertThat(user.path("first_name").asText()).isEqualTo("EmailOnly");
    assertThat(exportedUser(kiln, otherId)).isEqualTo(identified);
  }

  @Test
  void anAmbiguousEmailIdentifiesNobody() {
    String email = uid("idf-ambiguous") + "@example.com";
    String first = uid("idf-ambiguous-1");
    String second = uid("idf-ambiguous-2");
    String id = uid("idf-ambiguous-id");
    aliasUserWithEmail(kiln, first, email, "First");
    aliasUserWithEmail(kiln, second, email, "Second");

    identifyEmails(emailItem(id, email, "[\"unidentified\"]"));
    identifyEmails(emailItem(id, email, "[\"identified\"]")); // prefers none of them: both remain

    assertNoUser(kiln, id);
    assertStillAnonymous(first);
    assertStillAnonymous(second);
  }

  @Test
  void recencyBreaksTiesBetweenUsersWithTheEmail() {
    String email = uid("idf-recent") + "@example.com";
    String older = uid("idf-recent-older");
    String newer = uid("idf-recent-newer");
    aliasUserWithEmail(kiln, older, email, "Older");
    aliasUserWithEmail(kiln, newer, email, "Newer");
    String mostRecent = uid("idf-most-recent");

    // "identified" prefers none of the two and leaves both; recency then chooses
    identifyEmails(emailItem(mostRecent, email, "[\"identified\",\"most_recently_updated\"]"));
    assertThat(exportedUser(kiln, mostRecent).path("first_name").asText()).isEqualTo("Newer");

    String otherEmail = uid("idf-least") + "@example.com";
    String first = uid("idf-least-first");
    String second = uid("idf-least-second");
    aliasUserWithEmail(kiln, first, otherEmail, "First");
    aliasUserWithEmail(kiln, second, otherEmail, "Second");
    String leastRecent = uid("idf-least-recent");
    identifyEmails(emailItem(leastRecent, otherEmail, "[\"least_recently_updated\"]"));
    assertThat(exportedUser(kiln, leastRecent).path("first_name").asText()).isEqualTo("First");
    assertStillAnonymous(second);
  }

  @Test
  void aPhoneOnlyUserTakesAFreeExternalIdWithPrioritization() {
    String phone = uniquePhone();
    String otherId = uid("idf-phone-identified");
    String id = uid("idf-phone");
    setAttributes(kiln, "{\"phone\":" + quote(phone) + ",\"first_name\":\"PhoneOnly\"}");
    identifiedUser(kiln, otherId, "\"phone\":" + quote(phone) + ",\"first_name\":\"Identified\"");

    identifyPhones(phoneItem(id, phone, "[\"identified\"]"));
    assertNoUser(kiln, id);

    identifyPhones(phoneItem(id, phone, "[\"unidentified\"]"));
    JsonNode user = exportedUser(kiln, id);
    assertThat(user.path("first_name").asText()).isEqualTo("PhoneOnly");
    assertThat(user.path("phone").asText()).isEqualTo(phone);
    assertThat(exportedUser(kiln, otherId).path("first_name").asText()).isEqualTo("Identified");
  }

  @Test
  void aPhoneOnlyUserIsMergedIntoTheUserWithTheExternalId() {
    String phone = uniquePhone();
    String id = uid("idf-phone-merge");
    identifiedUser(kiln, id, "\"first_name\":\"Kept\"");
    setAttributes(kiln, "{\"phone\":" + quote(phone) + ",\"last_name\":\"ByPhone\"}");
    String anonymous =
        onlyUser(TrackFixtures.export(kiln, "{\"phone\":" + quote(phone) + "}"))
            .path("braze_id")
            .asText();

    identifyPhones(phoneItem(id, phone, "[\"unidentified\"]"));

    JsonNode user = exportedUser(kiln, id);
    assertThat(user.path("first_name").asText()).isEqualTo("Kept");
    assertThat(user.path("last_name").asText()).isEqualTo("ByPhone");
    assertThat(user.path("phone").asText()).isEqualTo(phone);
    assertNoBrazeId(kiln, anonymous);
  }

  @Test
  void anAmbiguousPhoneIdentifiesNobody() {
    String phone = uniquePhone();
    String first = uid("idf-phone-amb-1");
    String second = uid("idf-phone-amb-2");
    String id = uid("idf-phone-amb");
    newAliasUser(kiln, first, "anon_id", "\"phone\":" + quote(phone));
    newAliasUser(kiln, second, "anon_id", "\"phone\":" + quote(phone));

    identifyPhones(phoneItem(id, phone, "[\"unidentified\"]"));

    assertNoUser(kiln, id);
    assertStillAnonymous(first);
    assertStillAnonymous(second);
  }

  // --- the response ---

  @Test
  void theResponseCountsTheObjectsOfEachArrayGiven() {
    String email = uid("idf-count") + "@example.com";
    String aliasName = uid("idf-count-alias");
    newAliasUser(kiln, aliasName, "anon_id");
    assertBody(
        identify(
            kiln,
            "{\"aliases_to_identify\":["
                + aliasItem(uid("idf-count-1"), aliasName, "anon_id")
                + ","
                + aliasItem(uid("idf-count-2"), uid("idf-nobody"), "anon_id")
                + "],\"emails_to_identify\":["
                + emailItem(uid("idf-count-3"), email, "[\"unidentified\"]")
                + "],\"phone_numbers_to_identify\":["
                + phoneItem(uid("idf-count-4"), uniquePhone(), "[\"identified\"]")
                + "]}"),
        201,
        "{\"aliases_processed\":2,\"emails_processed\":1,\"phone_numbers_processed\":1,\"message\":\"success\"}");
  }

  // --- fatal errors ---

  @Test
  void atMostFiftyIdentificationsInTotal() {
    String name = uid("idf-cap");
    newAliasUser(kiln, name, "anon_id");
    String id = uid("idf-cap-id");
    String valid = aliasItem(id, name, "anon_id");
    String nobody = aliasItem(uid("idf-cap-nobody"), uid("idf-cap-nobody"), "anon_id");
    String email =
        emailItem(uid("idf-cap-email"), uid("idf-cap") + "@example.com", "[\"unidentified\"]");
    String phone = phoneItem(uid("idf-cap-phone"), uniquePhone(), "[\"unidentified\"]");

    assertFatal(
        identify(
            kiln,
            "{\"aliases_to_identify\":["
                + valid
                + ","
                + array(25, i -> nobody).substring(1)
                + ",\"emails_to_identify\":"
                + array(25, i -> email)
                + "}"),
        TOO_MANY);
    // 21 + 15 + 15 and 51 aliases alone are refused alike: IdentifyRequestTest (kiln-ingest)
    assertNoUser(kiln, id);

    assertBody(
        identify(
            kiln,
            "{\"aliases_to_identify\":["
                + valid
                + ","
                + array(19, i -> nobody).substring(1)
                + ",\"emails_to_identify\":"
                + array(15, i -> email)
                + ",\"phone_numbers_to_identify\":"
                + array(15, i -> phone)
                + "}"),
        201,
        "{\"aliases_processed\":20,\"emails_processed\":15,\"phone_numbers_processed\":15,\"message\":\"success\"}");
    assertThat(exportedUser(kiln, id).path("braze_id").asText()).isNotEmpty();
  }
}
