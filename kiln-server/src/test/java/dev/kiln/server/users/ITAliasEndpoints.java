package dev.kiln.server.users;

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
import static dev.kiln.server.users.UserManagementFixtures.aliasUpdate;
import static dev.kiln.server.users.UserManagementFixtures.aliasWithId;
import static dev.kiln.server.users.UserManagementFixtures.aliasesOf;
import static dev.kiln.server.users.UserManagementFixtures.array;
import static dev.kiln.server.users.UserManagementFixtures.assertAliasesProcessed;
import static dev.kiln.server.users.UserManagementFixtures.assertFatal;
import static dev.kiln.server.users.UserManagementFixtures.brazeIdOf;
import static dev.kiln.server.users.UserManagementFixtures.brazeIdOfAlias;
import static dev.kiln.server.users.UserManagementFixtures.identifiedUser;
import static dev.kiln.server.users.UserManagementFixtures.newAliasUser;
import static dev.kiln.server.users.UserManagementFixtures.renameOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import dev.kiln.server.track.TrackFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * POST /users/alias/new and POST /users/alias/update (docs/user-management.md,
 * docs/braze-reference.md sections 6 and 11). The bodies refused as a whole, and their words, are
 * AliasRequestsTest's (kiln-ingest); here, that such a refusal creates or renames nothing stored.
 */
class ITAliasEndpoints {
  private static final String TOO_MANY =
      "a single request may not contain more than 50 user aliases";
  private static final String EACH =
      "each of 'user_aliases' must have string 'alias_name' and 'alias_label', "
          + "and may have a string 'external_id'";
  private static final String TOO_MANY_UPDATES =
      "a single request may not contain more than 50 alias updates";

  @RegisterExtension static final RunningKiln kiln = RunningKiln.perClass();

  private static String update(String label, String oldName, String newName) {
    return "{\"alias_label\":"
        + quote(label)
        + ",\"old_alias_name\":"
        + quote(oldName)
        + ",\"new_alias_name\":"
        + quote(newName)
        + "}";
  }

  /** Gives the user the aliases name-a under label_a and name-b under label_b, in one request. */
  private static void aliasUnderTwoLabels(String externalId, String name) {
    assertAliasesProcessed(
        aliasNew(
            kiln,
            "{\"user_aliases\":["
                + aliasWithId(name + "-a", "label_a", externalId)
                + ","
                + aliasWithId(name + "-b", "label_b", externalId)
                + "]}"),
        2);
  }

  // --- /users/alias/new without external_id ---

  @Test
  void withoutExternalIdAnAliasOnlyUserIsCreatedThatTheAliasNames() {
    String name = uid("an-new");
    assertAliasesProcessed(aliasNew(kiln, "{\"user_aliases\":[" + alias(name, "crm_id") + "]}"), 1);

    JsonNode user = exportedAliasUser(kiln, name, "crm_id");
    assertThat(user.has("external_id"))
        .as("an alias-only user has no external_id: %s", user)
        .isFalse();
    assertThat(aliasesOf(user)).containsExactly("crm_id:" + name);

    // /users/track by this alias (which only updates existing users) reaches the new user
    setAttributes(kiln, "{\"user_alias\":" + alias(name, "crm_id") + ",\"first_name\":\"Ali\"}");
    trackOk(
        kiln,
        "{\"events\":[{\"user_alias\":"
            + alias(name, "crm_id")
            + ",\"name\":\"opened\",\"time\":\""
            + sent(daysAgo(1))
            + "\"}]}",
        "\"events_processed\":1");
    JsonNode tracked = exportedAliasUser(kiln, name, "crm_id");
    assertThat(tracked.path("braze_id").asText()).isEqualTo(user.path("braze_id").asText());
    assertThat(tracked.path("first_name").asText()).isEqualTo("Ali");
    assertThat(named(tracked.path("custom_events"), "opened"))
        .as("event tracked by alias: %s", tracked)
        .isNotNull();
    assertThat(named(tracked.path("custom_events"), "opened").path("count").asInt()).isEqualTo(1);
  }

  @Test
  void withoutExternalIdNothingHappensWhenAUserAlreadyHoldsTheAlias() {
    String name = uid("an-held");
    newAliasUser(kiln, name, "crm_id", "\"first_name\":\"First\"");
    String brazeId = brazeIdOfAlias(kiln, name, "crm_id");

    assertAliasesProcessed(aliasNew(kiln, "{\"user_aliases\":[" + alias(name, "crm_id") + "]}"), 1);

    JsonNode user = exportedAliasUser(kiln, name, "crm_id"); // still exactly one user
    assertThat(user.path("braze_id").asText()).isEqualTo(brazeId);
    assertThat(user.path("first_name").asText()).isEqualTo("First");
  }

