package dev.kiln.server.users;

import static dev.kiln.server.segments.SegmentFixtures.createOk;
import static dev.kiln.server.segments.SegmentFixtures.inCohort;
import static dev.kiln.server.testing.TestJson.json;
import static dev.kiln.server.testing.TestJson.quote;
import static dev.kiln.server.testing.TestJson.uid;
import static dev.kiln.server.track.TrackFixtures.assertBody;
import static dev.kiln.server.track.TrackFixtures.assertNoUser;
import static dev.kiln.server.track.TrackFixtures.daysAgo;
import static dev.kiln.server.track.TrackFixtures.exportedUser;
import static dev.kiln.server.track.TrackFixtures.named;
import static dev.kiln.server.track.TrackFixtures.post;
import static dev.kiln.server.track.TrackFixtures.sent;
import static dev.kiln.server.track.TrackFixtures.setAttributes;
import static dev.kiln.server.track.TrackFixtures.trackOk;
import static dev.kiln.server.users.DeleteFixtures.REMOVE_ARRAY;
import static dev.kiln.server.users.DeleteFixtures.REMOVE_NOT_STRING;
import static dev.kiln.server.users.DeleteFixtures.REMOVE_PRIMARY;
import static dev.kiln.server.users.DeleteFixtures.REMOVE_TOO_MANY;
import static dev.kiln.server.users.DeleteFixtures.REMOVE_UNKNOWN;
import static dev.kiln.server.users.DeleteFixtures.RENAMES_ARRAY;
import static dev.kiln.server.users.DeleteFixtures.RENAMES_TOO_MANY;
import static dev.kiln.server.users.DeleteFixtures.RENAME_DEPRECATED;
import static dev.kiln.server.users.DeleteFixtures.RENAME_IN_USE;
import static dev.kiln.server.users.DeleteFixtures.RENAME_SAME;
import static dev.kiln.server.users.DeleteFixtures.RENAME_SHAPE;
import static dev.kiln.server.users.DeleteFixtures.RENAME_TOO_LONG;
import static dev.kiln.server.users.DeleteFixtures.RENAME_UNKNOWN;
import static dev.kiln.server.users.DeleteFixtures.deleteOk;
import static dev.kiln.server.users.DeleteFixtures.exportIds;
import static dev.kiln.server.users.DeleteFixtures.exportedSegmentIds;
import static dev.kiln.server.users.DeleteFixtures.itemError;
import static dev.kiln.server.users.DeleteFixtures.remove;
import static dev.kiln.server.users.DeleteFixtures.strings;
import static dev.kiln.server.users.DeleteFixtures.unknownIds;
import static dev.kiln.server.users.UserManagementFixtures.assertFatal;
import static dev.kiln.server.users.UserManagementFixtures.assertRenamed;
import static dev.kiln.server.users.UserManagementFixtures.brazeIdOf;
import static dev.kiln.server.users.UserManagementFixtures.identifiedUser;
import static dev.kiln.server.users.UserManagementFixtures.rename;
import static dev.kiln.server.users.UserManagementFixtures.renameItem;
import static dev.kiln.server.users.UserManagementFixtures.renameOk;
import static dev.kiln.server.users.UserManagementFixtures.renames;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * POST /users/external_ids/rename and /users/external_ids/remove (docs/user-management.md,
 * docs/braze-reference.md section 11 and edge case 32), and deprecated external_ids across the API:
 * /users/track, /users/track/sync, /users/export/ids and /users/delete name the user by an old id
 * until it is removed.
 */
class ITExternalIds {
  @RegisterExtension static final RunningKiln kiln = RunningKiln.perClass();

  /** A new identified user with these attributes ("" for none); returns its external_id. */
  private static String user(String prefix, String attributes) {
    String id = uid(prefix);
    identifiedUser(kiln, id, attributes);
    return id;
  }

  /**
   * Renames this user's external_id to a new one (the old one stays as a deprecated id); returns
   * the new one.
   */
  private static String renamed(String externalId) {
    String next = externalId + "-new";
    renameOk(kiln, externalId, next);
    return next;
  }