  @Test
  void theSameNameUnderAnotherLabelIsAnotherAliasAndAnotherUser() {
    String name = uid("an-labels");
    newAliasUser(kiln, name, "label_a");
    newAliasUser(kiln, name, "label_b");
    assertThat(brazeIdOfAlias(kiln, name, "label_a"))
        .isNotEqualTo(brazeIdOfAlias(kiln, name, "label_b"));
  }

  // --- /users/alias/new with external_id ---

  @Test
  void withExternalIdTheAliasIsAddedToThatUser() {
    String id = uid("an-ext");
    String name = uid("an-ext-alias");
    identifiedUser(kiln, id, "\"first_name\":\"Known\"");
    String brazeId = brazeIdOf(kiln, id);

    assertAliasesProcessed(
        aliasNew(kiln, "{\"user_aliases\":[" + aliasWithId(name, "crm_id", id) + "]}"), 1);

    JsonNode byAlias = exportedAliasUser(kiln, name, "crm_id");
    assertThat(byAlias.path("braze_id").asText()).isEqualTo(brazeId);
    assertThat(byAlias.path("external_id").asText()).isEqualTo(id);
    assertThat(byAlias.path("first_name").asText()).isEqualTo("Known");
    assertThat(aliasesOf(exportedUser(kiln, id))).containsExactly("crm_id:" + name);

    // /users/track by the alias changes the identified user
    setAttributes(kiln, "{\"user_alias\":" + alias(name, "crm_id") + ",\"last_name\":\"ByAlias\"}");
    assertThat(exportedUser(kiln, id).path("last_name").asText()).isEqualTo("ByAlias");
  }

  @Test
  void withADeprecatedExternalIdTheAliasIsAddedToItsUser() {
    String id = uid("an-deprecated");
    String renamed = uid("an-renamed");
    String name = uid("an-deprecated-alias");
    identifiedUser(kiln, id, "");
    renameOk(kiln, id, renamed);

    assertAliasesProcessed(
        aliasNew(kiln, "{\"user_aliases\":[" + aliasWithId(name, "crm_id", id) + "]}"), 1);

    assertThat(exportedAliasUser(kiln, name, "crm_id").path("external_id").asText())
        .isEqualTo(renamed);
  }

  @Test
  void aUserMayHoldAliasesUnderSeveralLabels() {
    String id = uid("an-several");
    String name = uid("an-several-alias");
    identifiedUser(kiln, id, "");

    aliasUnderTwoLabels(id, name);

    assertThat(aliasesOf(exportedUser(kiln, id)))
        .containsExactlyInAnyOrder("label_a:" + name + "-a", "label_b:" + name + "-b");
    assertThat(exportedAliasUser(kiln, name + "-b", "label_b").path("external_id").asText())
        .isEqualTo(id);
  }

  @Test
  void withAnUnknownExternalIdNothingIsCreated() {
    String id = uid("an-unknown");
    String name = uid("an-unknown-alias");

    assertAliasesProcessed(
        aliasNew(kiln, "{\"user_aliases\":[" + aliasWithId(name, "crm_id", id) + "]}"), 1);

    assertNoAliasUser(kiln, name, "crm_id");
    assertNoUser(kiln, id);
  }

  @Test
  void withExternalIdNothingHappensWhenAnotherUserHoldsTheAlias() {
    String holderName = uid("an-taken");
    String id = uid("an-taken-ext");
    newAliasUser(kiln, holderName, "crm_id");
    String holder = brazeIdOfAlias(kiln, holderName, "crm_id");
    identifiedUser(kiln, id, "");

    assertAliasesProcessed(
        aliasNew(kiln, "{\"user_aliases\":[" + aliasWithId(holderName, "crm_id", id) + "]}"), 1);

    JsonNode stillHeld = exportedAliasUser(kiln, holderName, "crm_id");
    assertThat(stillHeld.path("braze_id").asText()).isEqualTo(holder);
    assertThat(stillHeld.has("external_id")).isFalse();
    assertThat(exportedUser(kiln, id).has("user_aliases"))
        .as("the identified user got no alias")
        .isFalse();
  }

  @Test
  void withExternalIdNothingHappensWhenTheUserAlreadyHasAnAliasWithThatLabel() {
    String id = uid("an-label-held");
    String first = uid("an-label-first");
    String second = uid("an-label-second");
    identifiedUser(kiln, id, "");
    assertAliasesProcessed(
        aliasNew(kiln, "{\"user_aliases\":[" + aliasWithId(first, "crm_id", id) + "]}"), 1);

    assertAliasesProcessed(
        aliasNew(kiln, "{\"user_aliases\":[" + aliasWithId(second, "crm_id", id) + "]}"), 1);

    assertThat(aliasesOf(exportedUser(kiln, id))).containsExactly("crm_id:" + first);
    assertNoAliasUser(kiln, second, "crm_id");
  }