  private static Response removeIds(String... externalIds) {
    return remove(kiln, "{\"external_ids\":" + strings(List.of(externalIds)) + "}");
  }

  private static void assertRemoved(Response response, List<String> removed, List<String> errors) {
    assertBody(
        response,
        201,
        "{\"message\":\"success\",\"removed_ids\":"
            + strings(removed)
            + ",\"removal_errors\":["
            + String.join(",", errors)
            + "]}");
  }

  /**
   * The export of this id (primary or deprecated) finds exactly one user, whose external_id is the
   * primary one.
   */
  private static JsonNode userNamedBy(String anyId, String primary) {
    JsonNode found = exportedUser(kiln, anyId);
    assertThat(found.path("external_id").asText())
        .as("external_id of the user named by %s", anyId)
        .isEqualTo(primary);
    return found;
  }

  // --- rename ---

  @Test
  void renameAnswersTheRenamesAndMovesThePrimaryId() {
    String old = user("ren-old", "\"first_name\":\"Ren\"");
    String brazeId = brazeIdOf(kiln, old);
    String next = uid("ren-new");

    renameOk(kiln, old, next);

    JsonNode byNew = userNamedBy(next, next);
    assertThat(byNew.path("braze_id").asText()).isEqualTo(brazeId);
    assertThat(byNew.path("first_name").asText()).isEqualTo("Ren");
    JsonNode byOld = userNamedBy(old, next);
    assertThat(byOld.path("braze_id").asText()).isEqualTo(brazeId);
    assertThat(byOld.toString()).as("the export shows only the primary id").doesNotContain(old);
  }

  @Test
  void exportByOldAndNewIdsGivesTheUserOnce() {
    String old = user("ren-once", "");
    String next = renamed(old);

    JsonNode answer =
        exportIds(kiln, "{\"external_ids\":[" + quote(old) + "," + quote(next) + "]}");

    assertThat(answer.has("invalid_user_ids")).as("%s", answer).isFalse();
    assertThat(answer.path("users")).hasSize(1);
    assertThat(answer.path("users").get(0).path("external_id").asText()).isEqualTo(next);
  }

  @Test
  void edgeCase32ErrorsAreListedAndTheOtherRenamesStillApplied() {
    String first = user("ec32-first", "");
    String same = user("ec32-same", "");
    String taker = user("ec32-taker", "");
    String primaryOfAnother = user("ec32-primary", "");
    String deprecatedHolder = user("ec32-holder", "");
    String deprecatedId = deprecatedHolder;
    String holderNow = uid("ec32-holder-now");
    renameOk(kiln, deprecatedHolder, holderNow);
    String last = user("ec32-last", "");
    String firstNew = uid("ec32-first-new");
    String lastNew = uid("ec32-last-new");
    String taker2 = user("ec32-taker2", "");

    String ok0 = renameItem(first, firstNew);
    String ok4 = renameItem(last, lastNew);
    Response response =
        rename(
            kiln,
            renames(
                ok0,
                renameItem(same, same),
                renameItem(taker, primaryOfAnother),
                renameItem(taker2, deprecatedId),
                ok4));

    assertRenamed(
        response,
        List.of(ok0, ok4),
        List.of(
            itemError(1, RENAME_SAME), itemError(2, RENAME_IN_USE), itemError(3, RENAME_IN_USE)));
    userNamedBy(firstNew, firstNew);
    userNamedBy(lastNew, lastNew);
    userNamedBy(same, same);
    userNamedBy(taker, taker);
    userNamedBy(primaryOfAnother, primaryOfAnother);
    userNamedBy(taker2, taker2);
    userNamedBy(deprecatedId, holderNow);
  }

  @Test
  void aUsersOwnDeprecatedIdCannotBeTakenBackByRename() {
    String old = user("ren-back", "");
    String next = renamed(old);

    assertRenamed(
        rename(kiln, renames(renameItem(next, old))),
        List.of(),
        List.of(itemError(0, RENAME_IN_USE)));
    userNamedBy(old, next);
  }

  @Test
  void unknownAndDeprecatedCurrentIdsAreItemErrors() {
    String old = user("ren-dep", "");
    String next = renamed(old);
    String unknown = uid("ren-unknown");
    String unusedA = uid("ren-unused-a");
    String unusedB = uid("ren-unused-b");

    assertRenamed(
        rename(kiln, renames(renameItem(unknown, unusedA), renameItem(old, unusedB))),
        List.of(),
        List.of(itemError(0, RENAME_UNKNOWN), itemError(1, RENAME_DEPRECATED)));

    assertNoUser(kiln, unknown);
    assertNoUser(kiln, unusedA);
    assertNoUser(kiln, unusedB);
    userNamedBy(old, next);
  }

  @Test
  void malformedRenamesAreItemErrors() {
    String id = user("ren-shape", "");
    String next = uid("ren-shape-new");
    String ok = renameItem(id, next);
    String tooLong = "x".repeat(988);
    String longest = "é".repeat(493) + "x"; // 987 bytes in UTF-8
    String longUser = user("ren-long", "");

    Response response =
        rename(
            kiln,
            renames(
                "\"not an object\"",
                "{\"current_external_id\":" + quote(id) + "}",
                "{\"new_external_id\":" + quote(uid("n")) + "}",
                "{\"current_external_id\":7,\"new_external_id\":" + quote(uid("n")) + "}",
                "{\"current_external_id\":" + quote(id) + ",\"new_external_id\":null}",
                "[]",
                renameItem(id, tooLong),
                ok,
                renameItem(longUser, longest)));

    assertRenamed(
        response,
        List.of(ok, renameItem(longUser, longest)),
        List.of(
            itemError(0, RENAME_SHAPE),
            itemError(1, RENAME_SHAPE),
            itemError(2, RENAME_SHAPE),
            itemError(3, RENAME_SHAPE),
            itemError(4, RENAME_SHAPE),
            itemError(5, RENAME_SHAPE),
            itemError(6, RENAME_TOO_LONG)));
    userNamedBy(id, next);
    userNamedBy(longest, longest);
  }

  @Test
  void renamesOfOneRequestApplyInOrder() {
    String a = user("ren-chain", "");
    String b = uid("ren-chain-b");
    String c = uid("ren-chain-c");

    String first = renameItem(a, b);
    String second = renameItem(b, c);
    assertRenamed(rename(kiln, renames(first, second)), List.of(first, second), List.of());

    userNamedBy(a, c);
    userNamedBy(b, c);
    userNamedBy(c, c);
  }

  @Test
  void aNewIdTakenByAnEarlierRenameOfTheSameRequestIsInUse() {
    String a = user("ren-race-a", "");
    String b = user("ren-race-b", "");
    String wanted = uid("ren-race-new");

    String first = renameItem(a, wanted);
    assertRenamed(
        rename(kiln, renames(first, renameItem(b, wanted))),
        List.of(first),
        List.of(itemError(1, RENAME_IN_USE)));

    userNamedBy(wanted, wanted);
    userNamedBy(a, wanted);
    userNamedBy(b, b);
  }

  @Test
  void aSegmentExportShowsTheNewId() throws Exception {
    String cohort = uid("ren-export");
    String old = user("ren-export-old", "\"cohort\":" + quote(cohort));
    String next = renamed(old);

    String segment = createOk(kiln, uid("renamed"), inCohort(cohort));
    assertThat(exportedSegmentIds(kiln, segment)).containsExactly(next);
  }