  @Test
  void aliasesProcessedCountsEveryObjectOfTheRequest() {
    String id = uid("an-count");
    String name = uid("an-count-alias");
    newAliasUser(kiln, name + "-held", "crm_id");

    // one new alias-only user, one alias held already, one for an unknown external_id
    assertAliasesProcessed(
        aliasNew(
            kiln,
            "{\"user_aliases\":["
                + alias(name + "-new", "crm_id")
                + ","
                + alias(name + "-held", "crm_id")
                + ","
                + aliasWithId(name + "-ghost", "crm_id", id)
                + "]}"),
        3);

    exportedAliasUser(kiln, name + "-new", "crm_id");
    assertNoAliasUser(kiln, name + "-ghost", "crm_id");
  }

  @Test
  void itemsAreAppliedInRequestOrder() {
    String name = uid("an-order");
    // the first object creates an alias-only user, so the second one finds the alias held and does
    // nothing
    String id = uid("an-order-ext");
    identifiedUser(kiln, id, "");
    assertAliasesProcessed(
        aliasNew(
            kiln,
            "{\"user_aliases\":["
                + alias(name, "crm_id")
                + ","
                + aliasWithId(name, "crm_id", id)
                + "]}"),
        2);
    assertThat(exportedAliasUser(kiln, name, "crm_id").has("external_id")).isFalse();
    assertThat(exportedUser(kiln, id).has("user_aliases")).isFalse();
  }

  // --- /users/alias/new: fatal errors and the cap ---

  @Test
  void aliasNamesAndLabelsAreBoundedAt255CharactersAndExternalIdsBelow988Bytes() {
    String longest = "n".repeat(255);
    String label = uid("an-long-label");
    assertAliasesProcessed(aliasNew(kiln, "{\"user_aliases\":[" + alias(longest, label) + "]}"), 1);
    assertThat(aliasesOf(exportedAliasUser(kiln, longest, label)))
        .containsExactly(label + ":" + longest);
    assertAliasesProcessed(
        aliasNew(
            kiln,
            "{\"user_aliases\":["
                + aliasWithId(uid("an-long-ok"), "crm_id", "é".repeat(493) + "x")
                + "]}"),
        1); // 987 bytes: accepted (no such user, so nothing happens)

    // the request also holds a valid alias, which the fatal error leaves uncreated; a 256-character
    // label and a 988-byte external_id get the same verdict in AliasRequestsTest (kiln-ingest)
    String valid = uid("an-long-valid");
    assertFatal(
        aliasNew(
            kiln,
            "{\"user_aliases\":["
                + alias(valid, "crm_id")
                + ","
                + alias("n".repeat(256), "crm_id")
                + "]}"),
        EACH);
    assertNoAliasUser(kiln, valid, "crm_id");
  }

  @Test
  void fiftyAliasesAreAcceptedAndFiftyOneRefusedWithNothingCreated() {
    String prefix = uid("an-cap");
    String fifty = array(50, i -> alias(prefix + "-ok-" + i, "crm_id"));
    assertAliasesProcessed(aliasNew(kiln, "{\"user_aliases\":" + fifty + "}"), 50);
    Response exported =
        TrackFixtures.export(
            kiln, "{\"user_aliases\":" + fifty + ",\"fields_to_export\":[\"user_aliases\"]}");
    assertThat(exported.status()).isEqualTo(200);
    assertThat(exported.json().has("invalid_user_ids"))
        .as("every alias names a user: %s", exported)
        .isFalse();
    assertThat(exported.json().path("users").size()).isEqualTo(50);

    String fiftyOne = array(51, i -> alias(prefix + "-no-" + i, "crm_id"));
    assertFatal(aliasNew(kiln, "{\"user_aliases\":" + fiftyOne + "}"), TOO_MANY);
    Response none =
        TrackFixtures.export(
            kiln,
            "{\"user_aliases\":"
                + array(50, i -> alias(prefix + "-no-" + i, "crm_id"))
                + ",\"fields_to_export\":[\"user_aliases\"]}");
    assertThat(none.status()).isEqualTo(200);
    assertThat(none.json().path("users").size())
        .as("users created by the refused request: %s", none)
        .isZero();
    assertThat(none.json().path("invalid_user_ids").size()).isEqualTo(50);
    assertNoAliasUser(kiln, prefix + "-no-50", "crm_id");
  }

  // --- /users/alias/update ---