  @Test
  void trackingWithTheOldIdUpdatesTheSameUser() {
    String old = user("ren-track", "\"first_name\":\"Before\"");
    String brazeId = brazeIdOf(kiln, old);
    String next = renamed(old);

    trackOk(
        kiln,
        """
        {"attributes":[{"external_id":%1$s,"first_name":"After","plan":"gold"}],
         "events":[{"external_id":%1$s,"name":"renamed_event","time":"%2$s"}],
         "purchases":[{"external_id":%1$s,"product_id":"renamed_sku","currency":"USD","price":4,"time":"%2$s"}]}"""
            .formatted(quote(old), sent(daysAgo(1))),
        "\"attributes_processed\":1,\"events_processed\":1,\"purchases_processed\":1");

    JsonNode user = userNamedBy(next, next);
    assertThat(user.path("braze_id").asText()).isEqualTo(brazeId);
    assertThat(user.path("first_name").asText()).isEqualTo("After");
    assertThat(user.path("custom_attributes").path("plan").asText()).isEqualTo("gold");
    assertThat(named(user.path("custom_events"), "renamed_event"))
        .as("event tracked by the old id")
        .isNotNull();
    assertThat(named(user.path("purchases"), "renamed_sku"))
        .as("purchase tracked by the old id")
        .isNotNull();
    userNamedBy(old, next); // no new user was made for the old id
  }

  @Test
  void trackSyncWithTheOldIdUpdatesTheSameUser() {
    String old = user("ren-sync", "");
    String next = renamed(old);

    Response synced =
        post(
            kiln,
            "/users/track/sync",
            "{\"attributes\":[{\"external_id\":" + quote(old) + ",\"level\":9}]}");
    assertThat(synced.status()).as("%s", synced).isEqualTo(201);

    assertThat(userNamedBy(next, next).path("custom_attributes").path("level").asInt())
        .isEqualTo(9);
    userNamedBy(old, next);
  }

  @Test
  void renamingTwiceKeepsBothOldIdsWorking() {
    String first = user("ren-twice", "");
    String brazeId = brazeIdOf(kiln, first);
    String second = uid("ren-twice-2");
    String third = uid("ren-twice-3");
    renameOk(kiln, first, second);
    renameOk(kiln, second, third);

    setAttributes(kiln, "{\"external_id\":" + quote(first) + ",\"a\":1}");
    setAttributes(kiln, "{\"external_id\":" + quote(second) + ",\"b\":2}");

    JsonNode user = userNamedBy(third, third);
    assertThat(user.path("braze_id").asText()).isEqualTo(brazeId);
    assertThat(user.path("custom_attributes")).isEqualTo(json("{\"a\":1,\"b\":2}"));
    userNamedBy(first, third);
    userNamedBy(second, third);
  }

  @Test
  void deleteByADeprecatedIdDeletesTheUserAndFreesAllItsIds() {
    String old = user("del-dep", "\"first_name\":\"Dep\"");
    String brazeId = brazeIdOf(kiln, old);
    String next = renamed(old);

    deleteOk(kiln, "{\"external_ids\":[" + quote(old) + "]}", 1);

    assertNoUser(kiln, next);
    assertNoUser(kiln, old);
    setAttributes(kiln, "{\"external_id\":" + quote(old) + ",\"last_name\":\"New\"}");
    JsonNode reborn = userNamedBy(old, old);
    assertThat(reborn.path("braze_id").asText()).isNotEqualTo(brazeId);
    assertThat(reborn.has("first_name")).isFalse();
    assertNoUser(kiln, next);
  }

  @Test
  void renameFatalErrorsAndTheCap() {
    // Every refused shape and its message: ExternalIdRequestsTest (kiln-ingest).
    assertFatal(rename(kiln, "{}"), RENAMES_ARRAY);

    String kept = user("ren-cap", "");
    String keptNew = uid("ren-cap-new");
    List<String> fiftyOne = new ArrayList<>();
    fiftyOne.add(renameItem(kept, keptNew));
    unknownIds("ren-cap-unknown-", 50).forEach(id -> fiftyOne.add(renameItem(id, id + "-new")));
    assertFatal(rename(kiln, renames(fiftyOne.toArray(String[]::new))), RENAMES_TOO_MANY);
    userNamedBy(kept, kept);
    assertNoUser(kiln, keptNew);

    List<String> fifty = fiftyOne.subList(0, 50);
    List<String> errors = new ArrayList<>();
    for (int i = 1; i < 50; i++) {
      errors.add(itemError(i, RENAME_UNKNOWN));
    }
    assertRenamed(
        rename(kiln, renames(fifty.toArray(String[]::new))), List.of(fifty.getFirst()), errors);
    userNamedBy(kept, keptNew);
  }