  @Test
  void updateRenamesTheAliasOfItsHolder() {
    String oldName = uid("au-old");
    String newName = uid("au-new");
    newAliasUser(kiln, oldName, "crm_id", "\"first_name\":\"Renamed\"");
    String brazeId = brazeIdOfAlias(kiln, oldName, "crm_id");

    assertBody(
        aliasUpdate(kiln, "{\"alias_updates\":[" + update("crm_id", oldName, newName) + "]}"),
        201,
        SUCCESS);

    JsonNode user = exportedAliasUser(kiln, newName, "crm_id");
    assertThat(user.path("braze_id").asText()).isEqualTo(brazeId);
    assertThat(user.path("first_name").asText()).isEqualTo("Renamed");
    assertThat(aliasesOf(user)).containsExactly("crm_id:" + newName);
    assertNoAliasUser(kiln, oldName, "crm_id");
  }

  @Test
  void updateRenamesTheAliasOfAnIdentifiedUserAndLeavesItsOtherLabels() {
    String id = uid("au-ext");
    String name = uid("au-ext-alias");
    identifiedUser(kiln, id, "");
    aliasUnderTwoLabels(id, name);

    assertBody(
        aliasUpdate(
            kiln, "{\"alias_updates\":[" + update("label_a", name + "-a", name + "-c") + "]}"),
        201,
        SUCCESS);

    assertThat(aliasesOf(exportedUser(kiln, id)))
        .containsExactlyInAnyOrder("label_a:" + name + "-c", "label_b:" + name + "-b");
    assertThat(exportedAliasUser(kiln, name + "-c", "label_a").path("external_id").asText())
        .isEqualTo(id);
  }

  @Test
  void updateWithoutAHolderChangesNothing() {
    String name = uid("au-none");
    newAliasUser(kiln, name, "label_a");

    // the name exists only under another label
    assertBody(
        aliasUpdate(
            kiln,
            "{\"alias_updates\":["
                + update("label_b", name, name + "-new")
                + ","
                + update("crm_id", uid("au-nobody"), name + "-new")
                + "]}"),
        201,
        SUCCESS);

    assertNoAliasUser(kiln, name + "-new", "label_b");
    assertNoAliasUser(kiln, name + "-new", "crm_id");
    assertThat(aliasesOf(exportedAliasUser(kiln, name, "label_a")))
        .containsExactly("label_a:" + name);
  }

  @Test
  void updateToAnAliasAnotherUserHoldsChangesNothing() {
    String first = uid("au-first");
    String second = uid("au-second");
    newAliasUser(kiln, first, "crm_id", "\"first_name\":\"First\"");
    newAliasUser(kiln, second, "crm_id", "\"first_name\":\"Second\"");

    assertBody(
        aliasUpdate(kiln, "{\"alias_updates\":[" + update("crm_id", first, second) + "]}"),
        201,
        SUCCESS);

    JsonNode firstUser = exportedAliasUser(kiln, first, "crm_id");
    assertThat(firstUser.path("first_name").asText()).isEqualTo("First");
    assertThat(aliasesOf(firstUser)).containsExactly("crm_id:" + first);
    JsonNode secondUser = exportedAliasUser(kiln, second, "crm_id");
    assertThat(secondUser.path("first_name").asText()).isEqualTo("Second");
    assertThat(aliasesOf(secondUser)).containsExactly("crm_id:" + second);
  }

  @Test
  void updatesAreAppliedInRequestOrder() {
    String name = uid("au-chain");
    newAliasUser(kiln, name + "-1", "crm_id");
    String brazeId = brazeIdOfAlias(kiln, name + "-1", "crm_id");

    assertBody(
        aliasUpdate(
            kiln,
            "{\"alias_updates\":["
                + update("crm_id", name + "-1", name + "-2")
                + ","
                + update("crm_id", name + "-2", name + "-3")
                + "]}"),
        201,
        SUCCESS);

    assertThat(brazeIdOfAlias(kiln, name + "-3", "crm_id")).isEqualTo(brazeId);
    assertNoAliasUser(kiln, name + "-2", "crm_id");
  }

  @Test
  void fiftyAliasUpdatesAreAcceptedAndFiftyOneRefusedWithNothingRenamed() {
    String name = uid("au-cap");
    newAliasUser(kiln, name, "crm_id");
    String rename = update("crm_id", name, name + "-renamed");
    String nobody = update("crm_id", uid("au-cap-nobody"), uid("au-cap-nobody"));

    assertFatal(
        aliasUpdate(
            kiln,
            "{\"alias_updates\":[" + rename + "," + array(50, i -> nobody).substring(1) + "}"),
        TOO_MANY_UPDATES);
    assertNoAliasUser(kiln, name + "-renamed", "crm_id");
    exportedAliasUser(kiln, name, "crm_id");

    assertBody(
        aliasUpdate(
            kiln,
            "{\"alias_updates\":[" + rename + "," + array(49, i -> nobody).substring(1) + "}"),
        201,
        SUCCESS);
    exportedAliasUser(kiln, name + "-renamed", "crm_id");
  }
}