  // --- remove ---

  @Test
  void removeDeletesADeprecatedIdSoItNamesNobody() {
    String old = user("rm-old", "\"first_name\":\"Kept\"");
    String brazeId = brazeIdOf(kiln, old);
    String next = renamed(old);

    assertRemoved(removeIds(old), List.of(old), List.of());

    assertNoUser(kiln, old);
    JsonNode renamed = userNamedBy(next, next);
    assertThat(renamed.path("braze_id").asText()).isEqualTo(brazeId);
    assertThat(renamed.path("first_name").asText()).isEqualTo("Kept");

    deleteOk(kiln, "{\"external_ids\":[" + quote(old) + "]}", 0);
    setAttributes(kiln, "{\"external_id\":" + quote(old) + ",\"last_name\":\"Fresh\"}");
    JsonNode fresh = userNamedBy(old, old);
    assertThat(fresh.path("braze_id").asText()).as("a new user").isNotEqualTo(brazeId);
    assertThat(fresh.has("first_name")).isFalse();
    assertThat(userNamedBy(next, next).has("last_name"))
        .as("the renamed user is untouched")
        .isFalse();
  }

  @Test
  void removeErrorsAreListedAndTheOtherIdsStillRemoved() {
    String a = user("rm-a", "");
    String aNew = renamed(a);
    String b = user("rm-b", "");
    String bNew = renamed(b);
    String unknown = uid("rm-unknown");

    Response response =
        remove(
            kiln,
            "{\"external_ids\":["
                + quote(a)
                + ","
                + quote(aNew)
                + ","
                + quote(unknown)
                + ",7,null,{\"id\":\"x\"},"
                + quote(b)
                + "]}");

    assertRemoved(
        response,
        List.of(a, b),
        List.of(
            itemError(1, REMOVE_PRIMARY),
            itemError(2, REMOVE_UNKNOWN),
            itemError(3, REMOVE_NOT_STRING),
            itemError(4, REMOVE_NOT_STRING),
            itemError(5, REMOVE_NOT_STRING)));
    assertNoUser(kiln, a);
    assertNoUser(kiln, b);
    userNamedBy(aNew, aNew);
    userNamedBy(bNew, bNew);
  }

  @Test
  void aRemovedIdCannotBeRemovedTwice() {
    String old = user("rm-twice", "");
    String next = renamed(old);
    assertRemoved(removeIds(old, old), List.of(old), List.of(itemError(1, REMOVE_UNKNOWN)));
    assertRemoved(removeIds(old), List.of(), List.of(itemError(0, REMOVE_UNKNOWN)));
    userNamedBy(next, next);
  }

  @Test
  void aRemovedIdCanBeGivenAgainByRename() {
    String old = user("rm-reuse", "");
    String next = renamed(old);
    assertRemoved(removeIds(old), List.of(old), List.of());

    String other = user("rm-reuse-other", "");
    renameOk(kiln, other, old);

    userNamedBy(old, old);
    userNamedBy(other, old);
    userNamedBy(next, next);
  }

  @Test
  void removeFatalErrorsAndTheCap() {
    // Every refused shape and its message: ExternalIdRequestsTest (kiln-ingest).
    assertFatal(remove(kiln, "{}"), REMOVE_ARRAY);

    String old = user("rm-cap", "");
    String next = renamed(old);
    List<String> fiftyOne = new ArrayList<>(unknownIds("rm-cap-unknown-", 50));
    fiftyOne.add(old);
    assertFatal(remove(kiln, "{\"external_ids\":" + strings(fiftyOne) + "}"), REMOVE_TOO_MANY);
    userNamedBy(old, next);

    List<String> fifty = fiftyOne.subList(1, 51);
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < 49; i++) {
      errors.add(itemError(i, REMOVE_UNKNOWN));
    }
    assertRemoved(remove(kiln, "{\"external_ids\":" + strings(fifty) + "}"), List.of(old), errors);
    assertNoUser(kiln, old);
  }
}
